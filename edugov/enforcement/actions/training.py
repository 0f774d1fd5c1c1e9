"""The officers' yearly training plan, its sessions and attendance, self-study, and the yearly
assessment (issue 31). An officer's hours are counted once: the same attendance or the same
self-study entered twice is refused, whether in one request or two at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation, User
from edugov.audit.ledger import record
from edugov.kernel import ledger_port
from edugov.kernel.errors import PermissionDenied, ValidationFailed
from edugov.kernel.validators import not_after
from edugov.registries.models import Person

from ..models import (
    AssessmentResult,
    OfficerAssessment,
    TrainingHours,
    TrainingKind,
    TrainingPlan,
    TrainingSession,
)
from ..permissions import can_assess_officers
from ..selectors import training_roster
from ._common import _planner

ledger_port.declare("training", ("assessed_on", "attendees", "held_on", "hours", "kind", "officer", "required_hours",
                                 "result", "studied_on", "topic", "year"))

MAX_SESSION_HOURS = Decimal(40)  # a week of concentrated study is recorded as one session at most


def _assessor(actor: User | None, bureau: Organisation) -> None:
    if actor is not None and not can_assess_officers(actor, bureau):
        raise PermissionDenied(_("The training plan and the assessment are kept by the department head and the leaders."))


def _not_future(day: dt.date, field: str) -> None:
    not_after(day, timezone.localdate(), field)


def _in_year(plan: TrainingPlan, day: dt.date, field: str) -> None:
    _not_future(day, field)
    if day.year != plan.year:
        raise ValidationFailed(_("The date is in the plan's year, %(year)d.") % {"year": plan.year}, field=field)


def _hours(value: Decimal, field: str = "hours") -> Decimal:
    if not Decimal("0.5") <= value <= MAX_SESSION_HOURS or value % Decimal("0.5"):
        raise ValidationFailed(_("Hours are counted in half hours, from 0.5 to %(most)s.") % {"most": MAX_SESSION_HOURS},
                               field=field)
    return value


def _on_roster(plan: TrainingPlan, officers: Iterable[Person], field: str) -> list[Person]:
    roster = {p.pk for p in training_roster(plan.organisation, plan.year)}
    chosen = list(officers)
    stray = [p.name for p in chosen if p.pk not in roster]
    if stray:
        raise ValidationFailed(_("Not among the officers of this plan: %(names)s.") % {"names": "、".join(stray)},
                               field=field)
    return chosen


@transaction.atomic
def plan_create(*, actor: User | None, organisation: Organisation, year: int, title: str, approved_on: dt.date,
                required_hours: int = 60, content: str = "", at: dt.datetime | None = None) -> TrainingPlan:
    _assessor(actor, organisation)
    if not title.strip():
        raise ValidationFailed(_("Please give the plan's title."), field="title")
    _not_future(approved_on, "approved_on")
    if not 2000 <= year <= approved_on.year + 1:
        raise ValidationFailed(_("A plan is for this year or the next."), field="year")
    if not 1 <= required_hours <= 500:
        raise ValidationFailed(_("The hours required are from 1 to 500."), field="required_hours")
    if TrainingPlan.objects.filter(organisation=organisation, year=year).exists():
        raise ValidationFailed(_("The bureau has a plan for %(year)d already.") % {"year": year}, field="year")
    plan = TrainingPlan.objects.create(organisation=organisation, year=year, title=title.strip()[:200],
                                       required_hours=required_hours, approved_on=approved_on,
                                       content=content.strip()[:5000], recorded_by=actor)
    record(actor=actor, action="training.plan", target=plan, organisation=organisation, at=at,
           after={"year": year, "required_hours": required_hours})
    return plan


@transaction.atomic
def session_record(*, actor: User | None, plan: TrainingPlan, kind: str, held_on: dt.date, topic: str,
                   hours: Decimal, attendees: Iterable[Person], teacher: str = "",
                   at: dt.datetime | None = None) -> TrainingSession:
    """A session and who attended it: each attendee is credited the session's hours, once."""
    _planner(actor, plan.organisation)
    if kind not in TrainingKind.values or kind == TrainingKind.SELF_STUDY:
        raise ValidationFailed(_("Choose the kind of session (self-study is recorded per officer)."), field="kind")
    _in_year(plan, held_on, "held_on")
    if not topic.strip():
        raise ValidationFailed(_("Please give the topic."), field="topic")
    _hours(hours)
    people = _on_roster(plan, attendees, "attendees")
    if not people:
        raise ValidationFailed(_("Choose who attended."), field="attendees")
    topic = topic.strip()[:200]
    if TrainingSession.objects.filter(plan=plan, held_on=held_on, topic=topic).exists():
        raise ValidationFailed(_("This session has been recorded already; add attendance to it instead."),
                               field="topic")
    try:
        with transaction.atomic():
            session = TrainingSession.objects.create(plan=plan, kind=kind, held_on=held_on, topic=topic, hours=hours,
                                                     teacher=teacher.strip()[:80])
    except IntegrityError:
        raise ValidationFailed(_("This session has been recorded already; add attendance to it instead."),
                               field="topic") from None
    TrainingHours.objects.bulk_create([TrainingHours(plan=plan, officer=p, session=session, studied_on=held_on,
                                                     topic=topic, hours=hours, recorded_by=actor) for p in people])
    record(actor=actor, action="training.session", target=session, organisation=plan.organisation, at=at,
           after={"kind": kind, "held_on": held_on, "topic": topic, "hours": str(hours), "attendees": len(people)})
    return session


