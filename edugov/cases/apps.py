from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "edugov.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from edugov.kernel import subjects

        from . import replay  # noqa: F401  (what audit verify --domain rebuilds)
        from .permissions import can_read_case_record

        subjects.register_reader("case", can_read_case_record)
