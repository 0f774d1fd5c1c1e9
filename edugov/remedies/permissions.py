"""Who answers for the bureau: the legal office (legal reviewers), department heads and the leadership."""

from __future__ import annotations

from edugov.accounts.models import Organisation, Role, User
from edugov.accounts.permissions import can_read_within

WORKERS = {Role.LEGAL_REVIEWER, Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF, Role.BUREAU_LEADER}


def can_handle_remedies(actor: User | None, org: Organisation) -> bool:
    """Register a reconsideration or a lawsuit against the bureau and follow it."""
    return can_read_within(actor, org, WORKERS)
