from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "edugov.oversight"
    label = "oversight"
    verbose_name = _("Open government and study")

    def ready(self) -> None:
        from edugov.accounts.models import Role
        from edugov.accounts.navigation import NavItem, register

        from . import metrics  # noqa: F401  (register the figures)

        register(NavItem(_("Open government"), "oversight:registers",
                         frozenset({Role.BUREAU_LEADER, Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF}), order=65))
        register(NavItem(_("Online patrols"), "oversight:patrols",
                         frozenset({Role.SUPERVISION_STAFF, Role.DEPARTMENT_HEAD, Role.BUREAU_LEADER}), order=66))
        register(NavItem(_("Risk screening"), "oversight:risks",
                         frozenset({Role.SUPERVISION_STAFF, Role.DEPARTMENT_HEAD, Role.BUREAU_LEADER, Role.SCHOOL_ADMIN}),
                         order=67))
        register(NavItem(_("Major-matter decisions"), "oversight:decisions",
                         frozenset({Role.BUREAU_LEADER, Role.DEPARTMENT_HEAD}), order=68))
