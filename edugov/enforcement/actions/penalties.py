"""Penalty cases (行政处罚): filing, legal review (法制审核), decision, revocation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation, Role, User
from edugov.accounts.permissions import has_role_over
from edugov.accounts.selectors import rule_of
from edugov.audit.ledger import record
from edugov.cases import actions as engine
from edugov.kernel import rules
from edugov.kernel.calendar import get_calendar
from edugov.kernel.errors import Conflict, PermissionDenied, ValidationFailed

from .. import documents as letters
from ..models import (
    REVIEW_POINTS,
    EnforcementItem,
    Finding,
    FindingKind,
    Inspection,
    LegalReview,
    Penalty,
    PenaltyType,
    Publication,
    PublicationKind,
    ReviewOutcome,
)
from ..permissions import can_plan, can_review
from ..selectors import late_fee
from ..workflow import PARTY_WINDOWS, PENALTY
from ._common import _now, anonymised, publication_term_rule

# Penalties decided collectively by the bureau's heads (行政处罚法 art. 57 names 情节复杂 and 重大违法
# 行为 without a list; these are the heaviest of the 2023 measures, a policy choice the bureau may widen).
COLLECTIVE_PENALTIES = frozenset({"revoke_permit", "stop_operating", "trade_ban"})


@transaction.atomic
def penalty_open(*, actor: User, inspection: Inspection | None, organisation: Organisation, item: EnforcementItem,
                 party_name: str, facts: str, party_is_person: bool = False, is_major: bool = True,
                 act_on: dt.date | None = None, harm: bool = False, at: dt.datetime | None = None) -> Penalty:
    """立案, from an inspection's findings (or a referral). The decision clock (90 days) starts.
    An act not discovered within 2 years (5 where it harmed life, health or financial safety) is no
    longer penalised (行政处罚法 art. 36): filing it is refused."""
    if not item.claimed or item.organisation_id != organisation.pk:
        raise ValidationFailed(_("Choose an enforcement item this bureau has claimed."), field="item")
    if not party_name.strip():
        raise ValidationFailed(_("Name the party."), field="party_name")
    if not facts.strip():
        raise ValidationFailed(_("State the facts found."), field="facts")
    now = _now(at)
    today = timezone.localdate(now)
    if act_on is not None:
        if act_on > today:
            raise ValidationFailed(_("The date of the act cannot be later than today."), field="act_on")
        last = rule_of(organisation, "penalty.limitation_harm" if harm else "penalty.limitation").deadline(act_on).date
        if today > last:
            raise ValidationFailed(_("An act of %(day)s not discovered by %(last)s can no longer be penalised "
                                     "(行政处罚法 art. 36: %(years)s years).")
                                   % {"day": act_on.isoformat(), "last": last.isoformat(), "years": 5 if harm else 2},
                                   field="act_on")
    dept = item.department
    case = engine.case_open(actor=actor, kind=PENALTY.kind, organisation=organisation, department=dept,
                            title=f"{party_name.strip()[:60]}：{item.name[:60]}", at=now)
    penalty = Penalty.objects.create(case=case, inspection=inspection, item=item, party_name=party_name.strip()[:120],
                                     party_is_person=party_is_person, facts=facts.strip(), is_major=is_major,
                                     act_on=act_on, harm=harm)
    if inspection is not None:
        Finding.objects.create(inspection=inspection, kind=FindingKind.PENALTY, at=now,
                               note=_("Penalty case %(ref)s") % {"ref": case.reference})
    record(actor=actor, action="penalty.detail", target=case, organisation=organisation, at=now,
           after={"item": item.code, "party": penalty.party_name, "major": is_major,
                  "inspection": inspection.pk if inspection else None,
                  "act_on": act_on.isoformat() if act_on else None, "harm": harm})
    letters.issue_filing_form(penalty, actor=actor, at=now)
    return penalty


@transaction.atomic
def penalty_legal_review(*, actor: User, penalty: Penalty, checks: Mapping[str, bool], outcome: str, opinion: str,
                 at: dt.datetime | None = None) -> LegalReview:
    """法制审核: the seven points, then agree / correct / refer, with a written opinion."""
    penalty = Penalty.objects.select_for_update(of=("self",)).select_related("case__organisation").get(pk=penalty.pk)
    case = penalty.case
    if not can_review(actor, case.organisation):
        raise PermissionDenied(_("Legal review is done by the bureau's legal reviewers."))
    if case.state != "review":
        raise Conflict(_("This case is not waiting for legal review."))
    if set(checks) != set(REVIEW_POINTS):
        raise ValidationFailed(_("Answer each of the review points."))
    if outcome not in ReviewOutcome.values:
        raise ValidationFailed(_("Choose the outcome of the review."), field="outcome")
    if outcome == ReviewOutcome.AGREE and not all(checks.values()):
        raise ValidationFailed(_("A review that finds a point not met cannot agree: choose “correct” or “refer”."),
                               field="outcome")
    if not opinion.strip():
        raise ValidationFailed(_("Please write the review opinion."), field="opinion")
    now = _now(at)
    review = LegalReview.objects.create(penalty=penalty, reviewer=actor, at=now, checks=dict(checks), outcome=outcome,
                                        opinion=opinion.strip())
    engine.case_transition(actor=actor, case=case, transition=f"review_{outcome}", at=now, system=True,
                           data={"note": opinion.strip()[:500], "checks": dict(checks)})
    return review


def _amount(value: Any, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).strip())
        if not amount.is_finite() or abs(amount) >= Decimal("1e10"):  # 'NaN', 'Infinity', or no fine at all
            raise InvalidOperation
        amount = amount.quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(_("Write the amount in yuan, e.g. 20000."), field=field) from None
    if amount < 0:
        raise ValidationFailed(_("An amount cannot be negative."), field=field)
    return amount


@transaction.atomic
def penalty_decide(*, actor: User, penalty: Penalty, types: Sequence[str], decision_text: str,
                   fine: Any = None, confiscated: Any = None, collective_discussion: str = "",
                   at: dt.datetime | None = None) -> Penalty:
    """The decision: penalties of the 2023 measures, the fine within the item's range, and for a
    major decision a legal review that agreed (or referred it to collective discussion). A case the
    review referred, or a serious penalty (a permit revoked, operation stopped, a person barred from
    the trade), is decided by the bureau's heads collectively (行政处罚法 art. 57): its record is
    required."""
    penalty = Penalty.objects.select_for_update(of=("self",)).select_related("case", "item").get(pk=penalty.pk)
    types = list(dict.fromkeys(types))
    if not types or any(t not in PenaltyType.values for t in types):
        raise ValidationFailed(_("Choose the penalties decided."), field="types")
    fine_amount, confiscated_amount = _amount(fine, "fine"), _amount(confiscated, "confiscated")
    item = penalty.item
    if PenaltyType.FINE in types:
        if fine_amount is None or fine_amount == 0:
            raise ValidationFailed(_("Write the fine."), field="fine")
        if (item.fine_min is not None and fine_amount < item.fine_min) or (
                item.fine_max is not None and fine_amount > item.fine_max):
            raise ValidationFailed(_("The fine must be within the item's range: %(range)s.")
                                   % {"range": item.penalty_range or f"{item.fine_min}–{item.fine_max}"}, field="fine")
    elif fine_amount:
        raise ValidationFailed(_("A fine is written only when “fine” is among the penalties."), field="fine")
    if PenaltyType.CONFISCATION in types and not confiscated_amount:
        raise ValidationFailed(_("Write the amount confiscated."), field="confiscated")
    if not decision_text.strip():
        raise ValidationFailed(_("Write the decision."), field="decision_text")
    last = penalty.reviews.order_by("-at", "-id").first()
    if penalty.is_major and (last is None or last.outcome == ReviewOutcome.CORRECT):
        raise ValidationFailed(_("A major decision needs the legal review first (法制审核)."))
    collective = collective_discussion.strip()
    if not collective and ((last is not None and last.outcome == ReviewOutcome.REFER)
                           or COLLECTIVE_PENALTIES & set(types)):
        raise ValidationFailed(_("This decision is made by the bureau's heads collectively (行政处罚法 art. 57): "
                                 "record the meeting: its date, who took part, what was decided."),
                               field="collective_discussion")
    now = _now(at)
    engine.case_transition(actor=actor, case=penalty.case, transition="decide", at=now,
                           data={"types": types, "fine": str(fine_amount or ""), "note": decision_text.strip()[:500],
                                 "collective": collective[:500]})
    penalty.penalty_types, penalty.fine, penalty.confiscated = types, fine_amount, confiscated_amount
    penalty.decision_text, penalty.decided_at, penalty.collective_discussion = decision_text.strip(), now, collective
    penalty.save(update_fields=["penalty_types", "fine", "confiscated", "decision_text", "decided_at",
                                "collective_discussion"])
    letters.issue_penalty_decision(penalty, actor=actor, at=now)
    cal = get_calendar()
    day = timezone.localdate(now)
    labels = "、".join(str(PenaltyType(t).label) for t in types)
    body = _("Party: %(party)s. Facts: %(facts)s Penalty: %(types)s%(fine)s. Basis: %(basis)s") % {
        "party": penalty.party_name, "facts": penalty.facts, "types": labels,
        "fine": _("; fine %(f)s yuan") % {"f": fine_amount} if fine_amount else "", "basis": item.legal_basis}
    Publication.objects.create(
        organisation=penalty.case.organisation, kind=PublicationKind.PENALTY, penalty=penalty,
        party_is_person=penalty.party_is_person, published_at=now,
        title=_("Penalty decision %(ref)s") % {"ref": penalty.case.reference},
        body=anonymised(body, penalty.party_name) if penalty.party_is_person else body,
        due_on=rule_of(penalty.case.organisation, "publication.penalty").deadline(day, cal).date,
        take_down_on=rules.get(publication_term_rule(types)).ends(day))
    return penalty


@transaction.atomic
def penalty_revoke(*, actor: User, penalty: Penalty, reason: str, at: dt.datetime | None = None) -> Penalty:
    """A decision revoked (by review, litigation or the bureau itself): its publication comes down at once."""
    penalty = Penalty.objects.select_for_update(of=("self",)).select_related("case").get(pk=penalty.pk)
    if not can_plan(actor, penalty.case.organisation) and not can_review(actor, penalty.case.organisation):
        raise PermissionDenied(_("You may not revoke this decision."))
    if penalty.decided_at is None or penalty.revoked_at is not None:
        raise Conflict(_("Only a decision in force can be revoked."))
    if not reason.strip():
        raise ValidationFailed(_("Please give the reason."), field="reason")
    now = _now(at)
    penalty.revoked_at = now
    penalty.save(update_fields=["revoked_at"])
    taken = penalty.publications.filter(taken_down_at__isnull=True).update(
        taken_down_at=now, take_down_reason=_("Decision revoked: %(r)s") % {"r": reason.strip()[:150]})
    engine.case_comment(actor=actor, case=penalty.case, at=now, action="revoke", data={"taken_down": taken},
                        text=_("Decision revoked: %(r)s") % {"r": reason.strip()})
    letters.revoke_penalty_documents(penalty, reason.strip(), actor=actor, at=now)
    return penalty


@transaction.atomic
def penalty_review_extend(*, actor: User, penalty: Penalty, reason: str, at: dt.datetime | None = None) -> Penalty:
    """The legal review's 10 working days may be extended once, by 3."""
    penalty = Penalty.objects.select_for_update(of=("self",)).select_related("case__organisation").get(pk=penalty.pk)
    if not can_review(actor, penalty.case.organisation):
        raise PermissionDenied(_("Legal review is done by the bureau's legal reviewers."))
    clock = penalty.case.clocks.filter(name="review", stopped_on__isnull=True).first()
    if clock is None:
        raise Conflict(_("This case is not waiting for legal review."))
    if clock.extended_by:
        raise ValidationFailed(_("The review has been extended once already."))
    if not reason.strip():
        raise ValidationFailed(_("Please give the reason."), field="reason")
    engine.case_extend_clock(actor=actor, case=penalty.case, clock="review",
                             days=rule_of(penalty.case.organisation, "penalty.legal_review_extension").count, reason=reason.strip(), at=at)
    return penalty


