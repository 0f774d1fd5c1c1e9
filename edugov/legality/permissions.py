"""Who works on legality review: the bureau's departments draft and ask, the legal office
(legal reviewers) reviews and records the adviser's answers, the leadership decides and signs."""

from __future__ import annotations

from edugov.accounts.models import Organisation, Role, User
from edugov.accounts.permissions import can_read_within, has_role_over

WORKERS = {Role.DEPARTMENT_STAFF, Role.DEPARTMENT_HEAD, Role.LEGAL_REVIEWER, Role.BUREAU_LEADER}


def can_work_on_legality(actor: User | None, org: Organisation) -> bool:
    """Draft normative documents, catalogue decisions, submit contracts and ask the adviser."""
    return can_read_within(actor, org, WORKERS)


def can_keep_advisers(actor: User | None, org: Organisation) -> bool:
    """The legal office and the leadership keep the list of legal advisers and run a clean-up."""
    return can_read_within(actor, org, {Role.LEGAL_REVIEWER, Role.BUREAU_LEADER})


def can_publish_catalogue(actor: User | None, org: Organisation) -> bool:
    """The leadership publishes the year's catalogue of major decisions (after the Party committee agrees)."""
    return has_role_over(actor, org, {Role.BUREAU_LEADER})
