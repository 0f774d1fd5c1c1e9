"""Writes for the hotline: intake, triage, routing, send-back, closing, rating. Each goes through
the case engine (state, clocks, timeline, ledger) and adds what a petition carries."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation, Role, User
from edugov.accounts.permissions import can_read_within, has_role_over
from edugov.accounts.selectors import rule_of
from edugov.audit.ledger import record
from edugov.cases import actions as engine
from edugov.cases.models import Case, ContactChannel
from edugov.kernel import querycodes
from edugov.kernel.crypto import blind_index
from edugov.kernel.errors import Conflict, PermissionDenied, ValidationFailed
from edugov.kernel.sms import send_sms
from edugov.kernel.validators import validate_mobile
from edugov.registries.models import Institution, School

from . import letters
from .models import (
    DESCRIPTION_MAX,
    NAME_MAX,
    SUBJECT_MAX,
    Category,
    Hotline,
    Nature,
    Petition,
    Rating,
    Resolution,
    Validity,
)
from .selectors import reopen_last_day, review_body, review_request_last_day
from .workflow import COMPLAINT, PETITION, RETURN_VISIT_DUTY, return_visit_key

DUPLICATE_DAYS = 30
SAME_CONTENT_SECONDS = 60


@dataclass
class Intake:
    petition: Petition
    query_code: str
    replayed: bool  # the same submission arrived before: nothing new was created


def query_digest(code: str) -> str:
    return blind_index(querycodes.compact(code), purpose="petition-query")


def scoped_key(client: str, key: str) -> str:
    """An idempotency key bound to the client that chose it (a keyed digest of the session or
    account, then the key): another client's identical key is a different key."""
    return f"{blind_index(client, purpose='client')[:16]}:{key[:60]}"


