"""Every write about a disclosure request, through the case engine, each with its ledger entry.

Refused here: a correction notice after the 7 working days (art. 30) or a second one; a reply in no
form of art. 36 (or a refusal without its reason); a reply after the last day without the reason it
is late; a second extension, or one not approved by the office's head."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation, User
from edugov.accounts.selectors import own_unit, rule_of
from edugov.audit.ledger import record
from edugov.cases.actions import case_extend_clock, case_open, case_transition
from edugov.documents.remedies import remedy_sentence
from edugov.kernel.errors import Conflict, PermissionDenied, ValidationFailed
from edugov.kernel.validators import not_after, required_text, validate_credit_code, validate_identity_number

from . import letters
from .models import DisclosureRequest, RefusalReason, ReplyForm, RequestChannel, RequesterKind
from .permissions import can_extend_disclosure, can_handle_disclosure


def _day(at: dt.datetime | None) -> dt.date:
    return timezone.localdate(at or timezone.now())


@transaction.atomic
def request_receive(*, actor: User | None, organisation: Organisation, channel: str, requester_kind: str,
                    requester: str, identity: str, phone: str, description: str, received_on: dt.date,
                    at: dt.datetime | None = None) -> DisclosureRequest:
    """A request received by web, letter or visit, with the requester's identity (art. 29): the
    answer is due 20 working days from the day it was received (art. 33)."""
    if actor is not None and not can_handle_disclosure(actor, organisation):
        raise PermissionDenied(_("Disclosure requests are handled by the bureau's departments."))
    if channel not in RequestChannel.values:
        raise ValidationFailed(_("Choose how the request came in."), field="channel")
    if requester_kind not in RequesterKind.values:
        raise ValidationFailed(_("Choose who the requester is."), field="requester_kind")
    requester = required_text(requester, "requester", _("Please give the requester's name."))
    identity = (identity or "").strip()
    if identity:
        identity = validate_identity_number(identity) if requester_kind == RequesterKind.PERSON \
            else validate_credit_code(identity)
    description = required_text(description, "description", _("Please describe the information requested."))
    not_after(received_on, _day(at), "received_on")
    case = case_open(actor=actor, kind="ogi_request", organisation=organisation, title=description[:120],
                     contact_name=requester[:60], contact_phone=(phone or "").strip()[:20], at=at,
                     clocks_from=received_on, department=own_unit(actor, organisation))
    request = DisclosureRequest.objects.create(case=case, organisation=organisation, channel=channel,
                                               requester_kind=requester_kind, identity=identity,
                                               description=description, received_on=received_on)
    record(actor=actor, action="ogi_request.record", target=case, organisation=organisation, at=at,
           after={"channel": channel, "requester_kind": requester_kind, "received_on": received_on})
    return request


@transaction.atomic
def request_ask_correction(*, actor: User | None, request: DisclosureRequest, what: str,
                           at: dt.datetime | None = None, expected_version: int | None = None) -> DisclosureRequest:
    """One notice, within 7 working days of receipt, of everything to correct (art. 30); the answer
    period stops and runs again from the corrected request's receipt."""
    what = required_text(what, "what", _("Please say what is unclear and what the requester should correct."))
    if request.correction_asked_on is not None:
        raise ValidationFailed(_("A correction is asked once, all at once (art. 30); it was asked on %(day)s.")
                               % {"day": request.correction_asked_on.isoformat()})
    limit = rule_of(request.organisation, "ogi.correction_notice").deadline(request.received_on).date
    today = _day(at)
    if today > limit:
        raise ValidationFailed(_("A correction could be asked until %(day)s (7 working days from receipt, art. 30); "
                                 "answer the request as it stands.") % {"day": limit.isoformat()})
    case_transition(actor=actor, case=request.case, transition="ask_correction", at=at,
                    expected_version=expected_version, data={"what": what[:1000]})
    request.correction_asked_on, request.correction_asked = today, what
    request.save(update_fields=["correction_asked_on", "correction_asked"])
    return request


@transaction.atomic
def request_corrected(*, actor: User | None, request: DisclosureRequest, corrected_on: dt.date, description: str = "",
                      at: dt.datetime | None = None, expected_version: int | None = None) -> DisclosureRequest:
    """The corrected request: the 20 working days run from its receipt."""
    not_after(corrected_on, _day(at), "corrected_on")
    if request.correction_asked_on and corrected_on < request.correction_asked_on:
        raise ValidationFailed(_("The corrected request comes after the notice (%(day)s).")
                               % {"day": request.correction_asked_on.isoformat()}, field="corrected_on")
    case_transition(actor=actor, case=request.case, transition="corrected", at=at, expected_version=expected_version,
                    data={"corrected_on": corrected_on.isoformat()}, clocks_from=corrected_on)
    request.corrected_on = corrected_on
    if (description or "").strip():
        request.description = description.strip()
    request.save(update_fields=["corrected_on", "description"])
    return request