@transaction.atomic
def penalty_record_waiver(*, actor: User, penalty: Penalty, waiver: str, at: dt.datetime | None = None) -> Penalty:
    """The party waived in writing its right to state a case, defend and ask for a hearing
    (行政处罚法 arts. 44, 45, 64): the windows end, and the decision need not wait for them."""
    penalty = Penalty.objects.select_for_update(of=("self",)).select_related("case__organisation").get(pk=penalty.pk)
    if not can_plan(actor, penalty.case.organisation):
        raise PermissionDenied(_("The case's enforcement officers record the party's waiver."))
    if penalty.case.state not in ("notified", "review", "reviewed"):
        raise Conflict(_("A waiver is recorded after the prior notice and before the decision."))
    if not waiver.strip():
        raise ValidationFailed(_("Please describe the written waiver: its date, what was waived, who signed."),
                               field="waiver")
    engine.case_stop_clocks(actor=actor, case=penalty.case, clocks_=PARTY_WINDOWS, reason=waiver.strip()[:500], at=at)
    return penalty


def _served_day(day: dt.date | None, since: dt.date, today: dt.date, field: str) -> dt.date:
    if day is None:
        raise ValidationFailed(_("Give the day it was served (as on the proof of service)."), field=field)
    if not since <= day <= today:
        raise ValidationFailed(_("The day of service lies between %(since)s and today.") % {"since": since.isoformat()},
                               field=field)
    return day


