"""Who may do what in enforcement, one condition per function."""

from __future__ import annotations

from django.utils import timezone

from edugov.accounts.models import Organisation, Role, User
from edugov.accounts.permissions import can_read_within
from edugov.registries.models import Person

from .models import Finding

PLANNERS = {Role.ENFORCEMENT_OFFICER, Role.DEPARTMENT_HEAD}
READERS = PLANNERS | {Role.BUREAU_LEADER, Role.LEGAL_REVIEWER, Role.AUDITOR, Role.SUPERVISION_STAFF}


def can_read_enforcement(actor: User | None, bureau: Organisation) -> bool:
    return can_read_within(actor, bureau, READERS)


def can_plan(actor: User | None, bureau: Organisation) -> bool:
    return can_read_within(actor, bureau, PLANNERS)


def can_review(actor: User | None, bureau: Organisation) -> bool:
    return can_read_within(actor, bureau, {Role.LEGAL_REVIEWER})


def certificate_valid(person: Person, on: object = None) -> bool:
    """An officer acts and is drawn only with a 执法证 valid on the day."""
    day = on or timezone.localdate()
    return bool(person.kind == "enforcement_officer" and person.is_active and person.certificate_number
                and person.certificate_valid_until and person.certificate_valid_until >= day)  # type: ignore[operator]


def officer_for(actor: User) -> Person | None:
    """The roster entry of the signed-in officer."""
    return Person.objects.filter(user=actor, kind="enforcement_officer").first()


def can_read_finding_record(actor: User | None, key: str) -> bool:
    """A rectification notice's finding named by its id (kernel.subjects): those who read the bureau's
    enforcement."""
    if actor is None or not actor.is_authenticated or not key.isdigit():
        return False
    finding = Finding.objects.filter(pk=int(key)).select_related("inspection__campaign__organisation").first()
    return finding is not None and can_read_enforcement(actor, finding.inspection.campaign.organisation)


def can_assess_officers(actor: User | None, bureau: Organisation) -> bool:
    """The yearly plan and assessment of the officers: the department head and the leadership."""
    return can_read_within(actor, bureau, {Role.DEPARTMENT_HEAD, Role.BUREAU_LEADER})