@transaction.atomic
def petition_intake(*, actor: User | None, organisation: Organisation, channel: str, category: Category,
                    description: str, nature: str = Nature.COMPLAINT, school: School | None = None,
                    institution: Institution | None = None, subject_text: str = "", complainant_name: str = "",
                    complainant_phone: str = "", is_key: bool = False, identity_disclosure: bool = False,
                    idempotency_key: str | None = None, applicant: User | None = None,
                    at: dt.datetime | None = None, client: str = "") -> Intake:
    """Record a complaint or petition from any channel. An operator (supervision office) records
    hotline calls, letters and visits; the public web form and Open311 pass `actor=None`.

    `client` names who submits (``session:<key>``, ``user:<pk>``, ``apikey:<pk>``), and the caller
    scopes `idempotency_key` to it (`scoped_key`). The same idempotency key, or the same content
    within a minute, from the same client returns the case
    already made (a double submit or a retried request creates nothing twice); from another client
    it is a new complaint, linked as a possible duplicate: never someone else's query code."""
    description = (description or "").strip()
    if not description:
        raise ValidationFailed(_("Please describe the matter."), field="description")
    for value, limit, field in ((description, DESCRIPTION_MAX, "description"), (subject_text, SUBJECT_MAX, "subject_text"),
                                (complainant_name, NAME_MAX, "complainant_name")):
        if len(value or "") > limit:
            raise ValidationFailed(_("This field takes at most %(n)d characters (it has %(m)d).")
                                   % {"n": limit, "m": len(value)}, field=field)
    if category.organisation_id != organisation.pk or not category.is_active:
        raise ValidationFailed(_("Please choose one of the listed categories."), field="category")
    if not (school or institution or subject_text.strip()):
        raise ValidationFailed(_("Please name the school or institution concerned."), field="subject_text")
    phone = validate_mobile(complainant_phone) if complainant_phone else ""
    if nature not in Nature.values:
        raise ValidationFailed(_("Unknown kind of matter."), field="nature")
    now = at or timezone.now()
    client_digest = blind_index(client, purpose="client") if client else ""
    content = hashlib.sha256("\x1f".join([description, phone, str(category.pk), str(school and school.pk),
                                          str(institution and institution.pk), subject_text]).encode()).hexdigest()
    # the same idempotency key (callers scope it to their client: scoped_key; Open311 by the API
    # key's prefix), or the same content within a minute: one query for both
    same_content = Q(content_digest=content, case__opened_at__gte=now - dt.timedelta(seconds=SAME_CONTENT_SECONDS))
    found = Petition.objects.filter(same_content).order_by("case__opened_at")
    if idempotency_key:  # the key's petition first, whatever else matches
        by_key = Q(idempotency_key=idempotency_key)
        found = (Petition.objects.filter(same_content | by_key)
                 .order_by(ExpressionWrapper(by_key, output_field=BooleanField()).desc(), "case__opened_at"))
    earlier = list(found.select_related("case")[:20])
    existing = next((p for p in earlier if idempotency_key and p.idempotency_key == idempotency_key), None)
    if existing:
        return Intake(existing, str(existing.query_code), True)
    recent = next((p for p in earlier if p.content_digest == content), None)
    if recent and recent.client_digest == client_digest:
        return Intake(recent, str(recent.query_code), True)  # the same client pressed twice
    same_text = recent  # another person's identical text: a new complaint, linked as a possible duplicate
    if school and not school.organisation.path.startswith(organisation.path):
        raise ValidationFailed(_("That school is not in this district."), field="school")
    operator = actor if can_read_within(actor, organisation, {Role.SUPERVISION_STAFF}) else None
    if actor is not None and not actor.is_public and operator is None:
        raise PermissionDenied(_("Only the supervision office records hotline matters."))
    wf = PETITION if nature == Nature.PETITION else COMPLAINT
    subject = str(school or institution or subject_text.strip())
    hotline = Hotline.objects.filter(organisation=organisation).select_related("office").first()
    if hotline is None:
        raise ValidationFailed(_("This bureau has no supervision hotline set up."))
    office = hotline.office
    case = engine.case_open(actor=operator, kind=wf.kind, organisation=organisation, department=office,
                            title=f"{category.name}：{subject}"[:200], applicant=applicant or
                            (actor if actor is not None and actor.is_public else None),
                            contact_name=complainant_name.strip(), contact_phone=phone, at=now,
                            public=operator is None, priority=1 if is_key else 0)
    code = querycodes.new()
    duplicate = None
    if phone:
        duplicate = (Petition.objects.filter(category=category, school=school, institution=institution,
                                             subject_text=subject_text.strip(),
                                             case__contact_phone_index=case.contact_phone_index,
                                             case__opened_at__gte=now - dt.timedelta(days=DUPLICATE_DAYS))
                     .order_by("-case__opened_at").first())
    duplicate = duplicate or same_text
    try:
        with transaction.atomic():
            petition = Petition.objects.create(
                case=case, channel=channel, nature=nature, category=category, school=school, institution=institution,
                subject_text=subject_text.strip(), description=description, is_key=is_key,
                identity_disclosure=identity_disclosure, query_digest=query_digest(code), query_code=code,
                idempotency_key=idempotency_key or None, content_digest=content, duplicate_of=duplicate,
                client_digest=client_digest)
    except IntegrityError:  # the same idempotency key committed by a concurrent request
        transaction.set_rollback(True)
        existing = Petition.objects.get(idempotency_key=idempotency_key)
        return Intake(existing, str(existing.query_code), True)
    record(actor=operator, action=f"{wf.kind}.intake", target=petition, organisation=organisation, at=now,
           after={"case": case.reference, "channel": channel, "nature": nature, "category": category.name,
                  "subject": subject, "key": is_key, "duplicate_of": duplicate.case.reference if duplicate else None})
    if school is not None:  # 回避: the school complained of may supply facts, never answer or close
        engine.case_recuse(actor=None, case=case, organisation=school.organisation,
                           reason=_("the school is the subject of the complaint"), at=now)
    return Intake(petition, code, False)