@transaction.atomic
def penalty_serve(*, actor: User, penalty: Penalty, served_on: dt.date | None, at: dt.datetime | None = None) -> Penalty:
    """The decision was served (行政处罚法 art. 61): the 15 days to pay run from the day the party
    received it (art. 67), not from the day it is recorded; a decision without money to pay has no
    payment clock."""
    penalty = Penalty.objects.select_for_update(of=("self",)).select_related("case__organisation").get(pk=penalty.pk)
    if penalty.case.state != "decided" or penalty.decided_at is None:
        raise Conflict(_("Service is recorded once the decision is made, and once."))
    now = _now(at)
    served_on = _served_day(served_on, timezone.localdate(penalty.decided_at), timezone.localdate(now), "served_on")
    pay_by = rule_of(penalty.case.organisation, "penalty.payment").deadline(served_on).date
    engine.case_transition(actor=actor, case=penalty.case, transition="serve", at=now, amounts={"payment": pay_by},
                           data={"received_on": served_on.isoformat()})
    if not (penalty.fine or penalty.confiscated):
        engine.case_stop_clocks(actor=actor, case=penalty.case, clocks_=("payment",), at=now,
                                reason=_("Nothing to pay: the decision imposes no fine or confiscation."))
    penalty.served_on = served_on
    penalty.save(update_fields=["served_on"])
    letters.issue_service_receipt(penalty, actor=actor, at=now)
    return penalty


