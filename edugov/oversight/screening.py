"""Online patrols with their rectifications, monthly risk ledgers with the bureau's analysis, and
the 三重一大 decision register. Each write checks the actor and leaves its ledger entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation, Role, User
from edugov.accounts.permissions import has_role_over
from edugov.audit.ledger import record
from edugov.cases import actions as engine
from edugov.kernel import ledger_port
from edugov.kernel.calendar import month_start
from edugov.kernel.errors import Conflict, PermissionDenied, ValidationFailed
from edugov.registries.models import School

from .models import (
    Decision,
    DecisionCategory,
    ItemStatus,
    LedgerChase,
    PatrolRecord,
    PatrolSource,
    Rectification,
    RiskItem,
    RiskLedger,
    RiskLevel,
)
from .permissions import can_screen
from .workflow import RECTIFICATION, ledger_key

# What this module's ledger entries record (the ledger refuses any other field).
ledger_port.declare("decision", ("category", "executed_on", "major_decision", "matter", "met_on"))
ledger_port.declare("patrol", ("closed_on", "finding", "on", "school"))
ledger_port.declare("risk", ("closed_on", "high", "item", "items", "month", "schools"))




def _bureau_only(actor: User | None, org: Organisation) -> None:
    if actor is not None and not can_screen(actor, org):
        raise PermissionDenied(_("This is recorded by the bureau."))


def _school_only(actor: User | None, school: School) -> None:
    if actor is not None and not has_role_over(actor, school.organisation, {Role.SCHOOL_ADMIN}):
        raise PermissionDenied(_("Only the school's administrators do this."))


@transaction.atomic
def patrol(*, actor: User | None, school: School, on: dt.date, checked: str, finding: str = "",
           at: dt.datetime | None = None, source: str = PatrolSource.ONLINE) -> PatrolRecord:
    """A patrol record; a finding goes to the school as a rectification due in 5 working days."""
    bureau = school.organisation.bureau or school.organisation
    _bureau_only(actor, bureau)
    if not checked.strip():
        raise ValidationFailed(_("Please say what was checked."), field="checked")
    record_ = PatrolRecord.objects.create(organisation=bureau, school=school, on=on, checked=checked.strip()[:200],
                                          finding=finding.strip()[:300], by=actor, source=source)
    record(actor=actor, action="patrol.record", target=record_, organisation=bureau, at=at,
           after={"school": school.code, "on": on, "finding": record_.finding})
    if record_.finding:  # a case for the school, its clock counted from the patrol's day
        case = engine.case_open(actor=actor, kind=RECTIFICATION.kind, organisation=bureau,
                                department=school.organisation, title=f"{school.name}：{record_.finding}"[:200],
                                at=at or _on_day(on), note=record_.finding)
        Rectification.objects.create(patrol=record_, case=case, deadline=case.clocks.get(name="rectify").due_on)
    return record_


def _on_day(day: dt.date) -> dt.datetime:
    """An act recorded for a day: that day at the time it is now (never later than now)."""
    now = timezone.now()
    return min(now, timezone.make_aware(dt.datetime.combine(day, timezone.localtime(now).time())))


@transaction.atomic
def close_rectification(*, actor: User | None, item: Rectification, note: str, on: dt.date | None = None,
                        at: dt.datetime | None = None) -> Rectification:
    item = Rectification.objects.select_for_update().select_related("patrol__school__organisation").get(pk=item.pk)
    _school_only(actor, item.patrol.school)
    if item.status == ItemStatus.CLOSED:
        raise Conflict(_("This item has been closed already."))
    if not note.strip():
        raise ValidationFailed(_("Please say how it was rectified."), field="note")
    item.status, item.closed_on, item.closing_note = ItemStatus.CLOSED, on or timezone.localdate(), note.strip()[:300]
    item.save(update_fields=["status", "closed_on", "closing_note"])
    if item.case is not None:  # the engine's step: the clock stops, met or missed
        engine.case_transition(actor=actor, case=item.case, transition="close", data={"note": item.closing_note},
                               at=at or _on_day(item.closed_on), system=actor is None)
    record(actor=actor, action="patrol.rectified", target=item.patrol, organisation=item.patrol.school.organisation,
           at=at, after={"closed_on": item.closed_on}, note=item.closing_note)
    return item


def fortnight(end: dt.date) -> tuple[dt.date, dt.date]:
    """The two weeks a bulletin covers, ending on `end`."""
    return end - dt.timedelta(days=13), end


def bulletin(bureau: Organisation, end: dt.date) -> dict[str, Any]:
    """The fortnightly patrol bulletin: schools patrolled, findings, rectifications open and overdue."""
    start, end = fortnight(end)
    records = list(PatrolRecord.objects.filter(organisation=bureau, on__gte=start, on__lte=end, source=PatrolSource.ONLINE)
                   .select_related("school", "rectification"))
    findings = [r for r in records if r.finding]
    open_items = Rectification.objects.filter(patrol__organisation=bureau, status=ItemStatus.OPEN).select_related(
        "patrol__school")
    return {"start": start, "end": end, "patrols": len(records), "schools": len({r.school_id for r in records}),
            "findings": findings, "open": list(open_items), "overdue": [i for i in open_items if i.deadline < end]}


@transaction.atomic
def submit_ledger(*, actor: User | None, school: School, month: dt.date, items: Sequence[dict[str, str]],
                  at: dt.datetime | None = None) -> RiskLedger:
    """The school's monthly ledger; an empty month is submitted as such (nothing to report)."""
    _school_only(actor, school)
    month = month.replace(day=1)
    if RiskLedger.objects.filter(school=school, month=month).exists():
        raise Conflict(_("This month's ledger has been submitted already."))
    for item in items:
        if item.get("level") not in RiskLevel.values:
            raise ValidationFailed(_("Choose each risk's level."), field="level")
        if not all(str(item.get(k) or "").strip() for k in ("category", "people", "measures", "responsible")):
            raise ValidationFailed(_("Give each risk's category, people involved, measures and responsible person."))
    ledger = RiskLedger.objects.create(school=school, month=month, submitted_at=at or timezone.now(), by=actor)
    RiskItem.objects.bulk_create(RiskItem(ledger=ledger, category=i["category"].strip()[:40], level=i["level"],
                                          people=i["people"].strip()[:120], measures=i["measures"].strip()[:300],
                                          responsible=i["responsible"].strip()[:60]) for i in items)
    record(actor=actor, action="risk.ledger", target=ledger, organisation=school.organisation, at=at,
           after={"month": month, "items": len(items), "high": sum(i["level"] == "high" for i in items)})
    engine.duty_close(key=ledger_key(school.code, month), actor=actor, at=at,
                      note=_("Filed with %(n)d risks listed") % {"n": len(items)})
    return ledger


