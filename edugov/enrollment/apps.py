from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnrollmentConfig(AppConfig):
    name = "edugov.enrollment"
    label = "enrollment"
    verbose_name = _("School enrollment")

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
        from .views import detail_context, special_context

        show("enrollment", Presentation("enrollment/_detail.html", "enrollment:step", detail_context))
        show(("enrollment_deferral", "enrollment_placement"),
             Presentation("enrollment/_special.html", "enrollment:special_step", special_context))

        register(NavItem(_("Enrollment"), "enrollment:manage",
                         frozenset({Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF, Role.BUREAU_LEADER}), order=25))
