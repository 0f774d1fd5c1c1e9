from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def misconduct_context(case: object, viewer: object) -> dict[str, object]:
    from .models import MisconductReport

    return {"report": MisconductReport.objects.filter(case=case).select_related("officer_unit").first()}


def rectification_context(case: object, viewer: object) -> dict[str, object]:
    from .selectors import rectification_of_case

    return {"rectification": rectification_of_case(case)}


class OversightConfig(AppConfig):
    name = "edugov.oversight"
    label = "oversight"
    verbose_name = _("Open government and study")

    def ready(self) -> None:
        from edugov.accounts.models import Role
        from edugov.accounts.navigation import NavItem, register
        from edugov.cases.presentation import Presentation
        from edugov.cases.presentation import register as show
        from edugov.kernel import publishing

        from . import metrics, workflow  # noqa: F401  (register the figures and the case kind)
        from .actions import record_portal_publication

        publishing.register_sink(record_portal_publication)

        # the school closes a finding on its risk-screening page (the action keeps the patrol's record)
        show("rectification", Presentation("oversight/_rectification.html", "oversight:risks", rectification_context))
        show("misconduct_report", Presentation("oversight/_misconduct.html", "", misconduct_context))

        register(NavItem(_("Open government"), "oversight:registers",
                         frozenset({Role.BUREAU_LEADER, Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF}), order=65))
        register(NavItem(_("Online patrols"), "oversight:patrols",
                         frozenset({Role.SUPERVISION_STAFF, Role.DEPARTMENT_HEAD, Role.BUREAU_LEADER}), order=66))
        register(NavItem(_("Leaders' areas and linked schools"), "oversight:liaison",
                         frozenset({Role.SUPERVISION_STAFF, Role.DEPARTMENT_HEAD, Role.BUREAU_LEADER}), order=66))
        register(NavItem(_("Risk screening"), "oversight:risks",
                         frozenset({Role.SUPERVISION_STAFF, Role.DEPARTMENT_HEAD, Role.BUREAU_LEADER, Role.SCHOOL_ADMIN}),
                         order=67))
        register(NavItem(_("Oversight and disputes"), "oversight:accountability",
                         frozenset({Role.BUREAU_LEADER, Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF, Role.LEGAL_REVIEWER,
                                    Role.SUPERVISION_STAFF}), order=69))
        register(NavItem(_("Major-matter decisions"), "oversight:decisions",
                         frozenset({Role.BUREAU_LEADER, Role.DEPARTMENT_HEAD}), order=68))