def missing_ledgers(bureau: Organisation, month: dt.date) -> list[School]:
    """Schools that have not submitted the month's ledger: chased from the month's end."""
    month = month.replace(day=1)
    done = RiskLedger.objects.filter(month=month).values("school_id")
    return list(School.objects.filter(organisation__path__startswith=bureau.path).exclude(pk__in=done).order_by("name"))


@transaction.atomic
def chase(*, actor: User | None, bureau: Organisation, month: dt.date, at: dt.datetime | None = None) -> int:
    """Chase every school still missing the month's ledger (from the month's end on)."""
    _bureau_only(actor, bureau)
    month = month.replace(day=1)
    next_month = month_start(month, 1)
    now = at or timezone.now()
    if timezone.localdate(now) < next_month:
        raise ValidationFailed(_("A month's ledger is due at the month's end; chase from then."))
    schools = missing_ledgers(bureau, month)
    LedgerChase.objects.bulk_create(LedgerChase(school=s, month=month, at=now, by=actor) for s in schools)
    record(actor=actor, action="risk.chase", target=bureau, organisation=bureau, at=now,
           after={"month": month, "schools": [s.code for s in schools]})
    return len(schools)


@transaction.atomic
def analyse(*, actor: User | None, bureau: Organisation, month: dt.date, countermeasures: dict[int, str],
            at: dt.datetime | None = None) -> list[RiskItem]:
    """The bureau's monthly analysis: a countermeasure for each risk it lists; the schools see them
    and each item stays open until the school closes it."""
    _bureau_only(actor, bureau)
    items = list(RiskItem.objects.select_for_update().filter(
        pk__in=list(countermeasures), ledger__month=month.replace(day=1),
        ledger__school__organisation__path__startswith=bureau.path))
    if len(items) != len(countermeasures) or not all(v.strip() for v in countermeasures.values()):
        raise ValidationFailed(_("Give a countermeasure for each risk listed."))
    for item in items:
        item.countermeasure = countermeasures[item.pk].strip()[:300]
        item.save(update_fields=["countermeasure"])
    record(actor=actor, action="risk.analysis", target=bureau, organisation=bureau, at=at,
           after={"month": month.replace(day=1), "items": [i.pk for i in items]})
    return items


