from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeadershipConfig(AppConfig):
    name = "edugov.leadership"
    label = "leadership"
    verbose_name = _("The first responsible person")

    def ready(self) -> None:
        from edugov.accounts.models import Role
        from edugov.accounts.navigation import NavItem, register

        from . import metrics  # noqa: F401  (register the figures)

        register(NavItem(_("Leadership study"), "leadership:home",
                         frozenset({Role.BUREAU_LEADER, Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF}), order=57))
