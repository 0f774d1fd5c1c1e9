from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "edugov.disclosure"
    label = "disclosure"
    verbose_name = _("Disclosure on request")

    def ready(self) -> None:
        from edugov.accounts.models import Role
        from edugov.accounts.navigation import NavItem, register
        from edugov.cases.presentation import Presentation
        from edugov.cases.presentation import register as show

        from . import metrics, workflow  # noqa: F401  (register the workflow and the figures)
        from .views import case_context

        show(workflow.KINDS, Presentation("disclosure/_case.html", "disclosure:step", case_context))
        register(NavItem(_("Disclosure requests"), "disclosure:home",
                         frozenset({Role.DEPARTMENT_STAFF, Role.DEPARTMENT_HEAD, Role.LEGAL_REVIEWER,
                                    Role.BUREAU_LEADER}), order=57))