@transaction.atomic
def close_risk(*, actor: User | None, item: RiskItem, on: dt.date | None = None,
               at: dt.datetime | None = None) -> RiskItem:
    item = RiskItem.objects.select_for_update().select_related("ledger__school__organisation").get(pk=item.pk)
    _school_only(actor, item.ledger.school)
    if item.status == ItemStatus.CLOSED:
        raise Conflict(_("This item has been closed already."))
    item.status, item.closed_on = ItemStatus.CLOSED, on or timezone.localdate()
    item.save(update_fields=["status", "closed_on"])
    record(actor=actor, action="risk.closed", target=item.ledger, organisation=item.ledger.school.organisation, at=at,
           after={"item": item.pk, "closed_on": item.closed_on})
    return item


@transaction.atomic
def register_decision(*, actor: User | None, organisation: Organisation, category: str, matter: str, meeting: str,
                      met_on: dt.date, legal_opinion: str, decision: str, fair_competition: str = "",
                      major_decision: Any = None, at: dt.datetime | None = None) -> Decision:
    """三重一大: no decision without the legal adviser's opinion; a fund or project matter also needs
    the fair-competition review."""
    _bureau_only(actor, organisation)
    if category not in DecisionCategory.values:
        raise ValidationFailed(_("Choose the category."), field="category")
    if not all(v.strip() for v in (matter, meeting, legal_opinion, decision)):
        raise ValidationFailed(_("The matter, the meeting, the legal adviser's opinion and the decision are "
                                 "required."))
    if category in (DecisionCategory.PROJECT, DecisionCategory.FUNDS) and not fair_competition.strip():
        raise ValidationFailed(_("A project or fund matter needs the fair-competition review."),
                               field="fair_competition")
    if major_decision is not None and (major_decision.kind != "major_decision"
                                       or major_decision.organisation_id != organisation.pk):
        raise ValidationFailed(_("Choose one of the bureau's major administrative decisions."), field="major_decision")
    item = Decision.objects.create(major_decision=major_decision, organisation=organisation, category=category, matter=matter.strip()[:200],
                                   meeting=meeting.strip()[:120], met_on=met_on, legal_opinion=legal_opinion.strip(),
                                   fair_competition=fair_competition.strip(), decision=decision.strip(), recorded_by=actor)
    record(actor=actor, action="decision.register", target=item, organisation=organisation, at=at,
           after={"category": category, "matter": item.matter, "met_on": met_on,
                  "major_decision": major_decision.reference if major_decision is not None else None})
    return item


@transaction.atomic
def record_execution(*, actor: User | None, item: Decision, on: dt.date, execution: str,
                     at: dt.datetime | None = None) -> Decision:
    item = Decision.objects.select_for_update().select_related("organisation").get(pk=item.pk)
    _bureau_only(actor, item.organisation)
    if not execution.strip():
        raise ValidationFailed(_("Please say how the decision was executed."), field="execution")
    item.executed_on, item.execution = on, execution.strip()
    item.save(update_fields=["executed_on", "execution"])
    record(actor=actor, action="decision.executed", target=item, organisation=item.organisation, at=at,
           after={"executed_on": on})
    return item
