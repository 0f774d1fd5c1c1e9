from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def report_context(case: Any, viewer: Any) -> dict[str, Any]:
    from .selectors import report_of_case

    return {"report": report_of_case(case)}


class ReportsConfig(AppConfig):
    name = "edugov.reports"
    label = "reports"
    verbose_name = _("Yearly rule-of-law report")

    def ready(self) -> None:
        from edugov.accounts.models import Role
        from edugov.accounts.navigation import NavItem, register
        from edugov.cases.presentation import Presentation
        from edugov.cases.presentation import register as show
        from edugov.metrics.management.commands.report import REPORT_COMMANDS
        from edugov.metrics.views import DASHBOARD_PANELS

        from . import opendata, workflow  # noqa: F401  (the datasets this app publishes; the case kind)
        from .command import add_arguments, handle
        from .panels import overdue_by_unit

        REPORT_COMMANDS["annual"] = (add_arguments, handle)
        # the report's page takes its steps (the freeze of figures and documents is the report's own)
        show("report", Presentation("reports/_case.html", "reports:detail", report_context))
        if overdue_by_unit not in DASHBOARD_PANELS:
            DASHBOARD_PANELS.append(overdue_by_unit)
        register(NavItem(_("Yearly report"), "reports:list",
                         frozenset({Role.BUREAU_LEADER, Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF,
                                    Role.LEGAL_REVIEWER, Role.AUDITOR}), order=70))