def _case(petition: Petition) -> Case:
    return petition.case


@transaction.atomic
def petition_triage(*, actor: User, petition: Petition, decision: str, reason: str = "", agency: str = "",
                    expected_version: int | None = None, at: dt.datetime | None = None) -> Petition:
    """Valid; not valid with a reason; or transferred to another agency. Only valid cases count in
    the completion rate."""
    step = {Validity.VALID: "mark_valid", Validity.INVALID: "mark_invalid", Validity.TRANSFERRED: "transfer"}.get(
        decision)  # type: ignore[call-overload]
    if step is None:
        raise ValidationFailed(_("Choose valid, not valid or transferred."), field="decision")
    engine.case_transition(actor=actor, case=_case(petition), transition=step, expected_version=expected_version,
                           data={"reason": reason, "agency": agency}, at=at)
    petition.validity, petition.triage_reason = decision, (reason or agency)[:200]
    petition.save(update_fields=["validity", "triage_reason"])
    now = at or timezone.now()
    if decision == Validity.VALID:
        letters.acceptance(petition, actor=actor, at=now)
    else:
        letters.non_acceptance(petition, reason.strip(), agency.strip() if decision == Validity.TRANSFERRED else "",
                               actor=actor, at=now)
    return petition


def rule_3233(petition: Petition) -> list[dict[str, Any]]:
    """The parts of the 3233 work mode and whether each is met so far."""
    case = petition.case
    hotline = Hotline.objects.filter(organisation=case.organisation).first()
    calls_needed = hotline.min_phone_contacts if hotline else 2
    meeting_needed = hotline.key_requires_meeting if hotline else True
    logged = list(case.contacts.values_list("channel", "with_party", "reached"))
    # only the complainant counts, and only when reached; an attempt nobody answered is shown as one
    contacts = [channel for channel, with_party, reached in logged if with_party and reached]
    attempts = sum(1 for channel, with_party, reached in logged
                   if with_party and not reached and channel == ContactChannel.PHONE)
    finish = case.clocks.filter(name="finish").first()
    today = timezone.localdate()
    on_time = None if finish is None else (finish.met if finish.stopped_on else finish.due_on >= today)
    parts: list[dict[str, Any]] = [
        {"key": "time", "label": _("Finished within 3 working days"), "met": on_time, "blocking": False},
    ]
    if not case.contact_phone:  # anonymous, or no number given: nobody can be called, and no call is pretended
        parts.append({"key": "calls", "label": _("No telephone number given (anonymous): the complainant cannot be "
                                                 "called; the answer is on the tracking page under the query code"),
                      "met": None, "blocking": False})
    else:
        label = _("At least %(n)d phone contacts with the complainant (%(done)d so far)") % {
            "n": calls_needed, "done": contacts.count(ContactChannel.PHONE)}
        if attempts:
            label = _("%(label)s; %(k)d more attempts not reached") % {"label": label, "k": attempts}
        parts.append({"key": "calls", "label": label, "met": contacts.count(ContactChannel.PHONE) >= calls_needed,
                      "blocking": True})
    if petition.is_key and meeting_needed:
        parts.append({"key": "meeting", "label": _("A face-to-face meeting (key complaint)"),
                      "met": ContactChannel.VISIT in contacts, "blocking": True})
    parts.append({"key": "feedback", "label": _("Feedback to the complainant before closing"),
                  "met": bool(petition.result), "blocking": False})
    return parts