@transaction.atomic
def attendance_add(*, actor: User | None, session: TrainingSession, officers: Iterable[Person],
                   at: dt.datetime | None = None) -> int:
    """Officers whose attendance was not entered with the session. One already credited is refused."""
    plan = session.plan
    _planner(actor, plan.organisation)
    people = _on_roster(plan, officers, "officers")
    if not people:
        raise ValidationFailed(_("Choose who attended."), field="officers")
    TrainingSession.objects.select_for_update().get(pk=session.pk)  # two clerks adding at once: one after the other
    already = list(TrainingHours.objects.filter(session=session, officer__in=people).values_list("officer__name",
                                                                                                  flat=True))
    if already:
        raise ValidationFailed(_("Already credited with this session (hours are not counted twice): %(names)s.")
                               % {"names": "、".join(already)}, field="officers")
    TrainingHours.objects.bulk_create([TrainingHours(plan=plan, officer=p, session=session, studied_on=session.held_on,
                                                     topic=session.topic, hours=session.hours, recorded_by=actor)
                                       for p in people])
    record(actor=actor, action="training.attendance", target=session, organisation=plan.organisation, at=at,
           after={"held_on": session.held_on, "attendees": len(people)})
    return len(people)


@transaction.atomic
def self_study_record(*, actor: User | None, plan: TrainingPlan, officer: Person, studied_on: dt.date, topic: str,
                      hours: Decimal, at: dt.datetime | None = None) -> TrainingHours:
    """Self-study (自学): the officer's own, or entered by the department for them."""
    own = actor is not None and officer.user_id == actor.pk
    if not own:
        _planner(actor, plan.organisation)
    _on_roster(plan, [officer], "officer")
    _in_year(plan, studied_on, "studied_on")
    if not topic.strip():
        raise ValidationFailed(_("Please give the topic."), field="topic")
    _hours(hours)
    topic = topic.strip()[:200]
    if TrainingHours.objects.filter(plan=plan, officer=officer, studied_on=studied_on, topic=topic).exists():
        raise ValidationFailed(_("This study has been recorded already (hours are not counted twice)."), field="topic")
    try:
        with transaction.atomic():
            row = TrainingHours.objects.create(plan=plan, officer=officer, studied_on=studied_on, topic=topic,
                                               hours=hours, recorded_by=actor)
    except IntegrityError:
        raise ValidationFailed(_("This study has been recorded already (hours are not counted twice)."),
                               field="topic") from None
    record(actor=actor, action="training.self_study", target=row, organisation=plan.organisation, at=at,
           after={"officer": officer.pk, "studied_on": studied_on, "hours": str(hours)})
    return row


@transaction.atomic
def assessment_record(*, actor: User | None, plan: TrainingPlan, officer: Person, result: str, assessed_on: dt.date,
                      score: int | None = None, note: str = "", at: dt.datetime | None = None) -> OfficerAssessment:
    """The officer's assessment for the plan's year, given in that year or after it; once."""
    _assessor(actor, plan.organisation)
    _on_roster(plan, [officer], "officer")
    if result not in AssessmentResult.values:
        raise ValidationFailed(_("Choose the result."), field="result")
    _not_future(assessed_on, "assessed_on")
    if assessed_on.year < plan.year:
        raise ValidationFailed(_("An assessment is given in the plan's year or after it."), field="assessed_on")
    if score is not None and not 0 <= score <= 100:
        raise ValidationFailed(_("The score is from 0 to 100."), field="score")
    if result == AssessmentResult.FAIL and not note.strip():
        raise ValidationFailed(_("Say why the officer was not found competent."), field="note")
    if OfficerAssessment.objects.filter(plan=plan, officer=officer).exists():
        raise ValidationFailed(_("%(name)s has been assessed for %(year)d already.")
                               % {"name": officer.name, "year": plan.year}, field="officer")
    try:
        with transaction.atomic():
            assessment = OfficerAssessment.objects.create(plan=plan, officer=officer, result=result, score=score,
                                                          assessed_on=assessed_on, note=note.strip()[:300],
                                                          recorded_by=actor)
    except IntegrityError:
        raise ValidationFailed(_("%(name)s has been assessed for %(year)d already.")
                               % {"name": officer.name, "year": plan.year}, field="officer") from None
    record(actor=actor, action="training.assess", target=assessment, organisation=plan.organisation, at=at,
           after={"officer": officer.pk, "year": plan.year, "result": result, "assessed_on": assessed_on})
    return assessment
