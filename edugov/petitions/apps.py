from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "edugov.petitions"
    label = "petitions"
    verbose_name = _("Petitions and the supervision hotline")

    def ready(self) -> None:
        from . import metrics, workflow  # noqa: F401  (register the workflows and the figures)