@transaction.atomic
def petition_close(*, actor: User, petition: Petition, result: str, override_reason: str = "",
                   expected_version: int | None = None, at: dt.datetime | None = None) -> Petition:
    """Close with the result given to the complainant. A 3233 part still missing needs the
    department head's written reason; the result goes to the complainant by SMS and on the tracking page."""
    result = (result or "").strip()
    if not result:
        raise ValidationFailed(_("Please write the result given to the complainant."), field="result")
    waiting = [str(part.organisation) for part in petition.case.parts.all() if part.answered_at is None]
    if waiting:
        raise ValidationFailed(_("The assisting units have not answered their parts yet: %(units)s.")
                               % {"units": "、".join(waiting)})
    missing = [str(p["label"]) for p in rule_3233(petition) if p["blocking"] and not p["met"]]
    unit = petition.case.department or petition.case.organisation
    if missing:
        if not override_reason.strip():
            raise ValidationFailed(_("3233 not met: %(parts)s. Log them, or have the department head close the "
                                     "case with a reason.") % {"parts": "；".join(missing)}, field="override_reason")
        if not has_role_over(actor, unit, {Role.DEPARTMENT_HEAD, Role.SUPERVISION_STAFF}):
            raise PermissionDenied(_("Only the department head may close a case with a 3233 part missing."))
    case = engine.case_transition(actor=actor, case=petition.case, transition="close", expected_version=expected_version,
                                  data={"result": result[:500], "override_reason": override_reason.strip()}, at=at)
    petition.result, petition.head_override = result, override_reason.strip()
    petition.save(update_fields=["result", "head_override"])
    letters.opinion(petition, actor=actor, at=at or timezone.now())
    if case.contact_phone:
        phone, ref = case.contact_phone, case.reference
        text = _("Your matter %(ref)s has been closed. Result: %(result)s") % {"ref": ref, "result": result[:120]}
        transaction.on_commit(lambda: send_sms(phone, text))
    return petition




@transaction.atomic
def petition_extend(*, actor: User, petition: Petition, days: int, reason: str, at: dt.datetime | None = None) -> Petition:
    """信访工作条例 art. 32: the 60-day limit may be extended once, by at most 30 days, with the
    approval of the responsible leader, and the petitioner is told why."""
    case = Case.objects.select_for_update().get(pk=petition.case_id)
    if case.kind != PETITION.kind:
        raise ValidationFailed(_("Only a formal petition's time limit can be extended."))
    if not can_read_within(actor, case.organisation, {Role.BUREAU_LEADER, Role.DEPARTMENT_HEAD}):
        raise PermissionDenied(_("An extension needs a leader's or department head's approval."))
    if petition.extended_days:
        raise ValidationFailed(_("The time limit has been extended once already; it cannot be extended again."))
    longest = rule_of(case.organisation, "petition.handling_extension").count
    if not 1 <= days <= longest:
        raise ValidationFailed(_("An extension is 1 to %(n)d days.") % {"n": longest}, field="days")
    if not reason.strip():
        raise ValidationFailed(_("Please give the reason the petitioner will be told."), field="reason")
    case = engine.case_extend_clock(actor=actor, case=case, clock="finish", days=days, reason=reason.strip(), at=at)
    finish = case.clocks.get(name="finish")
    petition.extended_days = days
    petition.save(update_fields=["extended_days"])
    if case.contact_phone:
        phone = case.contact_phone
        text = _("Your petition %(ref)s needs more time: it will be answered by %(due)s. Reason: %(reason)s") % {
            "ref": case.reference, "due": finish.due_on.isoformat(), "reason": reason.strip()[:80]}
        transaction.on_commit(lambda: send_sms(phone, text))
    return petition


