"""Every write about a case against the bureau, through the case engine, each with its ledger entry.

The answer (or defence) goes with the evidence bundle of the contested act (audit.evidence): its
ledger entries with their inclusion proofs and its files, so the body or the court checks the record
without edugov. An answer after its last day is recorded only with the reason it is late; after a
hearing where the responsible head did not appear, the person entrusted and the reason are recorded
(行政诉讼法 art. 3); after a loss the case stays open until what the bureau changed is recorded."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation, User
from edugov.accounts.selectors import own_unit, rule_of
from edugov.audit import evidence
from edugov.audit.ledger import record, target_ref
from edugov.cases.actions import case_open, case_transition
from edugov.cases.models import Case
from edugov.kernel.errors import PermissionDenied, ValidationFailed
from edugov.kernel.masking import mask_name
from edugov.kernel.validators import not_after, required_text

from .models import CORRECTING, Challenge, ChallengeKind, Outcome
from .permissions import can_handle_remedies


def _day(at: dt.datetime | None) -> dt.date:
    return timezone.localdate(at or timezone.now())


@transaction.atomic
def challenge_register(*, actor: User | None, organisation: Organisation, kind: str, contested: Case | None,
                       contested_text: str, applicant: str, body: str, received_on: dt.date,
                       body_reference: str = "", simplified: bool = False, at: dt.datetime | None = None) -> Challenge:
    """A reconsideration application's copy or a lawsuit's complaint received: the answer is due by
    the rule's count from the day of receipt."""
    if actor is not None and not can_handle_remedies(actor, organisation):
        raise PermissionDenied(_("Cases against the bureau are handled by its legal office and departments."))
    if kind not in ChallengeKind.values:
        raise ValidationFailed(_("Choose reconsideration or lawsuit."), field="kind")
    contested_text = required_text(contested_text, "contested_text", _("Please name the act contested."))
    applicant = required_text(applicant, "applicant", _("Please name the applicant or plaintiff."))
    body = required_text(body, "body", _("Please name the reconsideration body or the court."))
    today = _day(at)
    not_after(received_on, today, "received_on")
    if contested is not None and not contested.organisation.path.startswith(organisation.path):
        raise ValidationFailed(_("That act is not the bureau's."), field="contested")
    if kind == ChallengeKind.LITIGATION and simplified:
        raise ValidationFailed(_("The simplified procedure is a reconsideration's."), field="simplified")
    rule_id = ("reconsideration.answer_simplified" if simplified else "reconsideration.answer") \
        if kind == ChallengeKind.RECONSIDERATION else "litigation.defence"
    amounts = {"answer": rule_of(organisation, rule_id).count} if simplified else None
    case = case_open(actor=actor, kind=kind, organisation=organisation, title=f"{mask_name(applicant)}：{contested_text}"[:200],
                     department=own_unit(actor, organisation), at=at, amounts=amounts, clocks_from=received_on)
    challenge = Challenge.objects.create(
        case=case, organisation=organisation, kind=kind, contested=contested, contested_text=contested_text[:300],
        about_disclosure=contested is not None and contested.kind == "ogi_request", applicant=applicant[:120],
        body=body[:120], body_reference=(body_reference or "").strip()[:80], received_on=received_on,
        simplified=simplified)

    record(actor=actor, action=f"{kind}.record", target=case, organisation=organisation, at=at,
           after={"contested": contested.reference if contested else contested_text[:100], "body": challenge.body,
                  "body_reference": challenge.body_reference or None, "simplified": simplified})
    return challenge


def bundle_for(contested: Case | None) -> bytes:
    """The evidence bundle of the contested act: its ledger entries and its files."""
    if contested is None:
        return evidence.build([], [])
    files = []
    for att in contested.attachments.all():
        with att.file.open("rb") as fh:
            files.append((att.name, fh.read()))
    return evidence.build([target_ref(contested)], files)