@transaction.atomic
def penalty_remind(*, actor: User, penalty: Penalty, reminder: str, served_on: dt.date | None,
                   at: dt.datetime | None = None) -> Penalty:
    """The fine unpaid after its period: a written reminder (催告, 行政强制法 art. 54) with the amount and
    the additional fine owed; 10 working days after it is served the bureau may apply to the court,
    which it must do within 3 months of the end of the party's remedy periods (art. 53)."""
    from ..workflow import remedy_periods_end

    penalty = Penalty.objects.select_for_update(of=("self",)).select_related("case__organisation").get(pk=penalty.pk)
    if penalty.case.state != "served" or penalty.served_on is None:
        raise Conflict(_("A reminder follows a decision served and not yet executed."))
    now = _now(at)
    today = timezone.localdate(now)
    payment = penalty.case.clocks.filter(name="payment", stopped_on__isnull=True).first()
    if payment is None:
        raise ValidationFailed(_("Nothing is owed: the decision imposes no money to pay."))
    if payment.due_on >= today:
        raise ValidationFailed(_("The party may pay until %(day)s; a reminder comes after that day.")
                               % {"day": payment.due_on.isoformat()})
    if not reminder.strip():
        raise ValidationFailed(_("Write what the reminder asks and how it was served."), field="reminder")
    served_on = _served_day(served_on, payment.due_on, today, "served_on")
    org = penalty.case.organisation
    wait_until = rule_of(org, "penalty.reminder_wait").deadline(served_on).date
    remedy_end = remedy_periods_end(penalty.served_on)
    assert remedy_end is not None
    apply_by = rule_of(org, "penalty.court_enforcement").deadline(remedy_end).date
    fee = late_fee(penalty, today)
    engine.case_transition(actor=actor, case=penalty.case, transition="remind", at=now,
                           amounts={"reminder_wait": wait_until, "court": apply_by},
                           data={"reminder": reminder.strip()[:1000], "received_on": served_on.isoformat(),
                                 "late_fee": str(fee), "remedy_end": remedy_end.isoformat()})
    penalty.reminded_on = served_on
    penalty.save(update_fields=["reminded_on"])
    letters.issue_payment_reminder(penalty, fee, actor=actor, at=now)
    return penalty