@transaction.atomic
def petition_request_review(*, petition: Petition, at: dt.datetime | None = None) -> Petition:
    """The petitioner asks for a review (复查), then a re-review (复核), each within 30 days of
    receiving the written answer (信访工作条例 arts. 35, 36); the office forwards it to the body the
    district's legal settings name. After the re-review the same matter on the same grounds is not
    accepted again."""
    case = Case.objects.select_for_update().get(pk=petition.case_id)
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    now = at or timezone.now()
    if case.kind != PETITION.kind:
        raise ValidationFailed(_("Review and re-review apply to formal petitions."))
    if case.state == "final" or petition.review_stage == "rereview":
        raise ValidationFailed(_("The matter has been re-reviewed; the same matter on the same grounds is not "
                                 "accepted again."))
    if case.state != "closed" or case.closed_at is None:
        raise Conflict(_("A review can be asked for once the matter has been answered."))
    rereview = petition.review_stage == "review"
    last = review_request_last_day(petition, case)
    if last is not None and timezone.localdate(now) > last:
        raise ValidationFailed((_("A re-review is asked for within 30 days of receiving the written answer to the "
                                  "review (%(day)s was the last day).") if rereview else
                                _("A review is asked for within 30 days of receiving the written answer (%(day)s was "
                                  "the last day).")) % {"day": last.isoformat()})
    body = _review_body(case, rereview)
    step = "request_rereview" if rereview else "request_review"
    engine.case_transition(actor=None, case=case, transition=step, at=now, system=True, data={"body": body})
    petition.review_stage = "rereview" if rereview else "review"
    petition.save(update_fields=["review_stage"])
    return petition


def _review_body(case: Case, rereview: bool) -> str:
    """The body that answers a review or a re-review, from the district's legal settings."""
    body = review_body(case, rereview)
    if not body:
        raise ValidationFailed(_("The district has not named the body that answers a re-review (复核) yet; its system "
                                 "administrator or a bureau leader sets it in the legal settings.") if rereview else
                               _("The district has not named the body that answers a review (复查) yet; its system "
                                 "administrator or a bureau leader sets it in the legal settings."))
    return body


@transaction.atomic
def petition_answer_received(*, actor: User, petition: Petition, received_on: dt.date,
                             at: dt.datetime | None = None) -> Petition:
    """The office records the day the petitioner received the written answer (送达): the 30 days to
    ask for a review or a re-review run from it."""
    case = Case.objects.select_for_update().get(pk=petition.case_id)
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    if not can_read_within(actor, case.organisation, {Role.SUPERVISION_STAFF}):
        raise PermissionDenied(_("The supervision office records when an answer was received."))
    if case.kind != PETITION.kind or case.state != "closed" or case.closed_at is None:
        raise Conflict(_("The day of receipt is recorded for a formal petition that has been answered."))
    now = at or timezone.now()
    answered = timezone.localdate(case.closed_at)
    if not answered <= received_on <= timezone.localdate(now):
        raise ValidationFailed(_("The day of receipt lies between the answer (%(answered)s) and today.")
                               % {"answered": answered.isoformat()}, field="received_on")
    petition.answer_received_on = received_on
    petition.save(update_fields=["answer_received_on"])
    engine.case_comment(actor=actor, case=case, at=now, action="answer_received",
                        data={"received_on": received_on.isoformat()},
                        text=_("The petitioner received the written answer on %(day)s.") % {"day": received_on.isoformat()},
                        public=True)
    return petition


def find_by_query_code(code: str) -> Petition | None:
    return Petition.objects.filter(query_digest=query_digest(code)).select_related("case").first()


@transaction.atomic
def petition_rate(*, petition: Petition, rating: int, resolution: str = "", at: dt.datetime | None = None) -> Petition:
    """The complainant's own rating (through the tracking page, by query code or their account)."""
    petition = Petition.objects.select_for_update().select_related("case").get(pk=petition.pk)
    if petition.case.state != "closed":
        raise Conflict(_("A matter can be rated once it is closed."))
    if petition.rating is not None:
        raise Conflict(_("This matter has been rated already."))
    if rating not in Rating.values:
        raise ValidationFailed(_("Please choose one of the five ratings."), field="rating")
    if resolution and resolution not in Resolution.values:
        raise ValidationFailed(_("Please say whether the problem was solved."), field="resolution")
    petition.rating, petition.rated_at, petition.resolution = rating, at or timezone.now(), resolution
    fields = ["rating", "rated_at", "resolution"]
    if rating <= Rating.DISSATISFIED:
        # a 不满意 or 非常不满意 opens a return visit (回访) by the supervision office within 3 working days
        petition.return_visit_due = rule_of(petition.case.organisation, "complaint.return_visit").deadline(
            timezone.localdate(petition.rated_at)).date
        fields.append("return_visit_due")
    petition.save(update_fields=fields)
    record(actor=None, action=f"{petition.case.kind}.rate", target=petition.case, organisation=petition.case.organisation,
           at=petition.rated_at, after={"rating": rating, "resolution": resolution,
                                        "return_visit_due": petition.return_visit_due})
    if petition.return_visit_due is not None:  # on the supervision office's workbench, with its day
        hotline = Hotline.objects.filter(organisation=petition.case.organisation).first()
        engine.duty_open(kind=RETURN_VISIT_DUTY.kind, key=return_visit_key(petition.pk),
                         organisation=petition.case.organisation, department=hotline.office if hotline else None,
                         title=_("Return visit: %(ref)s") % {"ref": petition.case.reference},
                         due_on=petition.return_visit_due, at=petition.rated_at)
    return petition


