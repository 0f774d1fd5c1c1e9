from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "edugov.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self) -> None:
        from .models import Role
        from .navigation import NavItem, register

        register(NavItem(_("Legal settings"), "accounts:legal_settings",
                         frozenset({Role.SYSADMIN, Role.BUREAU_LEADER, Role.LEGAL_REVIEWER}), order=90))
