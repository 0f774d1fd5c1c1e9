"""The special school's correction cases: need-to-know access, every view in the ledger."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import Role, User
from edugov.accounts.permissions import has_role_over
from edugov.audit.ledger import record
from edugov.kernel import ledger_port
from edugov.kernel.errors import Conflict, PermissionDenied, ValidationFailed
from edugov.registries.models import School, SchoolLevel

from .models import CorrectionCase, FollowUp, Reoffence

# What this module's ledger entries record (the ledger refuses any other field).
ledger_port.declare("special_school", ("admitted_on", "assigned", "case", "method", "on", "released_on", "source"))


def can_open_case(actor: User | None, school: School) -> bool:
    return has_role_over(actor, school.organisation, {Role.SCHOOL_ADMIN})


def can_see(actor: User | None, case: CorrectionCase) -> bool:
    """Only the staff assigned to the case: not the bureau, not other school staff."""
    return actor is not None and actor.is_authenticated and case.assigned.filter(pk=actor.pk).exists()


def visible(actor: User) -> list[CorrectionCase]:
    return list(CorrectionCase.objects.filter(assigned=actor).select_related("school"))


def log_view(actor: User, case: CorrectionCase) -> None:
    """Every look at a case is recorded (who, when), whether or not anything changes."""
    record(actor=actor, action="special_school.view", target=case, organisation=case.school.organisation,
           after={"case": case.pk})


@transaction.atomic
def admit(*, actor: User | None, school: School, student_name: str, admitted_on: dt.date, assigned: list[User],
          at: dt.datetime | None = None) -> CorrectionCase:
    if school.level != SchoolLevel.SPECIAL_SCHOOL:
        raise ValidationFailed(_("Correction cases belong to a special school."), field="school")
    if actor is not None and not can_open_case(actor, school):
        raise PermissionDenied(_("Only the special school's administrators open correction cases."))
    if not student_name.strip():
        raise ValidationFailed(_("Please give the student's name."), field="student_name")
    if not assigned:
        raise ValidationFailed(_("Assign at least one member of staff to the case."), field="assigned")
    case = CorrectionCase.objects.create(school=school, student_name=student_name.strip(), admitted_on=admitted_on,
                                         created_at=at or timezone.now())
    case.assigned.set(assigned)
    record(actor=actor, action="special_school.admit", target=case, organisation=school.organisation, at=at,
           after={"admitted_on": admitted_on, "assigned": [u.pk for u in assigned]})  # no name in the ledger body
    return case


def _mine(actor: User | None, case: CorrectionCase) -> CorrectionCase:
    if actor is not None and not can_see(actor, case):
        raise PermissionDenied(_("Only the staff assigned to this case may see or change it."))
    return CorrectionCase.objects.select_for_update().select_related("school__organisation").get(pk=case.pk)


@transaction.atomic
def release(*, actor: User | None, case: CorrectionCase, on: dt.date, at: dt.datetime | None = None) -> CorrectionCase:
    case = _mine(actor, case)
    if case.released_on is not None:
        raise Conflict(_("This student has been released already."))
    if on < case.admitted_on:
        raise ValidationFailed(_("Release comes after admission."), field="on")
    case.released_on = on
    case.save(update_fields=["released_on"])
    record(actor=actor, action="special_school.release", target=case, organisation=case.school.organisation, at=at,
           after={"released_on": on})
    return case


@transaction.atomic
def follow_up(*, actor: User | None, case: CorrectionCase, on: dt.date, method: str, note: str,
              at: dt.datetime | None = None) -> FollowUp:
    case = _mine(actor, case)
    if case.released_on is None or on < case.released_on:
        raise ValidationFailed(_("Follow-up visits come after release."), field="on")
    if not note.strip() or not method.strip():
        raise ValidationFailed(_("Please say how the follow-up was made and what was found."), field="note")
    visit = FollowUp.objects.create(case=case, on=on, method=method.strip()[:40], note=note.strip(), by=actor)
    record(actor=actor, action="special_school.follow_up", target=case, organisation=case.school.organisation, at=at,
           after={"on": on, "method": visit.method})
    return visit


@transaction.atomic
def record_reoffence(*, actor: User | None, case: CorrectionCase, on: dt.date, description: str, source: str,
                     at: dt.datetime | None = None) -> Reoffence:
    case = _mine(actor, case)
    if case.released_on is None or on < case.released_on:
        raise ValidationFailed(_("A reoffence is recorded after release."), field="on")
    if not description.strip() or not source.strip():
        raise ValidationFailed(_("Please describe what happened and who reported it."), field="description")
    event = Reoffence.objects.create(case=case, on=on, description=description.strip(), source=source.strip()[:80],
                                     by=actor)
    record(actor=actor, action="special_school.reoffence", target=case, organisation=case.school.organisation, at=at,
           after={"on": on, "source": event.source})
    return event
