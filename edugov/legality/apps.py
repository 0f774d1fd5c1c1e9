from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalityConfig(AppConfig):
    name = "edugov.legality"
    label = "legality"
    verbose_name = _("Legality review")

    def ready(self) -> None:
        from edugov.accounts.models import Role
        from edugov.accounts.navigation import NavItem, register
        from edugov.cases.presentation import Presentation
        from edugov.cases.presentation import register as show
        from edugov.kernel import citations

        from . import metrics, workflow  # noqa: F401  (register the workflows and the figures)
        from .selectors import withdrawn_citations
        from .views import case_context

        show(workflow.KINDS, Presentation("legality/_case.html", "legality:step", case_context))
        citations.register_source(withdrawn_citations)
        register(NavItem(_("Legality review"), "legality:home",
                         frozenset({Role.LEGAL_REVIEWER, Role.BUREAU_LEADER, Role.DEPARTMENT_HEAD,
                                    Role.DEPARTMENT_STAFF}), order=55))
