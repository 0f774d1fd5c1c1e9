"""Commitment verification (告知承诺制): the month's published sample and what checking it found."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation, User
from edugov.accounts.selectors import rule_of
from edugov.audit.ledger import record
from edugov.cases import actions as engine
from edugov.draws.actions import draw_commit, draw_reveal
from edugov.draws.models import Draw, DrawState
from edugov.kernel.errors import Conflict, PermissionDenied, ValidationFailed

from ..models import (
    Commitment,
    CreditKind,
    CreditRecord,
    Verification,
    VerificationMethod,
)
from ..permissions import can_verify
from ..selectors import sample_draw_id
from ..workflow import VERIFICATION_DUTY, verification_key
from ._common import _now
from .applications import application_revoke


def verification_pool(bureau: Organisation, since: dt.datetime, until: dt.datetime) -> Any:
    """Commitments signed in the window and not yet drawn."""
    return (Commitment.objects.filter(application__item__organisation=bureau, signed_at__gte=since,
                                      signed_at__lt=until, verification__isnull=True)
            .select_related("application__case").order_by("application__case__reference"))


@transaction.atomic
def verification_sample_commit(*, actor: User | None, bureau: Organisation, year: int, month: int,
                               at: dt.datetime | None = None) -> Draw:
    """The month's verification sample, step 1: freeze the commitments signed in the month and
    publish the commitment of the draw over them (once per month)."""
    from edugov.metrics.registry import Period

    if actor is not None and not can_verify(actor, bureau):
        raise PermissionDenied(_("Commitment samples are drawn by department heads and staff."))
    period = Period.month(year, month)
    if period.end >= timezone.localdate(_now(at)):
        raise ValidationFailed(_("A month's sample is drawn once the month is over."))
    draw_id = sample_draw_id(bureau, year, month)
    if Draw.objects.filter(draw_id=draw_id).exists():
        raise Conflict(_("The sample for %(y)d-%(m)02d has been drawn already; it cannot be drawn again.")
                       % {"y": year, "m": month})
    pool = [c.application.case.reference for c in verification_pool(bureau, period.since, period.until)]
    if not pool:
        raise ValidationFailed(_("No commitment was signed in %(y)d-%(m)02d; there is nothing to sample.")
                               % {"y": year, "m": month})
    share = float(settings.EDUGOV.get("COMMITMENT_SAMPLE_SHARE", 0.2))
    k = min(len(pool), max(int(settings.EDUGOV.get("COMMITMENT_SAMPLE_MIN", 3)), math.ceil(len(pool) * share)))
    return draw_commit(actor=actor, draw_id=draw_id, organisation=bureau, candidates=sorted(pool), k=k, at=at,
                       purpose=_("Verification of commitments (告知承诺制), %(y)d-%(m)02d") % {"y": year, "m": month})


@transaction.atomic
def verification_sample_draw(*, actor: User | None, bureau: Organisation, year: int, month: int,
                             public_value: str = "", at: dt.datetime | None = None) -> Draw:
    """Step 2: draw the sample committed to (later than the commitment): a published, verifiable
    draw (`edugov draw verify`); each department verifies its own by the bureau's day."""
    if actor is not None and not can_verify(actor, bureau):
        raise PermissionDenied(_("Commitment samples are drawn by department heads and staff."))
    draw_id = sample_draw_id(bureau, year, month)
    committed = Draw.objects.filter(draw_id=draw_id).first()
    if committed is None:
        raise ValidationFailed(_("Publish the sample's commitment first: the draw is made after it, never in the "
                                 "same step."))
    if committed.state == DrawState.DRAWN:
        raise Conflict(_("The sample for %(y)d-%(m)02d has been drawn already; it cannot be drawn again.")
                       % {"y": year, "m": month})
    draw = draw_reveal(actor=actor, draw=committed, public_value=public_value, at=at)
    pool = {c.application.case.reference: c for c in Commitment.objects.filter(
        application__case__reference__in=draw.selected or [], application__item__organisation=bureau)
        .select_related("application__case__department")}
    Verification.objects.bulk_create(Verification(commitment=pool[ref], draw=draw) for ref in draw.selected or [])
    by_unit: dict[int, tuple[Organisation, int]] = {}
    for ref in draw.selected or []:
        unit = pool[ref].application.case.department or bureau
        by_unit[unit.pk] = (unit, by_unit.get(unit.pk, (unit, 0))[1] + 1)
    today = timezone.localdate(_now(at))
    for unit, n in by_unit.values():  # each department verifies its own, by the bureau's day
        engine.duty_open(kind=VERIFICATION_DUTY.kind, key=verification_key(draw_id, unit.code), organisation=bureau,
                         department=unit if unit != bureau else None, at=at,
                         due_on=rule_of(bureau, "services.verification").deadline(today).date,
                         title=_("Verify %(n)d commitments of the %(y)d-%(m)02d sample") % {"n": n, "y": year, "m": month})
    return draw


@transaction.atomic
def verification_record(*, actor: User, verification: Verification, method: str, truthful: bool, note: str,
                        at: dt.datetime | None = None) -> Verification:
    """What checking a drawn commitment found. A false commitment terminates the application (or
    revokes the approval) and enters the applicant in the credit record."""
    v = Verification.objects.select_for_update(of=("self",)).select_related(
        "commitment__application__case__organisation", "commitment__application__item").get(pk=verification.pk)
    app = v.commitment.application
    bureau = app.item.organisation
    if not can_verify(actor, bureau):
        raise PermissionDenied(_("Commitments are verified by department heads and staff."))
    if v.verified_at is not None:
        raise Conflict(_("This commitment was verified already."))
    if method not in VerificationMethod.values:
        raise ValidationFailed(_("Please choose how the commitment was verified."), field="method")
    note = (note or "").strip()
    if not note:
        raise ValidationFailed(_("Please write what the verification found."), field="note")
    now = _now(at)
    v.method, v.truthful, v.note, v.verified_at, v.verified_by = method, truthful, note, now, actor
    v.save()
    record(actor=actor, action="service.verify", target=app.case, organisation=bureau, at=now,
           after={"method": method, "truthful": truthful}, note=note[:300])
    unit = app.case.department or bureau
    if not Verification.objects.filter(draw=v.draw, verified_at__isnull=True,
                                       commitment__application__case__department=app.case.department).exists():
        engine.duty_close(key=verification_key(v.draw.draw_id, unit.code), actor=actor, at=now,
                          note=_("Every commitment of the sample verified"))
    if not truthful:
        reason = _("False commitment found on verification: %(n)s") % {"n": note}
        state = app.case.state
        if state in ("submitted", "supplementing", "accepted"):
            engine.case_transition(actor=actor, case=app.case, transition="terminate", data={"reason": reason}, at=now,
                                   system=True)
        elif state == "approved":
            application_revoke(actor=actor, application=app, reason=reason, system=True, at=now)
        today = timezone.localdate(now)
        until = rule_of(bureau, "services.false_commitment").ends(today)
        CreditRecord.objects.create(organisation=bureau, subject_index=app.subject_index,
                                    subject_label=app.applicant_label, kind=CreditKind.FALSE_COMMITMENT,
                                    reason=reason[:1000], since=today,
                                    until=until, application=app, created_at=now)
        record(actor=actor, action="service.credit_record", target=app.case, organisation=bureau, at=now,
               after={"kind": CreditKind.FALSE_COMMITMENT, "until": until})
    return v
