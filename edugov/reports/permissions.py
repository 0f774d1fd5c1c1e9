from __future__ import annotations

from edugov.accounts.models import Organisation, Role, User
from edugov.accounts.permissions import can_read_within

WRITERS = {Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF, Role.BUREAU_LEADER}
READERS = WRITERS | {Role.LEGAL_REVIEWER, Role.AUDITOR}


def can_read_report(actor: User | None, org: Organisation) -> bool:
    return can_read_within(actor, org, READERS)


def can_write_report(actor: User | None, org: Organisation) -> bool:
    return can_read_within(actor, org, WRITERS)


def can_review_legality(actor: User | None, org: Organisation) -> bool:
    """The legal department (its legal reviewers) checks the draft first."""
    return can_read_within(actor, org, {Role.LEGAL_REVIEWER})


def can_approve(actor: User | None, org: Organisation) -> bool:
    return can_read_within(actor, org, {Role.BUREAU_LEADER})
