from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "edugov.petitions"
    label = "petitions"
    verbose_name = _("Petitions and the supervision hotline")

    def ready(self) -> None:
        from edugov.accounts.models import Role
        from edugov.accounts.navigation import NavItem, register
        from edugov.cases.presentation import Presentation
        from edugov.cases.presentation import register as show
        from edugov.registries.hooks import register_complaint_counter

        from . import metrics, workflow  # noqa: F401  (register the workflows and the figures)
        from .views import detail_context

        show(workflow.KINDS, Presentation("petitions/_detail.html", "petitions:step", detail_context))
        from .selectors import complaints_about_institutions

        register_complaint_counter(complaints_about_institutions)

        register(NavItem(_("Hotline intake"), "petitions:intake", frozenset({Role.SUPERVISION_STAFF}), order=10))
        register(NavItem(_("Return visits"), "petitions:return_visits", frozenset({Role.SUPERVISION_STAFF}), order=11))
        register(NavItem(_("Re-contact sample"), "petitions:recontact", frozenset({Role.SUPERVISION_STAFF}), order=12))
        register(NavItem(_("Efficiency bulletin"), "petitions:bulletin",
                         frozenset({Role.SUPERVISION_STAFF, Role.BUREAU_LEADER, Role.DEPARTMENT_HEAD}), order=60))
