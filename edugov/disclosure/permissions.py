"""Who answers disclosure requests: the bureau's departments, its legal office and leadership; the
head of the office approves an extension."""

from __future__ import annotations

from edugov.accounts.models import Organisation, Role, User
from edugov.accounts.permissions import can_read_within, has_role_over

WORKERS = {Role.DEPARTMENT_STAFF, Role.DEPARTMENT_HEAD, Role.LEGAL_REVIEWER, Role.BUREAU_LEADER}


def can_handle_disclosure(actor: User | None, org: Organisation) -> bool:
    return can_read_within(actor, org, WORKERS)


def can_extend_disclosure(actor: User | None, org: Organisation) -> bool:
    """The head of the disclosure office (a department head) or the leadership approves an extension."""
    return can_read_within(actor, org, {Role.DEPARTMENT_HEAD}) or has_role_over(actor, org, {Role.BUREAU_LEADER})
