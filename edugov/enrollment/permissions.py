"""Who may do what in school enrollment."""

from __future__ import annotations

from edugov.accounts.models import Role, User
from edugov.accounts.permissions import can_read_within

from .models import Intake

# the department that runs enrollment prepares the policy and handles applications
MANAGERS = {Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF, Role.BUREAU_LEADER}


def can_manage(actor: User | None, intake: Intake) -> bool:
    """The lottery, the assignment, the results and changes to a published policy: the department
    head or a leader of the intake's bureau."""
    return can_read_within(actor, intake.organisation, {Role.DEPARTMENT_HEAD, Role.BUREAU_LEADER})
