"""One write per record of the leadership (issue 31), each checked, each with its ledger entry."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation, User
from edugov.audit.ledger import record
from edugov.kernel import ledger_port
from edugov.kernel.errors import PermissionDenied, ValidationFailed
from edugov.kernel.validators import not_after
from edugov.registries.models import School

from .models import CommitteeReport, Lecture, LegalAccount, SessionKind, StudySession
from .permissions import can_keep_leadership

# What this module's ledger entries record (the ledger refuses any other field).
ledger_port.declare("leadership", ("attended", "delivered_on", "expected", "first_topic", "heard_on", "held_on",
                                   "kind", "person", "place", "quarter", "school", "subject", "title", "topic", "year"))

# The most people one lecture is recorded for (a district-wide live broadcast is several lectures).
MAX_AUDIENCE = 100_000
MAX_MEMBERS = 10_000


def _check(actor: User | None, org: Organisation, fields: dict[str, Any]) -> None:
    if actor is not None and not can_keep_leadership(actor, org):
        raise PermissionDenied(_("These records are kept by the bureau's office and leaders."))
    for name, value in fields.items():
        if value in (None, "") or (isinstance(value, str) and not value.strip()):
            raise ValidationFailed(_("Please fill in every field."), field=name)
    for name, value in fields.items():
        if isinstance(value, dt.date):
            not_after(value, timezone.localdate(), name)


def _twice(field: str) -> ValidationFailed:
    return ValidationFailed(_("This has been recorded already; it is not counted twice."), field=field)


@transaction.atomic
def session_add(*, actor: User | None, organisation: Organisation, kind: str, held_on: dt.date, topic: str,
                chaired_by: str, expected: int, attended: int, first_topic: bool = False, on_law: bool = False,
                at: dt.datetime | None = None) -> StudySession:
    _check(actor, organisation, {"held_on": held_on, "topic": topic, "chaired_by": chaired_by})
    if kind not in SessionKind.values:
        raise ValidationFailed(_("Choose the meeting."), field="kind")
    if not 1 <= expected <= MAX_MEMBERS:
        raise ValidationFailed(_("The members expected are a number from 1 to %(most)d.") % {"most": MAX_MEMBERS},
                               field="expected")
    if not 0 <= attended <= expected:
        raise ValidationFailed(_("The members present are from 0 to the members expected."), field="attended")
    topic = topic.strip()[:200]
    if StudySession.objects.filter(organisation=organisation, kind=kind, held_on=held_on, topic=topic).exists():
        raise _twice("topic")
    try:
        with transaction.atomic():
            session = StudySession.objects.create(
                organisation=organisation, kind=kind, held_on=held_on, topic=topic, chaired_by=chaired_by.strip()[:60],
                expected=expected, attended=attended, first_topic=first_topic, on_law=on_law, recorded_by=actor)
    except IntegrityError:  # the same session submitted twice at once
        raise _twice("topic") from None
    record(actor=actor, action="leadership.session", target=session, organisation=organisation, at=at,
           after={"kind": kind, "held_on": held_on, "topic": topic, "expected": expected, "attended": attended,
                  "first_topic": first_topic})
    return session


@transaction.atomic
def lecture_add(*, actor: User | None, organisation: Organisation, held_on: dt.date, title: str, place: str = "",
                audience: int = 0, school: School | None = None, given_by: str = "",
                at: dt.datetime | None = None) -> Lecture:
    """A lecture given in a school (宣讲): in one of the bureau's schools, or a place named."""
    where = school.name if school is not None else place
    _check(actor, organisation, {"held_on": held_on, "title": title, "place": where})
    if school is not None and not school.organisation.path.startswith(organisation.path):
        raise ValidationFailed(_("Choose one of the district's schools."), field="school")
    if not 0 <= audience <= MAX_AUDIENCE:
        raise ValidationFailed(_("The audience is a number of people from 0 to %(most)d.") % {"most": MAX_AUDIENCE},
                               field="audience")
    lecture = Lecture.objects.create(organisation=organisation, held_on=held_on, title=title.strip()[:200],
                                     place=where.strip()[:120], school=school, given_by=given_by.strip()[:60],
                                     audience=audience, recorded_by=actor)
    record(actor=actor, action="leadership.lecture", target=lecture, organisation=organisation, at=at,
           after={"held_on": held_on, "title": lecture.title, "place": lecture.place,
                  **({"school": school.code} if school is not None else {})})
    return lecture


@transaction.atomic
def account_add(*, actor: User | None, organisation: Organisation, year: int, person: str, delivered_on: dt.date,
                before: str, summary: str, assessment: str = "", at: dt.datetime | None = None) -> LegalAccount:
    """述法: a leader's account of the year's rule-of-law duties, given after the year it covers."""
    _check(actor, organisation, {"person": person, "delivered_on": delivered_on, "before": before, "summary": summary})
    if not 2000 <= year <= delivered_on.year:
        raise ValidationFailed(_("The year accounted for is a past year or this one, up to the day it was given."),
                               field="year")
    person = person.strip()[:80]
    if LegalAccount.objects.filter(organisation=organisation, year=year, person=person).exists():
        raise _twice("person")
    account = LegalAccount.objects.create(organisation=organisation, year=year, person=person,
                                          delivered_on=delivered_on, before=before.strip()[:120],
                                          summary=summary.strip()[:5000], assessment=assessment.strip()[:120],
                                          recorded_by=actor)
    record(actor=actor, action="leadership.account", target=account, organisation=organisation, at=at,
           after={"year": year, "person": person, "delivered_on": delivered_on})
    return account


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


@transaction.atomic
def report_heard(*, actor: User | None, organisation: Organisation, heard_on: dt.date, subject: str, reporter: str,
                 follow_up: str = "", at: dt.datetime | None = None) -> CommitteeReport:
    """A report the work committee heard; its quarter is the day's."""
    _check(actor, organisation, {"heard_on": heard_on, "subject": subject, "reporter": reporter})
    subject = subject.strip()[:200]
    year, quarter = heard_on.year, quarter_of(heard_on)
    if CommitteeReport.objects.filter(organisation=organisation, year=year, quarter=quarter, subject=subject).exists():
        raise _twice("subject")
    report = CommitteeReport.objects.create(organisation=organisation, year=year, quarter=quarter, heard_on=heard_on,
                                            subject=subject, reporter=reporter.strip()[:80],
                                            follow_up=follow_up.strip()[:5000], recorded_by=actor)
    record(actor=actor, action="leadership.report", target=report, organisation=organisation, at=at,
           after={"heard_on": heard_on, "quarter": quarter, "subject": subject})
    return report
