from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnrollmentConfig(AppConfig):
    name = "edugov.enrollment"
    label = "enrollment"
    verbose_name = _("School enrollment")

    def ready(self) -> None:
        from edugov.accounts.models import Role
        from edugov.accounts.navigation import NavItem, register

        from . import (  # noqa: F401  (register the workflows and the figures)
            metrics,
            opendata,  # noqa: F401  (registers the datasets this app publishes)
            replay,  # noqa: F401  (what audit verify --domain rebuilds)
            workflow,
        )

        register(NavItem(_("Enrollment"), "enrollment:manage",
                         frozenset({Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF, Role.BUREAU_LEADER}), order=25))
