from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemediesConfig(AppConfig):
    name = "edugov.remedies"
    label = "remedies"
    verbose_name = _("Reconsideration and litigation")

    def ready(self) -> None:
        from edugov.accounts.models import Role
        from edugov.accounts.navigation import NavItem, register
        from edugov.cases.presentation import Presentation
        from edugov.cases.presentation import register as show

        from . import metrics, workflow  # noqa: F401  (register the workflows and the figures)
        from .views import case_context

        show(workflow.KINDS, Presentation("remedies/_case.html", "remedies:step", case_context))
        register(NavItem(_("Reconsideration and lawsuits"), "remedies:home",
                         frozenset({Role.LEGAL_REVIEWER, Role.BUREAU_LEADER, Role.DEPARTMENT_HEAD}), order=56))
