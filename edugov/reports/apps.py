from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "edugov.reports"
    label = "reports"
    verbose_name = _("Yearly rule-of-law report")

    def ready(self) -> None:
        from edugov.accounts.models import Role
        from edugov.accounts.navigation import NavItem, register
        from edugov.metrics.management.commands.report import REPORT_COMMANDS
        from edugov.metrics.views import DASHBOARD_PANELS

        from . import opendata  # noqa: F401  (registers the datasets this app publishes)
        from .command import add_arguments, handle
        from .panels import overdue_by_unit

        REPORT_COMMANDS["annual"] = (add_arguments, handle)
        if overdue_by_unit not in DASHBOARD_PANELS:
            DASHBOARD_PANELS.append(overdue_by_unit)
        register(NavItem(_("Yearly report"), "reports:list",
                         frozenset({Role.BUREAU_LEADER, Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF,
                                    Role.LEGAL_REVIEWER, Role.AUDITOR}), order=70))
