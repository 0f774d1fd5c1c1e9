from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchoolsConfig(AppConfig):
    name = "edugov.schools"
    label = "schools"
    verbose_name = _("Schools under the rule of law")

    def ready(self) -> None:
        from edugov.accounts.models import Role
        from edugov.accounts.navigation import NavItem, register

        from . import metrics, workflow  # noqa: F401  (register the figures and the duty kind)

        register(NavItem(_("Legal vice-principals"), "schools:lvp_list",
                         frozenset({Role.BUREAU_LEADER, Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF, Role.SCHOOL_ADMIN,
                                    Role.LEGAL_VP}), order=30))
        register(NavItem(_("Correction cases"), "schools:special_list", frozenset({Role.SCHOOL_ADMIN}), order=31))
        register(NavItem(_("Rule-of-law education"), "schools:education",
                         frozenset({Role.BUREAU_LEADER, Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF, Role.SCHOOL_ADMIN}),
                         order=32))
        register(NavItem(_("Charters, lessons and families"), "schools:rule_of_law",
                         frozenset({Role.BUREAU_LEADER, Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF, Role.SCHOOL_ADMIN}),
                         order=33))
