from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnforcementConfig(AppConfig):
    name = "edugov.enforcement"
    label = "enforcement"
    verbose_name = _("Administrative enforcement")

    def ready(self) -> None:
        from edugov.accounts.models import Role
        from edugov.accounts.navigation import NavItem, register
        from edugov.cases.presentation import Presentation
        from edugov.cases.presentation import register as show
        from edugov.kernel import subjects

        from . import (  # noqa: F401  (register the penalty workflow and the figures)
            metrics,
            opendata,  # noqa: F401  (registers the datasets this app publishes)
            workflow,
        )
        from .permissions import can_read_finding_record
        from .views import inspection_context, penalty_context

        subjects.register_reader("finding", can_read_finding_record)
        from edugov.kernel import attention
        from edugov.registries import hooks

        from .selectors import renewal_objection, training_attention

        hooks.register_renewal_check(renewal_objection)  # an officer behind on training waits for renewal
        attention.register(training_attention)

        show("penalty", Presentation("enforcement/_penalty.html", "enforcement:penalty_step", penalty_context))
        # an inspection is recorded on its own page, stage by stage, by the outing's team
        show("inspection", Presentation("enforcement/_inspection_case.html", "enforcement:inspection_step",
                                        inspection_context))

        register(NavItem(_("Enforcement"), "enforcement:home",
                         frozenset({Role.ENFORCEMENT_OFFICER, Role.DEPARTMENT_HEAD, Role.BUREAU_LEADER,
                                    Role.LEGAL_REVIEWER}), order=20))