@transaction.atomic
def request_lapse(*, actor: User | None, request: DisclosureRequest, confirmed: bool, at: dt.datetime | None = None,
                  expected_version: int | None = None) -> DisclosureRequest:
    """Not corrected within the reasonable period the notice gave: not handled further (art. 30)."""
    if not confirmed:
        raise ValidationFailed(_("Please tick the confirmation box."), field="confirmed")
    case_transition(actor=actor, case=request.case, transition="lapse", at=at, expected_version=expected_version)
    return request


@transaction.atomic
def request_consult(*, actor: User | None, request: DisclosureRequest, third_party: str,
                    at: dt.datetime | None = None, expected_version: int | None = None) -> DisclosureRequest:
    """A third party's rights may be touched: its opinion is asked in writing; the time it takes is not
    counted in the answer period (arts. 32, 33)."""
    third_party = required_text(third_party, "third_party", _("Please name the third party consulted."))
    case_transition(actor=actor, case=request.case, transition="consult", at=at, expected_version=expected_version,
                    data={"third_party": third_party[:120]})
    request.third_party, request.consulted_on = third_party[:120], _day(at)
    request.save(update_fields=["third_party", "consulted_on"])
    return request


@transaction.atomic
def request_consulted(*, actor: User | None, request: DisclosureRequest, opinion: str,
                      at: dt.datetime | None = None, expected_version: int | None = None) -> DisclosureRequest:
    opinion = required_text(opinion, "opinion", _("Please record the third party's opinion (or that it gave none in time)."))
    case_transition(actor=actor, case=request.case, transition="consulted", at=at, expected_version=expected_version)
    request.third_party_answer = opinion
    request.save(update_fields=["third_party_answer"])
    return request


@transaction.atomic
def request_extend(*, actor: User | None, request: DisclosureRequest, reason: str,
                   at: dt.datetime | None = None) -> DisclosureRequest:
    """Once, by at most 20 working days, approved by the head of the disclosure office, the requester told
    (art. 33)."""
    if actor is not None and not can_extend_disclosure(actor, request.organisation):
        raise PermissionDenied(_("An extension is approved by the head of the disclosure office."))
    reason = required_text(reason, "reason", _("Please give the reason for the extension (the requester is told it)."))
    if request.extended:
        raise Conflict(_("The answer period has been extended once already (art. 33)."))
    days = rule_of(request.organisation, "ogi.reply_extension").count
    case_extend_clock(actor=actor, case=request.case, clock="reply", days=days, reason=reason[:300], at=at)
    request.extended = True
    request.save(update_fields=["extended"])
    return request


# the forms whose reply refuses all or part: reconsideration comes first (行政复议法 2023 art. 23)
RECONSIDERATION_FIRST = {ReplyForm.REFUSED, ReplyForm.PARTLY}


@transaction.atomic
def request_reply(*, actor: User | None, request: DisclosureRequest, form: str, text: str, refusal_reason: str = "",
                  late_reason: str = "", at: dt.datetime | None = None,
                  expected_version: int | None = None) -> DisclosureRequest:
    """The reply, in one of the forms art. 36 lists, with its remedy sentence."""
    if form not in ReplyForm.values:
        raise ValidationFailed(_("A reply takes one of the forms 政府信息公开条例 art. 36 lists: choose it."),
                               field="form")
    if form in RECONSIDERATION_FIRST and refusal_reason not in RefusalReason.values:
        raise ValidationFailed(_("Say on which ground the information (or part of it) is not disclosed."),
                               field="refusal_reason")
    text = required_text(text, "text", _("Please write the reply: what is disclosed, where to find it, or why not."))
    today = _day(at)
    clock = request.case.clocks.filter(name="reply").first()
    if clock is not None and clock.stopped_on is None and today > clock.due_on and not (late_reason or "").strip():
        raise ValidationFailed(_("The reply was due on %(day)s (政府信息公开条例 art. 33). It is late: record why, or "
                                 "it is not accepted here.") % {"day": clock.due_on.isoformat()}, field="late_reason")
    remedy = remedy_sentence(request.organisation, reconsideration_first=form in RECONSIDERATION_FIRST)
    case_transition(actor=actor, case=request.case, transition="reply", at=at, expected_version=expected_version,
                    data={"form": form, "refusal_reason": refusal_reason or None,
                          "late_reason": (late_reason or "").strip()[:300] or None})
    request.reply_form, request.refusal_reason, request.reply_text = form, refusal_reason or "", text
    request.remedy, request.replied_on, request.late_reason = remedy, today, (late_reason or "").strip()[:300]
    request.save(update_fields=["reply_form", "refusal_reason", "reply_text", "remedy", "replied_on", "late_reason"])
    letters.issue_reply(request, actor=actor, at=at or timezone.now())
    return request
