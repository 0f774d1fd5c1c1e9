"""Who may keep the oversight registers (publication, inquiries, lectures, decisions) and the
risk screening and patrols."""

from __future__ import annotations

from edugov.accounts.models import Organisation, Role, User
from edugov.accounts.permissions import can_read_within

WRITERS = {Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF, Role.BUREAU_LEADER}
SCREENERS = {Role.SUPERVISION_STAFF, Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF, Role.BUREAU_LEADER}


def can_keep_registers(actor: User | None, org: Organisation) -> bool:
    """The bureau's departments keep the publication, inquiry, lecture and decision registers."""
    return can_read_within(actor, org, WRITERS)


def can_screen(actor: User | None, org: Organisation) -> bool:
    """The bureau (supervision office and departments) records risk screening and patrol findings."""
    return can_read_within(actor, org, SCREENERS)
