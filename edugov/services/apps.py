from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "edugov.services"
    label = "services"
    verbose_name = _("Government services and licensing")

    def ready(self) -> None:
        from edugov.accounts.models import Role
        from edugov.accounts.navigation import NavItem, register
        from edugov.cases.presentation import Presentation
        from edugov.cases.presentation import register as show

        from . import (  # noqa: F401  (register the workflows and the figures)
            metrics,
            opendata,  # noqa: F401  (registers the datasets this app publishes)
            replay,  # noqa: F401  (what audit verify --domain rebuilds)
            workflow,
        )
        from .views import detail_context

        show("service", Presentation("services/_detail.html", "services:step", detail_context))

        desk = frozenset({Role.WINDOW_CLERK, Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF, Role.BUREAU_LEADER})
        register(NavItem(_("Counter application"), "services:counter", frozenset({Role.WINDOW_CLERK}), order=20))
        register(NavItem(_("Service catalogue"), "services:catalogue", desk, order=21))
        # shown to those who draw and verify samples (services.permissions.can_verify), no one else
        register(NavItem(_("Commitment checks"), "services:verification",
                         frozenset({Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF}), order=22))
        register(NavItem(_("Service figures"), "services:stats", desk | {Role.SUPERVISION_STAFF}, order=61))
        register(NavItem(_("Business environment"), "services:business",
                         frozenset({Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF, Role.BUREAU_LEADER}), order=62))
