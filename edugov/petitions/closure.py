"""Honest closure: the supervision office's monthly re-contact of a verifiable random sample of
closed cases (a published draw), false closures, and unreasonable-demand marks that leave the
satisfaction figure only when the office agrees."""

from __future__ import annotations

import datetime as dt
import math

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation, Role, User
from edugov.accounts.permissions import can_read_within
from edugov.accounts.selectors import rule_of
from edugov.cases import actions as engine
from edugov.cases.models import Case
from edugov.draws.actions import draw_commit, draw_reveal
from edugov.draws.models import Draw, DrawState
from edugov.kernel.errors import Conflict, PermissionDenied, ValidationFailed
from edugov.metrics.registry import Period

from .models import AbuseStatus, Petition, RecontactCheck, Validity
from .routing import _unit_check
from .workflow import COMPLAINT, RECONTACT_DUTY, recontact_key

SAMPLE_SHARE = 0.1  # a tenth of the month's closed cases …
SAMPLE_MIN = 5  # … and never fewer than five (or all of them, when fewer were closed)


def _office_only(actor: User, bureau: Organisation, message: str) -> None:
    if not can_read_within(actor, bureau, {Role.SUPERVISION_STAFF}):
        raise PermissionDenied(message)


def sample_draw_id(bureau: Organisation, year: int, month: int) -> str:
    return f"recontact-{bureau.code}-{year}-{month:02d}"


def closed_in(bureau: Organisation, period: Period):  # type: ignore[no-untyped-def]
    return (Petition.objects.filter(case__kind=COMPLAINT.kind, case__organisation=bureau, validity=Validity.VALID,
                                    case__state="closed", case__closed_at__gte=period.since,
                                    case__closed_at__lt=period.until)
            .select_related("case", "case__department").order_by("case__reference"))


@transaction.atomic
def recontact_sample_commit(*, actor: User | None, bureau: Organisation, year: int, month: int,
                            at: dt.datetime | None = None) -> Draw:
    """The month's re-contact sample, step 1: freeze the complaints closed in the month and publish
    the commitment of the draw over them. One draw per month (its id is fixed), so a sample cannot
    be drawn again until it suits."""
    if actor is not None:
        _office_only(actor, bureau, _("The re-contact sample is drawn by the supervision office."))
    period = Period.month(year, month)
    if period.end >= timezone.localdate(at or timezone.now()):
        raise ValidationFailed(_("A month's sample is drawn once the month is over."))
    draw_id = sample_draw_id(bureau, year, month)
    if Draw.objects.filter(draw_id=draw_id).exists():
        raise Conflict(_("The sample for %(y)d-%(m)02d has been drawn already; it cannot be drawn again.")
                       % {"y": year, "m": month})
    closed = [p.case.reference for p in closed_in(bureau, period)]
    if not closed:
        raise ValidationFailed(_("No complaint was closed in %(y)d-%(m)02d; there is nothing to sample.")
                               % {"y": year, "m": month})
    k = min(len(closed), max(SAMPLE_MIN, math.ceil(len(closed) * SAMPLE_SHARE)))
    return draw_commit(actor=actor, draw_id=draw_id, organisation=bureau, candidates=sorted(closed), k=k, at=at,
                       purpose=_("Re-contact of closed hotline complaints, %(y)d-%(m)02d") % {"y": year, "m": month})


@transaction.atomic
def draw_recontact_sample(*, actor: User | None, bureau: Organisation, year: int, month: int,
                          public_value: str = "", at: dt.datetime | None = None) -> Draw:
    """Step 2: draw the sample committed to (later than the commitment, with a public value
    announced after it); anyone can re-run the published bundle with `edugov draw verify`."""
    if actor is not None:
        _office_only(actor, bureau, _("The re-contact sample is drawn by the supervision office."))
    draw_id = sample_draw_id(bureau, year, month)
    committed = Draw.objects.filter(draw_id=draw_id).first()
    if committed is None:
        raise ValidationFailed(_("Publish the sample's commitment first: the draw is made after it, never in the "
                                 "same step."))
    if committed.state == DrawState.DRAWN:
        raise Conflict(_("The sample for %(y)d-%(m)02d has been drawn already; it cannot be drawn again.")
                       % {"y": year, "m": month})
    draw = draw_reveal(actor=actor, draw=committed, public_value=public_value, at=at)
    closed = {p.case.reference: p for p in Petition.objects.filter(case__reference__in=draw.selected or [],
                                                                   case__organisation=bureau).select_related("case")}
    RecontactCheck.objects.bulk_create(
        RecontactCheck(petition=closed[ref], draw=draw, unit=closed[ref].case.department)
        for ref in draw.selected or [])
    from .models import Hotline

    hotline = Hotline.objects.filter(organisation=bureau).first()
    today = timezone.localdate(at or timezone.now())
    engine.duty_open(kind=RECONTACT_DUTY.kind, key=recontact_key(draw_id), organisation=bureau,
                     department=hotline.office if hotline else None, at=at,
                     due_on=rule_of(bureau, "complaint.recontact").deadline(today).date,
                     title=_("Re-contact the %(n)d complainants of the %(y)d-%(m)02d sample")
                     % {"n": len(draw.selected or []), "y": year, "m": month})
    return draw


