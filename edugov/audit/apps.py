from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "edugov.audit"
    label = "audit"
    verbose_name = _("Full-process record (ledger)")

    def ready(self) -> None:
        from edugov.kernel import ledger_port

        from . import checks  # noqa: F401  (registers the deploy checks)
        from .ledger import record

        ledger_port.register(record)
