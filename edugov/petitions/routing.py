"""Where a hotline case goes, and how it may move: routing with a suggestion learnt from closed
cases, one send-back, then the supervision office's final decision (审定); assisting units.

Every move is a `Hop`, so the case page, the complainant's tracking page and the bulletin all count
the same bounces (退单拉锯 is visible, never silent)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from edugov.accounts.models import Organisation, Role, User
from edugov.accounts.permissions import can_read_within
from edugov.cases import actions as engine
from edugov.cases.models import Case, CasePart, EventKind
from edugov.kernel.calendar import get_calendar
from edugov.kernel.errors import Conflict, PermissionDenied, ValidationFailed

from .models import Hop, HopKind, Hotline, Petition, Validity

SEND_BACK_REASONS = [
    gettext_lazy("Not within this unit's duties"),
    gettext_lazy("The school or institution is not under this unit"),
    gettext_lazy("Mainly another unit's matter"),
    gettext_lazy("The same matter is handled by another unit already"),
]
SUGGESTIONS = 3
MIN_SAME_SUBJECT = 3  # fewer closed cases on the same subject than this: learn from the category alone


@dataclass(frozen=True)
class Suggestion:
    unit: Organisation
    cases: int
    share: float  # percent of the history the suggestion is drawn from
    basis: str


def suggest_units(petition: Petition) -> list[Suggestion]:
    """The units that closed earlier valid cases of the same category about the same subject, most
    frequent first, with their share. Without enough same-subject history, the category alone."""
    history = (Petition.objects.filter(case__organisation_id=petition.case.organisation_id, category=petition.category,
                                       validity=Validity.VALID, case__state="closed",
                                       case__department__isnull=False)
               .exclude(pk=petition.pk))
    if petition.school_id:
        same = Q(school_id=petition.school_id)
    elif petition.institution_id:
        same = Q(institution_id=petition.institution_id)
    else:
        same = Q(subject_text=petition.subject_text) if petition.subject_text else None
    basis, rows = "", []
    for basis, qs in ((_("same category and subject"), history.filter(same) if same is not None else None),
                      (_("same category"), history)):
        if qs is None:
            continue
        rows = list(qs.values("case__department").annotate(n=Count("id")).order_by("-n", "case__department"))
        if sum(r["n"] for r in rows) >= MIN_SAME_SUBJECT or basis == _("same category"):
            break
    total = sum(r["n"] for r in rows)
    units = Organisation.objects.in_bulk([r["case__department"] for r in rows[:SUGGESTIONS]])
    return [Suggestion(units[r["case__department"]], r["n"], 100 * r["n"] / total, basis)
            for r in rows[:SUGGESTIONS] if r["case__department"] in units]


def _office(case: Case) -> Organisation:
    return Hotline.objects.select_related("office").get(organisation_id=case.organisation_id).office


@transaction.atomic
def petition_route(*, actor: User, petition: Petition, unit: Organisation, handler: User | None = None,
                   note: str = "", expected_version: int | None = None, at: dt.datetime | None = None) -> Petition:
    """Route a valid case to a department or a school. The first routing records edugov's
    suggestion and whether it was taken; a later routing marks the case as re-routed."""
    first = petition.first_unit_id is None
    top = suggest_units(petition)[:1] if first else []
    # The step first, while the case is still the office's; then it moves to the unit.
    data: dict[str, object] = {"note": note}
    if first:  # the suggestion and whether it was taken go into the route's ledger entry
        data.update(suggested=top[0].unit.code if top else None, suggestion_taken=bool(top) and top[0].unit.pk == unit.pk)
    case = engine.case_transition(actor=actor, case=petition.case, transition="route", data=data,
                                  expected_version=expected_version, at=at)
    engine.case_assign(actor=actor, case=case, department=unit, assignee=handler, reason=note, at=at)
    Hop.objects.create(petition=petition, kind=HopKind.ROUTE, at=at or timezone.now(), actor=actor,
                       from_unit=_office(case), to_unit=unit, reason=note[:200])
    fields = ["rerouted"]
    if first:
        petition.first_unit = unit
        petition.suggested_unit = top[0].unit if top else None
        petition.suggestion_taken = (top[0].unit.pk == unit.pk) if top else None
        fields += ["first_unit", "suggested_unit", "suggestion_taken"]
    petition.rerouted = petition.first_unit_id != unit.pk
    petition.save(update_fields=fields)
    petition.case.refresh_from_db()
    return petition


def _unit_check(actor: User, case: Case) -> None:
    """Only the unit holding the case (or the supervision office) speaks for it."""
    from edugov.cases.permissions import can_act_on_case

    from .workflow import UNIT

    if not can_act_on_case(actor, case, UNIT, True):
        raise PermissionDenied(_("Only the unit handling the case may do this."))


def _better(unit: Organisation | None, case: Case) -> Organisation:
    if unit is None or not unit.path.startswith(case.organisation.path):
        raise ValidationFailed(_("Please name the unit that should handle it."), field="better_unit")
    if unit.pk == case.department_id:
        raise ValidationFailed(_("The better unit must be another unit."), field="better_unit")
    return unit


@transaction.atomic
def petition_send_back(*, actor: User, petition: Petition, reason: str, better_unit: Organisation | None,
                       at: dt.datetime | None = None) -> Petition:
    """A wrongly routed case goes back to the supervision office, once per case, within 1 working
    day of being routed, with a reason from the list and the better unit named. The clock keeps
    running; a second disagreement is a request for the office's decision (`petition_dispute`)."""
    case = Case.objects.select_for_update(of=("self",)).select_related("organisation", "department").get(pk=petition.case_id)
    _unit_check(actor, case)
    if petition.ruled:
        raise ValidationFailed(_("The supervision office has decided which unit handles this case; the decision "
                                 "is final."))
    if petition.send_backs >= 1:
        raise ValidationFailed(_("This case has been sent back once already; ask the supervision office to decide "
                                 "(审定)."))
    if reason not in [str(r) for r in SEND_BACK_REASONS]:
        raise ValidationFailed(_("Please choose the reason from the list."), field="reason")
    better = _better(better_unit, case)
    routed = case.events.filter(kind=EventKind.ASSIGNED).order_by("-at").first()
    now = at or timezone.now()
    if routed and get_calendar().working_days_between(timezone.localdate(routed.at), timezone.localdate(now)) > 1:
        raise ValidationFailed(_("A case can be sent back within 1 working day of being routed; please handle it."))
    unit = case.department
    case = engine.case_transition(actor=actor, case=case, transition="send_back",
                                  data={"reason": reason, "suggested_unit": better.name}, at=at)
    office = _office(case)
    engine.case_assign(actor=actor, case=case, department=office, assignee=None, at=at, system=True,
                       reason=_("Sent back by %(unit)s: %(reason)s") % {"unit": unit, "reason": reason})
    Hop.objects.create(petition=petition, kind=HopKind.SEND_BACK, at=now, actor=actor, from_unit=unit,
                       to_unit=office, better_unit=better, reason=reason)
    petition.send_backs += 1
    petition.save(update_fields=["send_backs"])
    return petition


