from __future__ import annotations

from edugov.accounts.models import Organisation, Role, User
from edugov.accounts.permissions import can_read_within

DRAWERS = {Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF, Role.ENFORCEMENT_OFFICER, Role.SUPERVISION_STAFF,
           Role.SYSADMIN}


def can_run_draw(actor: User | None, organisation: Organisation) -> bool:
    """Bureau staff run draws for their bureau (a role held at a department counts for it)."""
    return can_read_within(actor, organisation, DRAWERS)