@transaction.atomic
def penalty_apply_court(*, actor: User, penalty: Penalty, application: str, at: dt.datetime | None = None) -> Penalty:
    """The application to the people's court for enforcement (行政强制法 arts. 53, 54): refused before the
    reminder's 10 working days and the party's remedy periods are over (the step's guard)."""
    if not application.strip():
        raise ValidationFailed(_("Name the court, the day and the case number given."), field="application")
    engine.case_transition(actor=actor, case=penalty.case, transition="apply_court", at=at,
                           data={"application": application.strip()[:1000]})
    return penalty


@transaction.atomic
def penalty_decision_extend(*, actor: User, penalty: Penalty, days: int | None, basis: str, reason: str,
                            at: dt.datetime | None = None) -> Penalty:
    """The 90 days to decide extended once, by a bureau leader, where a law, regulation or rule the
    case falls under allows it (行政处罚法 art. 60): the approval names that rule and the reason, and
    is at most the district's `penalty.decision_extension` days."""
    penalty = Penalty.objects.select_for_update(of=("self",)).select_related("case__organisation").get(pk=penalty.pk)
    org = penalty.case.organisation
    if not has_role_over(actor, org, {Role.BUREAU_LEADER}):
        raise PermissionDenied(_("The 90 days are extended with a bureau leader's approval."))
    clock = penalty.case.clocks.filter(name="decide", stopped_on__isnull=True).first()
    if clock is None:
        raise Conflict(_("The case is not waiting for its decision; there is nothing to extend."))
    if clock.extended_by:
        raise Conflict(_("The time to decide has been extended once already."))
    longest = rule_of(org, "penalty.decision_extension").count
    if days is None or not 1 <= days <= longest:
        raise ValidationFailed(_("An extension is 1 to %(n)d days.") % {"n": longest}, field="days")
    if not basis.strip():
        raise ValidationFailed(_("Name the law, regulation or rule that allows the extension (行政处罚法 art. 60)."),
                               field="basis")
    if not reason.strip():
        raise ValidationFailed(_("Please give the reason."), field="reason")
    engine.case_extend_clock(actor=actor, case=penalty.case, clock="decide", days=days, at=at,
                             reason=_("%(reason)s (basis: %(basis)s)") % {"reason": reason.strip(),
                                                                         "basis": basis.strip()})
    return penalty
