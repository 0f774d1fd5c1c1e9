"""The school's own rule of law (依法治校, issue 32): its charter's revisions and the bureau's approval
(核准), the rule-of-law lessons it gives (at least two a term), its part in the constitution week
(宪法宣传周, 宪法晨读), and its communication with families (家校沟通). A school records its own; the
bureau's departments record for any school of the district and alone approve a charter."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import Role, User
from edugov.accounts.permissions import can_read_within, has_role_over
from edugov.audit.ledger import record
from edugov.kernel import ledger_port
from edugov.kernel.calendar import school_term
from edugov.kernel.errors import Conflict, PermissionDenied, ValidationFailed
from edugov.kernel.validators import not_after
from edugov.registries.models import School

from .models import (
    CharterRevision,
    CharterStatus,
    ConstitutionWeek,
    Lesson,
    ParentChannelKind,
    ParentMeeting,
    ParentOpinion,
)
from .permissions import APPOINTERS

ledger_port.declare("charter", ("adopted_on", "decided_on", "published_on", "school", "status", "submitted_on",
                                "version"))
ledger_port.declare("school_law", ("attended", "class", "held_on", "kind", "morning_reading", "participants",
                                   "received_on", "answered_on", "school", "term", "topic", "year"))

# the minimum of rule-of-law lessons a school gives each term
LESSONS_PER_TERM = 2
MAX_PEOPLE = 100_000


def can_record_for(actor: User | None, school: School) -> bool:
    """The school's administrators for their school; the bureau's departments for any school of theirs."""
    return has_role_over(actor, school.organisation, {Role.SCHOOL_ADMIN}) or can_read_within(
        actor, school.organisation, APPOINTERS)


def can_approve_charter(actor: User | None, school: School) -> bool:
    return can_read_within(actor, school.organisation, APPOINTERS)


def _check(actor: User | None, school: School, fields: dict[str, Any], at: dt.datetime | None) -> None:
    if actor is not None and not can_record_for(actor, school):
        raise PermissionDenied(_("A school records its own; the bureau's departments record for any school."))
    today = _day(at)
    for name, value in fields.items():
        if value in (None, "") or (isinstance(value, str) and not value.strip()):
            raise ValidationFailed(_("Please fill in every field."), field=name)
        if isinstance(value, dt.date):
            not_after(value, today, name)


def _day(at: dt.datetime | None) -> dt.date:
    return timezone.localdate(at or timezone.now())


def _twice(field: str) -> ValidationFailed:
    return ValidationFailed(_("This has been recorded already; it is not counted twice."), field=field)


# ---- the charter ---------------------------------------------------------------------------------

@transaction.atomic
def charter_submit(*, actor: User | None, school: School, summary: str, adopted_on: dt.date,
                   submitted_on: dt.date, at: dt.datetime | None = None) -> CharterRevision:
    """The school submits a revision its staff congress adopted; one revision waits at a time."""
    _check(actor, school, {"summary": summary, "adopted_on": adopted_on, "submitted_on": submitted_on}, at)
    if submitted_on < adopted_on:
        raise ValidationFailed(_("A revision is submitted after the school adopted it."), field="submitted_on")
    School.objects.select_for_update().filter(pk=school.pk).first()  # one submission at a time per school
    waiting = CharterRevision.objects.filter(school=school, status=CharterStatus.SUBMITTED).first()
    if waiting is not None:
        raise Conflict(_("Revision %(n)d, submitted on %(day)s, is still waiting for the bureau's approval.")
                       % {"n": waiting.version, "day": waiting.submitted_on})
    version = (CharterRevision.objects.filter(school=school).aggregate(m=Max("version"))["m"] or 0) + 1
    revision = CharterRevision.objects.create(school=school, version=version, summary=summary.strip()[:300],
                                              adopted_on=adopted_on, submitted_on=submitted_on, submitted_by=actor)
    record(actor=actor, action="charter.submit", target=revision, organisation=school.organisation, at=at,
           after={"school": school.code, "version": version, "adopted_on": adopted_on, "submitted_on": submitted_on})
    return revision


@transaction.atomic
def charter_decide(*, actor: User | None, revision: CharterRevision, approve: bool, decided_on: dt.date, note: str,
                   at: dt.datetime | None = None) -> CharterRevision:
    """The bureau approves (核准) a revision, or returns it with its opinion."""
    locked = CharterRevision.objects.select_for_update().select_related("school__organisation").get(pk=revision.pk)
    if actor is not None and not can_approve_charter(actor, locked.school):
        raise PermissionDenied(_("A charter is approved by the bureau's departments."))
    if locked.status != CharterStatus.SUBMITTED:
        raise Conflict(_("This revision was decided on %(day)s.") % {"day": locked.decided_on})
    if not approve and not note.strip():
        raise ValidationFailed(_("Please give the bureau's opinion: the school revises from it."), field="note")
    not_after(decided_on, _day(at), "decided_on")
    if decided_on < locked.submitted_on:
        raise ValidationFailed(_("A revision is decided after it was submitted (%(day)s).")
                               % {"day": locked.submitted_on}, field="decided_on")
    locked.status = CharterStatus.APPROVED if approve else CharterStatus.RETURNED
    locked.decided_on, locked.decision_note, locked.decided_by = decided_on, note.strip()[:300], actor
    locked.save(update_fields=["status", "decided_on", "decision_note", "decided_by"])
    record(actor=actor, action="charter.decide", target=locked, organisation=locked.school.organisation, at=at,
           after={"status": locked.status, "decided_on": decided_on})
    return locked


@transaction.atomic
def charter_publish(*, actor: User | None, revision: CharterRevision, published_on: dt.date,
                    at: dt.datetime | None = None) -> CharterRevision:
    """The school publishes its charter once the bureau approved it, never before."""
    locked = CharterRevision.objects.select_for_update().select_related("school__organisation").get(pk=revision.pk)
    _check(actor, locked.school, {"published_on": published_on}, at)
    if locked.status == CharterStatus.PUBLISHED:
        raise Conflict(_("This revision was published on %(day)s.") % {"day": locked.published_on})
    if locked.status != CharterStatus.APPROVED or locked.decided_on is None:
        raise ValidationFailed(_("Revision %(n)d has not been approved by the bureau (%(status)s): a charter is "
                                 "published only after its approval (核准).")
                               % {"n": locked.version, "status": locked.get_status_display()}, field="published_on")
    if published_on < locked.decided_on:
        raise ValidationFailed(_("A charter is published after its approval (%(day)s).") % {"day": locked.decided_on},
                               field="published_on")
    locked.status, locked.published_on = CharterStatus.PUBLISHED, published_on
    locked.save(update_fields=["status", "published_on"])
    record(actor=actor, action="charter.publish", target=locked, organisation=locked.school.organisation, at=at,
           after={"published_on": published_on})
    return locked


# ---- lessons, the constitution week ----------------------------------------------------------------

@transaction.atomic
def lesson_record(*, actor: User | None, school: School, held_on: dt.date, class_name: str, topic: str, teacher: str,
                  at: dt.datetime | None = None) -> Lesson:
    _check(actor, school, {"held_on": held_on, "class_name": class_name, "topic": topic, "teacher": teacher}, at)
    term_start = school_term(held_on)[0]
    try:
        with transaction.atomic():
            lesson = Lesson.objects.create(school=school, held_on=held_on, term_start=term_start,
                                           class_name=class_name.strip()[:60], topic=topic.strip()[:120],
                                           teacher=teacher.strip()[:60], recorded_by=actor)
    except IntegrityError:
        raise _twice("topic") from None
    record(actor=actor, action="school_law.lesson", target=lesson, organisation=school.organisation, at=at,
           after={"school": school.code, "held_on": held_on, "term": term_start, "class": lesson.class_name,
                  "topic": lesson.topic})
    return lesson


@transaction.atomic
def constitution_week_record(*, actor: User | None, school: School, year: int, morning_reading: bool,
                             participants: int, activities: str, at: dt.datetime | None = None) -> ConstitutionWeek:
    _check(actor, school, {"activities": activities}, at)
    today = _day(at)
    if not 2000 <= year <= today.year:
        raise ValidationFailed(_("Choose a year up to this one."), field="year")
    if not 1 <= participants <= MAX_PEOPLE:
        raise ValidationFailed(_("The people who took part are a number from 1 to %(most)d.") % {"most": MAX_PEOPLE},
                               field="participants")
    try:
        with transaction.atomic():
            week = ConstitutionWeek.objects.create(school=school, year=year, morning_reading=morning_reading,
                                                   participants=participants, activities=activities.strip()[:300],
                                                   recorded_by=actor)
    except IntegrityError:
        raise _twice("year") from None
    record(actor=actor, action="school_law.constitution_week", target=week, organisation=school.organisation, at=at,
           after={"school": school.code, "year": year, "morning_reading": morning_reading,
                  "participants": participants})
    return week


# ---- families ------------------------------------------------------------------------------------

@transaction.atomic
def parent_meeting_add(*, actor: User | None, school: School, kind: str, held_on: dt.date, topic: str, attended: int,
                       at: dt.datetime | None = None) -> ParentMeeting:
    _check(actor, school, {"held_on": held_on, "topic": topic}, at)
    if kind not in ParentChannelKind.values:
        raise ValidationFailed(_("Choose the channel."), field="kind")
    if not 1 <= attended <= MAX_PEOPLE:
        raise ValidationFailed(_("The families present are a number from 1 to %(most)d.") % {"most": MAX_PEOPLE},
                               field="attended")
    try:
        with transaction.atomic():
            meeting = ParentMeeting.objects.create(school=school, kind=kind, held_on=held_on, topic=topic.strip()[:200],
                                                   attended=attended, recorded_by=actor)
    except IntegrityError:
        raise _twice("topic") from None
    record(actor=actor, action="school_law.meeting", target=meeting, organisation=school.organisation, at=at,
           after={"school": school.code, "kind": kind, "held_on": held_on, "attended": attended})
    return meeting


@transaction.atomic
def parent_opinion_add(*, actor: User | None, school: School, kind: str, received_on: dt.date, summary: str,
                       response: str = "", answered_on: dt.date | None = None,
                       at: dt.datetime | None = None) -> ParentOpinion:
    """An opinion from families, with what the school did when it is known already."""
    _check(actor, school, {"received_on": received_on, "summary": summary}, at)
    if kind not in ParentChannelKind.values:
        raise ValidationFailed(_("Choose the channel."), field="kind")
    if bool(response.strip()) != (answered_on is not None):
        raise ValidationFailed(_("Give both what the school did and the day, or neither yet."),
                               field="answered_on" if response.strip() else "response")
    _answer_checks(received_on, answered_on, at)
    try:
        with transaction.atomic():
            opinion = ParentOpinion.objects.create(school=school, kind=kind, received_on=received_on,
                                                   summary=summary.strip()[:300], response=response.strip()[:300],
                                                   answered_on=answered_on, recorded_by=actor)
    except IntegrityError:
        raise _twice("summary") from None
    record(actor=actor, action="school_law.opinion", target=opinion, organisation=school.organisation, at=at,
           after={"school": school.code, "kind": kind, "received_on": received_on, "answered_on": answered_on})
    return opinion


def _answer_checks(received_on: dt.date, answered_on: dt.date | None, at: dt.datetime | None) -> None:
    if answered_on is None:
        return
    not_after(answered_on, _day(at), "answered_on")
    if answered_on < received_on:
        raise ValidationFailed(_("An opinion is answered after it was received (%(day)s).") % {"day": received_on},
                               field="answered_on")


@transaction.atomic
def parent_opinion_answer(*, actor: User | None, opinion: ParentOpinion, response: str, answered_on: dt.date,
                          at: dt.datetime | None = None) -> ParentOpinion:
    locked = ParentOpinion.objects.select_for_update().select_related("school__organisation").get(pk=opinion.pk)
    _check(actor, locked.school, {"response": response, "answered_on": answered_on}, at)
    if locked.answered_on is not None:
        raise Conflict(_("This opinion was answered on %(day)s.") % {"day": locked.answered_on})
    _answer_checks(locked.received_on, answered_on, at)
    locked.response, locked.answered_on = response.strip()[:300], answered_on
    locked.save(update_fields=["response", "answered_on"])
    record(actor=actor, action="school_law.answer", target=locked, organisation=locked.school.organisation, at=at,
           after={"answered_on": answered_on})
    return locked