@transaction.atomic
def petition_return_visit(*, actor: User, petition: Petition, outcome: str, at: dt.datetime | None = None) -> Petition:
    """The supervision office calls back a dissatisfied complainant and records what it learned."""
    if petition.return_visit_due is None or petition.return_visit_done_at is not None:
        raise Conflict(_("No return visit is waiting on this matter."))
    if not can_read_within(actor, petition.case.organisation, {Role.SUPERVISION_STAFF}):
        raise PermissionDenied(_("Return visits are the supervision office's."))
    engine.case_log_contact(actor=actor, case=petition.case, channel=ContactChannel.PHONE, counterpart=_("complainant"),
                            outcome=_("Return visit: %(outcome)s") % {"outcome": outcome.strip()}, at=at)
    petition.return_visit_done_at = at or timezone.now()
    petition.save(update_fields=["return_visit_done_at"])
    engine.duty_close(key=return_visit_key(petition.pk), actor=actor, at=at, note=outcome.strip())
    return petition


@transaction.atomic
def petition_reopen(*, petition: Petition, reason: str, at: dt.datetime | None = None) -> Petition:
    """The complainant reopens a closed matter within 15 days of its closing (tracking page)."""
    now = at or timezone.now()
    case = petition.case
    if case.state != "closed" or case.closed_at is None:
        raise Conflict(_("Only a closed matter can be reopened."))
    if timezone.localdate(now) > reopen_last_day(case):
        raise ValidationFailed(_("A matter can be reopened within 15 days of its closing; please file a new one."))
    if not reason.strip():
        raise ValidationFailed(_("Please say why the problem is not solved."), field="reason")
    engine.case_transition(actor=None, case=case, transition="reopen", data={"note": reason.strip()[:500]}, at=now,
                           system=True)
    petition.reopened += 1
    petition.rating = petition.rated_at = None
    petition.save(update_fields=["reopened", "rating", "rated_at"])
    return petition


@transaction.atomic
def petition_answer_review(*, actor: User, petition: Petition, transition: str, result: str, note: str = "",
                           expected_version: int | None = None) -> Petition:
    """Record the review body's (复查) or re-review body's (复核) written answer: the case moves on and the
    petition keeps the answer, the stage it was given at and the body that gave it, in one transaction
    with the entry. Until the petitioner's receipt of it is recorded the next period has not begun."""
    if transition not in ("answer_review", "answer_rereview"):
        raise ValidationFailed(_("Unknown step; please reload the page."))
    body = _review_body(petition.case, transition == "answer_rereview")
    engine.case_transition(actor=actor, case=petition.case, transition=transition,
                           data={"note": note, "result": result, "body": body}, expected_version=expected_version)
    locked = Petition.objects.select_for_update().get(pk=petition.pk)
    locked.result = result
    locked.review_stage = "review" if transition == "answer_review" else "final"
    locked.answer_received_on = None  # the re-review's 30 days run from receipt of this answer
    locked.save(update_fields=["result", "review_stage", "answer_received_on"])
    return locked