@transaction.atomic
def petition_dispute(*, actor: User, petition: Petition, reason: str, better_unit: Organisation | None,
                     at: dt.datetime | None = None) -> Petition:
    """The second disagreement about who handles a case: it stays with the unit and its clock runs,
    and the supervision office decides (审定)."""
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    case = Case.objects.select_related("organisation", "department").get(pk=petition.case_id)
    _unit_check(actor, case)
    if case.state != "handling":
        raise Conflict(_("Only a case being handled can be disputed."))
    if petition.ruled:
        raise ValidationFailed(_("The supervision office has decided which unit handles this case; the decision "
                                 "is final."))
    if petition.dispute_pending:
        raise Conflict(_("The supervision office is deciding already."))
    if petition.send_backs < 1:
        raise ValidationFailed(_("Send the case back first (once, within 1 working day)."))
    if not reason.strip():
        raise ValidationFailed(_("Please give the reason."), field="reason")
    better = _better(better_unit, case)
    now = at or timezone.now()
    Hop.objects.create(petition=petition, kind=HopKind.DISPUTE, at=now, actor=actor, from_unit=case.department,
                       better_unit=better, reason=reason.strip()[:200])
    engine.case_comment(actor=actor, case=case, at=now, action="dispute", public=True,
                        data={"unit": case.department.code if case.department else None, "better_unit": better.code},
                        text=_("%(unit)s disagrees again and asks the supervision office to decide: %(reason)s "
                               "(better unit: %(better)s)") % {"unit": case.department, "reason": reason.strip(),
                                                               "better": better})
    petition.dispute_pending = True
    petition.save(update_fields=["dispute_pending"])
    return petition


