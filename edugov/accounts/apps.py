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
        _name_third_party_apps()


def _name_third_party_apps() -> None:
    """The sign-in libraries' admin pages in the staff's words: django-axes and django-otp name
    their apps "Axes" and "Otp_Totp" without a translation hook, so their labels are set here."""
    from django.apps import apps

    labels = {
        "axes": (_("Sign-in lockouts"), {"accessattempt": (_("failed sign-in attempt"), _("failed sign-in attempts")),
                                         "accesslog": (_("sign-in record"), _("sign-in records")),
                                         "accessfailurelog": (_("failed sign-in"), _("failed sign-ins"))}),
        "otp_totp": (_("Two-factor authentication"), {"totpdevice": (_("authenticator app"), _("authenticator apps"))}),
    }
    for label, (app_name, models) in labels.items():
        if not apps.is_installed({"axes": "axes", "otp_totp": "django_otp.plugins.otp_totp"}[label]):
            continue
        config = apps.get_app_config(label)
        config.verbose_name = app_name
        for model_name, (one, many) in models.items():
            meta = config.get_model(model_name)._meta
            meta.verbose_name, meta.verbose_name_plural = one, many
