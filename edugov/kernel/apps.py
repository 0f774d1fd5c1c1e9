from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KernelConfig(AppConfig):
    name = "edugov.kernel"
    label = "kernel"
    verbose_name = _("Kernel")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from . import checks  # noqa: F401  (registers the deploy checks)
        from .calendar import forget_calendar
        from .models import CalendarDay, CalendarYear

        for model in (CalendarDay, CalendarYear):
            post_save.connect(lambda **kw: forget_calendar(), sender=model, weak=False)
            post_delete.connect(lambda **kw: forget_calendar(), sender=model, weak=False)