@transaction.atomic
def petition_rule(*, actor: User, petition: Petition, unit: Organisation, reason: str,
                  at: dt.datetime | None = None) -> Petition:
    """The supervision office's decision (审定) on a disputed case: final and recorded. The case
    stays with, or moves to, the unit decided; no further send-back or dispute is accepted."""
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    case = Case.objects.select_related("organisation", "department").get(pk=petition.case_id)
    if not can_read_within(actor, case.organisation, {Role.SUPERVISION_STAFF}):
        raise PermissionDenied(_("The decision (审定) is the supervision office's."))
    if not petition.dispute_pending:
        raise Conflict(_("No disagreement is waiting for a decision on this case."))
    if not unit.path.startswith(case.organisation.path):
        raise ValidationFailed(_("That unit is outside this case's organisation."), field="unit")
    if not reason.strip():
        raise ValidationFailed(_("Please give the grounds of the decision."), field="reason")
    now = at or timezone.now()
    before = case.department
    engine.case_comment(actor=actor, case=case, at=now, action="ruling", public=True,
                        data={"unit": unit.code, "before": before.code if before else None},
                        text=_("Decided by the supervision office (final): %(unit)s handles it. %(reason)s")
                        % {"unit": unit, "reason": reason})
    if unit.pk != case.department_id:
        engine.case_assign(actor=actor, case=case, department=unit, assignee=None, at=now, system=True,
                           reason=_("Decided by the supervision office (final): %(reason)s") % {"reason": reason})
    Hop.objects.create(petition=petition, kind=HopKind.RULING, at=now, actor=actor, from_unit=before, to_unit=unit,
                       reason=reason.strip()[:200])
    petition.dispute_pending, petition.ruled = False, True
    petition.rerouted = petition.first_unit_id != unit.pk
    petition.save(update_fields=["dispute_pending", "ruled", "rerouted"])
    return petition


def hop_count(petition: Petition) -> int:
    """Moves and disagreements after the first routing."""
    return max(0, len(petition.hops.all()) - 1)


def add_assisting_unit(*, actor: User, petition: Petition, unit: Organisation, task: str, working_days: int,
                       at: dt.datetime | None = None) -> CasePart:
    """会商/联办: another unit answers a part of the case by its own deadline, no later than the
    case's own."""
    if not 1 <= working_days <= 10:
        raise ValidationFailed(_("An assisting unit gets 1 to 10 working days."), field="working_days")
    now = at or timezone.now()
    due = get_calendar().add_working_days(timezone.localdate(now), working_days).date
    finish = petition.case.clocks.filter(name="finish", stopped_on__isnull=True).first()
    if finish is not None and due > finish.due_on:
        due = finish.due_on  # a part cannot outlast the case it belongs to
    return engine.case_add_part(actor=actor, case=petition.case, organisation=unit, task=task, due_on=due, at=now)


def open_parts(petition: Petition) -> list[CasePart]:
    return [p for p in petition.case.parts.all() if p.answered_at is None]


def hop_sentence(hop: Hop) -> str:
    """A hop in plain words for the complainant (units only, never staff names)."""
    if hop.kind == HopKind.ROUTE:
        return _("Routed to %(unit)s to handle.") % {"unit": hop.to_unit}
    if hop.kind == HopKind.SEND_BACK:
        return _("%(unit)s sent it back to the supervision office (%(reason)s); the time limit kept running.") % {
            "unit": hop.from_unit, "reason": hop.reason}
    if hop.kind == HopKind.DISPUTE:
        return _("%(unit)s disagreed again; the supervision office decides, and its decision is final.") % {
            "unit": hop.from_unit}
    return _("The supervision office decided that %(unit)s handles it; this is final.") % {"unit": hop.to_unit}