@transaction.atomic
def challenge_answer(*, actor: User | None, challenge: Challenge, answer: str, late_reason: str = "",
                     at: dt.datetime | None = None, expected_version: int | None = None) -> Challenge:
    """The written answer (or defence) with the evidence bundle. After its last day, only with the
    reason it is late."""
    answer = required_text(answer, "answer", _("Please write the answer: the facts, the evidence and the legal basis of the "
                                       "act."))
    today = _day(at)
    clock = challenge.case.clocks.filter(name__in=("answer", "defence")).first()
    if clock is not None and today > clock.due_on and not (late_reason or "").strip():
        raise ValidationFailed(_("The answer was due on %(day)s (%(basis)s). It is late: record why, or it is not "
                                 "accepted here.") % {"day": clock.due_on.isoformat(), "basis": clock.label},
                               field="late_reason")
    data = bundle_for(challenge.contested)
    check = evidence.check(data)
    digest = hashlib.sha256(data).hexdigest()
    case_transition(actor=actor, case=challenge.case, transition="answer", at=at, expected_version=expected_version,
                    data={"bundle_sha256": digest, "entries": check.entries,
                          "late_reason": (late_reason or "").strip()[:300] or None})
    challenge.bundle.save(f"{challenge.case.reference}-evidence.zip".replace("〔", "-").replace("〕", "-"),
                          ContentFile(data), save=False)
    challenge.answer, challenge.answered_on = answer, today
    challenge.bundle_sha256, challenge.late_reason = digest, (late_reason or "").strip()[:300]
    challenge.save(update_fields=["answer", "answered_on", "bundle", "bundle_sha256", "late_reason"])
    return challenge


@transaction.atomic
def challenge_hear(*, actor: User | None, challenge: Challenge, hearing_on: dt.date, head_appeared: bool,
                   appeared: str, reason: str = "", at: dt.datetime | None = None,
                   expected_version: int | None = None) -> Challenge:
    """The court hearing: whether the bureau's responsible head appeared (负责人出庭应诉); when not, who
    was entrusted and why (行政诉讼法 art. 3)."""
    appeared = required_text(appeared, "appeared", _("Please name who appeared for the bureau."))
    not_after(hearing_on, _day(at), "hearing_on")
    if not head_appeared and not (reason or "").strip():
        raise ValidationFailed(_("The responsible head is to appear in court; when he or she cannot, record why "
                                 "(行政诉讼法 art. 3)."), field="reason")
    case_transition(actor=actor, case=challenge.case, transition="hear", at=at, expected_version=expected_version,
                    data={"hearing_on": hearing_on.isoformat(), "head_appeared": bool(head_appeared),
                          "appeared": appeared[:120]}, )
    challenge.hearing_on, challenge.head_appeared, challenge.appeared = hearing_on, bool(head_appeared), appeared[:120]
    challenge.late_note = (reason or "").strip()[:300]
    challenge.save(update_fields=["hearing_on", "head_appeared", "appeared", "late_note"])
    return challenge


@transaction.atomic
def challenge_decide(*, actor: User | None, challenge: Challenge, outcome: str, decided_on: dt.date, text: str,
                     at: dt.datetime | None = None, expected_version: int | None = None) -> Challenge:
    """The decision or judgment. One upholding the act (or dismissing, mediated, withdrawn) closes the
    case; one correcting it keeps the case open until what the bureau changed is recorded."""
    if outcome not in Outcome.values:
        raise ValidationFailed(_("Choose the outcome."), field="outcome")
    text = required_text(text, "text", _("Please summarise the decision or judgment."))
    not_after(decided_on, _day(at), "decided_on")
    if challenge.received_on and decided_on < challenge.received_on:
        raise ValidationFailed(_("The decision comes after the copy was received."), field="decided_on")
    case = case_transition(actor=actor, case=challenge.case, transition="decide", at=at,
                           expected_version=expected_version,
                           data={"outcome": outcome, "decided_on": decided_on.isoformat(),
                                 "corrected": outcome in CORRECTING})
    challenge.outcome, challenge.decided_on, challenge.decision_text = outcome, decided_on, text
    challenge.save(update_fields=["outcome", "decided_on", "decision_text"])
    if outcome not in CORRECTING:
        case_transition(actor=actor, case=case, transition="close", at=at)
    return challenge


@transaction.atomic
def challenge_correct(*, actor: User | None, challenge: Challenge, correction: str, at: dt.datetime | None = None,
                      expected_version: int | None = None) -> Challenge:
    """After a loss: what the bureau changed (the act revoked and remade, the rule amended, staff trained)."""
    correction = required_text(correction, "correction", _("Please record what the bureau changed after the decision."))
    case_transition(actor=actor, case=challenge.case, transition="correct", at=at, expected_version=expected_version,
                    data={"correction": correction[:2000]})
    challenge.correction = correction
    challenge.save(update_fields=["correction"])
    return challenge
