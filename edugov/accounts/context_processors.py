from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from . import navigation as menu
from .models import BUREAU_ROLES, Role
from .permissions import active_grants


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The staff navigation: one entry per module the user has a role for."""
    user = getattr(request, "user", None)
    grants = active_grants(user) if user is not None else []
    if not grants:  # the public site: the installation's district names it
        # the public site: the installation's district (a setting, so public pages need no query)
        return {"staff_nav": [], "is_staff_user": False, "brand_name": settings.EDUGOV.get("DISTRICT_NAME", "")}
    roles = {g.role for g in grants}
    nav = [(_("Workbench"), reverse("cases:workbench"))]
    nav += [(str(item.label), reverse(item.url_name)) for item in menu.ITEMS if roles & item.roles]
    nav.append((_("Schools"), reverse("registries:schools")))
    if roles & BUREAU_ROLES:
        nav.append((_("Institutions"), reverse("registries:institutions")))
    if roles & (BUREAU_ROLES - {Role.WINDOW_CLERK}):
        nav.append((_("People"), reverse("registries:people")))
    if roles & BUREAU_ROLES:
        nav.append((_("Figures"), reverse("metrics:dashboard")))
    if roles & {Role.AUDITOR, Role.SYSADMIN, Role.BUREAU_LEADER}:
        nav.append((_("Ledger"), reverse("audit:home")))
    if Role.SYSADMIN in roles:
        nav.append((_("Administration"), reverse("admin:index")))
    bureau = grants[0].organisation.bureau
    return {"staff_nav": nav, "is_staff_user": True, "brand_name": bureau.name if bureau else "",
            "user_roles": sorted({g.get_role_display() for g in grants})}
