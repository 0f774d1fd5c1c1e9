"""Who keeps the leadership's records: the bureau's departments (the office keeps them in practice)
and its leaders."""

from __future__ import annotations

from edugov.accounts.models import Organisation, Role, User
from edugov.accounts.permissions import can_read_within

KEEPERS = {Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF, Role.BUREAU_LEADER}


def can_keep_leadership(actor: User | None, org: Organisation) -> bool:
    return can_read_within(actor, org, KEEPERS)