@transaction.atomic
def record_recontact(*, actor: User, check: RecontactCheck, closure_true: bool, note: str,
                     at: dt.datetime | None = None) -> RecontactCheck:
    """The office called the complainant: was the closure true? A false one reopens the case (its
    clock restarts) and counts against the unit that closed it."""
    check = RecontactCheck.objects.select_for_update(of=("self",)).select_related("petition__case").get(pk=check.pk)
    case = check.petition.case
    _office_only(actor, case.organisation, _("Re-contacts are the supervision office's."))
    if check.checked_at is not None:
        raise Conflict(_("This re-contact has been recorded already."))
    if not note.strip():
        raise ValidationFailed(_("Please write what the complainant said."), field="note")
    now = at or timezone.now()
    engine.case_log_contact(actor=actor, case=case, channel="phone", counterpart=_("complainant"), at=now,
                            outcome=(_("Re-contact sample, closure true: %(note)s") if closure_true else
                                     _("Re-contact sample, closure NOT true: %(note)s")) % {"note": note.strip()[:140]})
    check.checked_at, check.checked_by, check.closure_true, check.note = now, actor, closure_true, note.strip()[:200]
    check.save(update_fields=["checked_at", "checked_by", "closure_true", "note"])
    if not RecontactCheck.objects.filter(draw=check.draw, checked_at__isnull=True).exists():
        engine.duty_close(key=recontact_key(check.draw.draw_id), actor=actor, at=now,
                          note=_("Every complainant of the sample re-contacted"))
    if not closure_true and case.state == "closed":
        engine.case_transition(actor=actor, case=case, transition="reopen", at=now,
                               data={"note": _("False closure found by the re-contact sample: %(note)s")
                                     % {"note": note.strip()[:150]}})
        petition = check.petition
        petition.reopened += 1
        petition.save(update_fields=["reopened"])
    return check


@transaction.atomic
def mark_unreasonable(*, actor: User, petition: Petition, reason: str, at: dt.datetime | None = None) -> Petition:
    """The handler marks a demand as abusive or clearly unreasonable; the office reviews the mark."""
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    case = Case.objects.select_related("organisation", "department").get(pk=petition.case_id)
    _unit_check(actor, case)
    if petition.abuse_status in (AbuseStatus.PENDING, AbuseStatus.AGREED):
        raise Conflict(_("This case is marked already."))
    if not reason.strip():
        raise ValidationFailed(_("Please say why the demand is unreasonable."), field="reason")
    petition.abuse_status, petition.abuse_reason, petition.abuse_decision = AbuseStatus.PENDING, reason.strip()[:200], ""
    petition.save(update_fields=["abuse_status", "abuse_reason", "abuse_decision"])
    engine.case_comment(actor=actor, case=case, at=at, action="mark_unreasonable", data={"reason": reason.strip()},
                        text=_("Marked as an unreasonable demand, for the supervision office to review: %(reason)s")
                        % {"reason": reason.strip()})
    return petition


@transaction.atomic
def review_unreasonable(*, actor: User, petition: Petition, agree: bool, note: str,
                        at: dt.datetime | None = None) -> Petition:
    """The office agrees (the case leaves the unit's satisfaction figure) or not (it stays)."""
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    case = Case.objects.select_related("organisation").get(pk=petition.case_id)
    _office_only(actor, case.organisation, _("Marks are reviewed by the supervision office."))
    if petition.abuse_status != AbuseStatus.PENDING:
        raise Conflict(_("No mark is waiting for review on this case."))
    if not note.strip():
        raise ValidationFailed(_("Please give the grounds."), field="note")
    petition.abuse_status = AbuseStatus.AGREED if agree else AbuseStatus.REJECTED
    petition.abuse_decision = note.strip()[:200]
    petition.save(update_fields=["abuse_status", "abuse_decision"])
    engine.case_comment(actor=actor, case=case, at=at, action="review_mark", data={"agree": agree},
                        text=(_("The supervision office agrees the demand is unreasonable: %(note)s") if agree else
                              _("The supervision office does not agree with the mark: %(note)s")) % {"note": note.strip()})
    return petition
