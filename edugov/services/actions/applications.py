"""Writes of a service application: submission, the one-time notice, supply, acceptance or not, the decision, delivery, withdrawal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation, Role, User
from edugov.accounts.permissions import has_role_over
from edugov.accounts.selectors import rule_of
from edugov.audit.ledger import record
from edugov.cases import actions as engine
from edugov.cases.models import Case
from edugov.documents.remedies import remedy_sentence
from edugov.kernel import rules
from edugov.kernel.calendar import get_calendar, years_later
from edugov.kernel.errors import Conflict, PermissionDenied, ValidationFailed
from edugov.kernel.masking import mask_name
from edugov.kernel.validators import (
    required_text,
    validate_credit_code,
    validate_identity_number,
    validate_mobile,
)

from .. import letters
from ..models import (
    ApplicantKind,
    Application,
    Channel,
    Commitment,
    CreditRecord,
    Decision,
    ItemStatus,
    MaterialStatus,
    ProvidedMaterial,
    ServiceItem,
    StatutoryUnit,
    subject_index,
)
from ..permissions import can_take_counter, is_applicant
from ..workflow import SERVICE
from ._common import FALSE_COMMITMENT_YEARS, _locked, _now, _sms


def commitment_text(item: ServiceItem | Mapping[str, Any], materials: Sequence[str],
                    organisation: Organisation | None = None) -> str:
    """What the applicant is shown and signs: the obligations, what is to be proved, the liability;
    the exclusion's years are the district's (the count `verification_record` applies)."""
    name = item["name"] if isinstance(item, Mapping) else item.name
    years = rule_of(organisation, "services.false_commitment").count if organisation else FALSE_COMMITMENT_YEARS
    return _("I apply for “%(item)s” under the commitment scheme. In place of the following certificates I "
             "commit that I meet the conditions they would prove: %(materials)s. I understand that the bureau "
             "verifies commitments by a published random sample, in writing, online or on site, and I will "
             "cooperate. If my commitment proves false, the application is terminated or the approval revoked, "
             "the false commitment is entered in my credit record, and for %(years)d years I may not use the "
             "commitment scheme; I bear the legal liability that follows.") % {
        "item": name, "materials": "、".join(materials), "years": years}


def excluded_from_commitments(bureau: Organisation, code: str, on: dt.date) -> CreditRecord | None:
    """The applicant's standing exclusion from the commitment scheme, if any."""
    key = subject_index(code)
    if not key:
        return None
    return (CreditRecord.objects.filter(organisation=bureau, subject_index=key, since__lte=on)
            .exclude(until__lt=on).order_by("-since").first())


def _check_applicant(kind: str, name: str, phone: str, id_number: str, id_valid_until: dt.date | None,
                     institution_name: str, credit_code: str, today: dt.date) -> dict[str, Any]:
    if kind not in ApplicantKind.values:
        raise ValidationFailed(_("Please say whether a person or an institution applies."), field="applicant_kind")
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("Please give the name of the person applying or of the institution's contact."),
                               field="name")
    out: dict[str, Any] = {"name": name[:60], "phone": validate_mobile(phone), "id_number": "",
                           "institution_name": "", "credit_code": "", "id_valid_until": None}
    if kind == ApplicantKind.INSTITUTION:
        out["institution_name"] = (institution_name or "").strip()[:120]
        if not out["institution_name"]:
            raise ValidationFailed(_("Please give the institution's full registered name."), field="institution_name")
        try:
            out["credit_code"] = validate_credit_code(credit_code)
        except ValidationFailed as exc:
            raise ValidationFailed(exc.message, field="credit_code") from None
    else:
        try:
            out["id_number"] = validate_identity_number(id_number, today=today)
        except ValidationFailed as exc:
            raise ValidationFailed(exc.message, field="id_number") from None
        if id_valid_until is None:
            raise ValidationFailed(_("Please give the date until which the identity card is valid."),
                                   field="id_valid_until")
        if id_valid_until < today:
            raise ValidationFailed(_("The identity card expired on %(d)s. Please apply with a valid identity card "
                                     "(a temporary one will do).") % {"d": id_valid_until.isoformat()},
                                   field="id_valid_until")
        out["id_valid_until"] = id_valid_until
    return out


@transaction.atomic
def application_submit(*, actor: User | None, item: ServiceItem, channel: str, applicant_kind: str, name: str,
                       phone: str, id_number: str = "", id_valid_until: dt.date | None = None,
                       institution_name: str = "", credit_code: str = "",
                       uploads: Mapping[int, UploadedFile] | None = None, received: Sequence[int] = (),
                       commit: Sequence[int] = (), signed: bool = False, idempotency_key: str = "",
                       at: dt.datetime | None = None) -> Application:
    """An application, online (by the signed-in applicant) or at the counter (recorded by the clerk).

    `uploads` are files per material (snapshot id); `received` are paper materials the clerk has
    seen at the counter; `commit` are materials the applicant replaces by the signed commitment.
    A resubmission with the same idempotency key returns the first application."""
    if idempotency_key:
        done = Application.objects.filter(idempotency_key=idempotency_key).select_related("case").first()
        if done is not None:
            if actor is None or done.case.applicant_id not in (None, actor.pk) and channel == Channel.ONLINE:
                raise Conflict(_("This form was submitted already."))
            return done
    now = _now(at)
    today = timezone.localdate(now)
    bureau = item.organisation
    if channel not in Channel.values:
        raise ValidationFailed(_("Unknown channel."))
    if channel == Channel.COUNTER:
        if actor is None or not can_take_counter(actor, bureau):
            raise PermissionDenied(_("Counter applications are recorded by the window clerks."))
    elif actor is None or not actor.is_authenticated:
        raise PermissionDenied(_("Please sign in with your mobile number to apply online."))
    item = ServiceItem.objects.select_related("current", "department").get(pk=item.pk)
    if item.status != ItemStatus.PUBLISHED or item.current is None:
        raise ValidationFailed(_("“%(item)s” is not open for applications.") % {"item": item.name})
    who = _check_applicant(applicant_kind, name, phone, id_number, id_valid_until, institution_name, credit_code, today)
    version = item.current
    uploads = dict(uploads or {})
    received_ids, commit_ids = set(received), set(commit)
    if channel == Channel.ONLINE and received_ids:
        raise ValidationFailed(_("Online applications upload their materials."))
    lines, missing, committed_names = [], [], []
    for m in version.snapshot["materials"]:
        mid = m["id"]
        if mid in uploads or mid in received_ids:
            status = MaterialStatus.PROVIDED
        elif mid in commit_ids:
            if not m["commitment_allowed"]:
                raise ValidationFailed(_("“%(m)s” cannot be replaced by a commitment.") % {"m": m["name"]})
            status = MaterialStatus.COMMITTED
            committed_names.append(m["name"])
        elif m["required"]:
            missing.append(m["name"])
            continue
        else:
            status = MaterialStatus.NOT_NEEDED
        lines.append((m, status))
    if missing:
        raise ValidationFailed(_("Please provide: %(m)s. Nothing was submitted yet.") % {"m": "、".join(missing)},
                               field="materials")
    if committed_names:
        code = who["credit_code"] or who["id_number"]
        ban = excluded_from_commitments(bureau, code, today)
        if ban is not None:
            raise ValidationFailed(_("This applicant is on the list of “%(kind)s” since %(since)s and cannot use the "
                                     "commitment scheme; please provide the certificates instead.")
                                   % {"kind": ban.get_kind_display(), "since": ban.since.isoformat()},
                                   field="commit")
        if not signed:
            raise ValidationFailed(_("Please read the commitment and tick that you sign it, or provide the "
                                     "certificates instead."), field="signed")
    label = who["institution_name"] or mask_name(who["name"])
    case = engine.case_open(actor=actor, kind=SERVICE.kind, organisation=bureau, department=item.department,
                            title=f"{item.name}（{label}）", applicant=actor if actor and actor.is_public else None,
                            contact_name=who["name"], contact_phone=who["phone"], at=now,
                            public=channel == Channel.ONLINE)
    app = Application(case=case, item=item, version=version, channel=channel, applicant_kind=applicant_kind,
                      institution_name=who["institution_name"], credit_code=who["credit_code"],
                      id_number=who["id_number"], id_valid_until=who["id_valid_until"],
                      committed=bool(committed_names), submitted_at=now, idempotency_key=idempotency_key or None)
    try:
        with transaction.atomic():
            app.save()
    except IntegrityError:  # the same form, submitted twice at once: the first one stands
        raise Conflict(_("This form was submitted already.")) from None
    for m, status in lines:
        att = None
        if m["id"] in uploads:
            att = engine.case_attach(actor=actor, case=case, upload=uploads[m["id"]], at=now, check_access=False)
        ProvidedMaterial.objects.create(application=app, material_id=m["id"], name=m["name"], status=status,
                                        attachment=att)
    if committed_names:
        text = commitment_text(version.snapshot, committed_names, item.organisation)
        Commitment.objects.create(application=app, materials=committed_names, text=text, signed_name=who["name"],
                                  signed_at=now)
        record(actor=actor, action="service.commit", target=case, organisation=bureau, at=now,
               after={"materials": committed_names}, note=text)
    _sms(who["phone"], _("[%(org)s] Your application %(ref)s for “%(item)s” was received. We decide on acceptance "
                         "within 5 working days.") % {"org": bureau.name, "ref": case.reference, "item": item.name})
    return app


@transaction.atomic
def application_notify_missing(*, actor: User, application: Application, problems: Mapping[int, str], missing: Sequence[int] = (),
                   expected_version: int | None = None, at: dt.datetime | None = None) -> Application:
    """The one-time notice (一次性告知): every missing or defective material at once, with what is
    wrong; the acceptance clock pauses until the applicant supplies them."""
    app = _locked(application)
    earlier = app.case.events.filter(transition="notify").order_by("at").first()
    if earlier is not None:
        raise Conflict(_("The one-time notice was given on %(day)s, and the law allows one (行政许可法 art. 32): "
                         "accept the application, or refuse it with reasons.")
                       % {"day": timezone.localdate(earlier.at).isoformat()})
    listed = {int(k): str(v).strip() for k, v in problems.items() if str(v).strip()}
    listed.update({int(m): listed.get(int(m)) or _("missing") for m in missing})
    if not listed:
        raise ValidationFailed(_("A one-time notice lists every missing or defective material; please tick at least "
                                 "one and say what is wrong."))
    by_id = {m["id"]: m for m in app.version.snapshot["materials"]}
    unknown = [k for k in listed if k not in by_id]
    if unknown:
        raise ValidationFailed(_("That material is not on this item's checklist."))
    names = []
    for mid, problem in listed.items():
        line, _created = ProvidedMaterial.objects.get_or_create(
            application=app, material_id=mid, defaults={"name": by_id[mid]["name"], "status": MaterialStatus.MISSING})
        line.status = MaterialStatus.DEFECTIVE if line.attachment_id or line.status == MaterialStatus.PROVIDED \
            else MaterialStatus.MISSING
        line.problem = problem[:300]
        line.save(update_fields=["status", "problem"])
        names.append(f"{line.name}（{line.problem}）")
    engine.case_transition(actor=actor, case=app.case, transition="notify", expected_version=expected_version, at=at,
                           data={"materials": names, "note": "；".join(names)})
    letters.correction(app, names, actor=actor, at=_now(at))
    _sms(app.case.contact_phone, _("[%(org)s] Application %(ref)s: please supply %(m)s. The time limit is paused "
                                   "until you do.") % {"org": app.case.organisation.name, "ref": app.case.reference,
                                                        "m": "、".join(names)})
    return app


@transaction.atomic
def application_supply(*, actor: User, application: Application, uploads: Mapping[int, UploadedFile] | None = None,
           received: Sequence[int] = (), at: dt.datetime | None = None) -> Application:
    """The applicant supplies what the notice listed (online), or the clerk receives it at the counter.
    Every listed material must come in; a partial supply is refused and nothing is stored."""
    app = _locked(application)
    counter = can_take_counter(actor, app.case.organisation)
    if not (is_applicant(actor, app) or counter):
        raise PermissionDenied(_("Only the applicant supplies materials for this application."))
    if app.case.state != "supplementing":
        raise Conflict(_("Application %(ref)s is not waiting for materials.") % {"ref": app.case.reference})
    uploads = dict(uploads or {})
    given = set(uploads) | (set(received) if counter else set())
    outstanding = [line for line in app.materials.all() if line.outstanding]
    still = [line.name for line in outstanding if line.material_id not in given]
    if still:
        raise ValidationFailed(_("Please supply every material the notice listed; still missing: %(m)s.")
                               % {"m": "、".join(still)}, field="materials")
    now = _now(at)
    for line in outstanding:
        if line.material_id in uploads:
            line.attachment = engine.case_attach(actor=actor, case=app.case, upload=uploads[line.material_id], at=now,
                                                 check_access=False)
        line.status, line.problem = MaterialStatus.PROVIDED, ""
        line.save(update_fields=["attachment", "status", "problem"])
    engine.case_transition(actor=actor, case=app.case, transition="supply", system=True, at=now,
                           data={"materials": [line.name for line in outstanding]})
    return app


def _clock(case: Case, name: str) -> Any:
    return case.clocks.filter(name=name).first()


@transaction.atomic
def application_accept(*, actor: User, application: Application, expected_version: int | None = None,
           at: dt.datetime | None = None) -> Application:
    """Accept: the item's statutory and promised limits start (sized by the item's published version)."""
    app = _locked(application)
    outstanding = [line.name for line in app.materials.all() if line.outstanding]
    if outstanding:
        raise ValidationFailed(_("These materials are still outstanding: %(m)s. Send a one-time notice, or wait "
                                 "for them.") % {"m": "、".join(outstanding)})
    snap = app.version.snapshot
    count: int = snap["statutory_days"]
    promised = snap["promised_days"]
    unit = snap.get("statutory_unit", StatutoryUnit.WORKING_DAYS)
    today = timezone.localdate(_now(at))
    cal = get_calendar()
    accept_clock = app.case.clocks.filter(name="accept").first()
    noticed = app.case.events.filter(transition="notify").exists()
    accepted_on = today
    if accept_clock is not None and not noticed and today > accept_clock.due_on:
        # no notice within the 5 working days: the application counts as accepted on receipt
        # (行政许可法 art. 32), so the statutory and promised limits have been running since then
        accepted_on = accept_clock.started_on
        spent = cal.working_days_between(accept_clock.started_on, today)
        promised = max(1, promised - spent)
        if unit == StatutoryUnit.WORKING_DAYS:
            count = max(1, count - spent)
    statutory: int | dt.date = count
    if unit != StatutoryUnit.WORKING_DAYS and count:
        # a statute counting in months or natural days: the clock runs to the day it ends
        statutory = cal.deadline(accepted_on, count, "months" if unit == StatutoryUnit.MONTHS else "natural").date
    engine.case_transition(actor=actor, case=app.case, transition="accept", expected_version=expected_version, at=at,
                           amounts={"statutory": statutory, "promised": promised})
    letters.acceptance(app, actor=actor, at=_now(at))
    _sms(app.case.contact_phone, _("[%(org)s] Application %(ref)s was accepted.")
         % {"org": app.case.organisation.name, "ref": app.case.reference})
    return app


@transaction.atomic
def application_extend(*, actor: User, application: Application, reason: str,
                       at: dt.datetime | None = None) -> Application:
    """行政许可法 art. 42: when the decision cannot be made within the statutory limit, the head of
    the bureau (here: the department head or a leader) may extend it once, by the rule's 10 working
    days, and the applicant is told why."""
    app = _locked(application)
    if not (has_role_over(actor, app.item.department, {Role.DEPARTMENT_HEAD})
            or has_role_over(actor, app.item.organisation, {Role.BUREAU_LEADER})):
        raise PermissionDenied(_("An extension is approved by the department head or a bureau leader."))
    if not app.item.is_licence:
        raise ValidationFailed(_("Only a licensing decision's limit is extended this way."))
    clock = app.case.clocks.filter(name="statutory", stopped_on__isnull=True).first()
    if clock is None:
        raise Conflict(_("The statutory time limit is not running; there is nothing to extend."))
    if clock.extended_by:
        raise Conflict(_("The statutory time limit has been extended once already (行政许可法 art. 42)."))
    if not reason.strip():
        raise ValidationFailed(_("Please give the reason the applicant will be told."), field="reason")
    days = rules.get("licensing.decision_extension").count
    engine.case_extend_clock(actor=actor, case=app.case, clock="statutory", days=days, reason=reason.strip(), at=at)
    clock.refresh_from_db()
    _sms(app.case.contact_phone, _("[%(org)s] Application %(ref)s: the decision is extended to %(day)s because %(why)s.")
         % {"org": app.case.organisation.name, "ref": app.case.reference, "day": clock.due_on.isoformat(),
            "why": reason.strip()})
    return app


@transaction.atomic
def application_reject(*, actor: User, application: Application, reason: str, expected_version: int | None = None,
           at: dt.datetime | None = None) -> Application:
    app = _locked(application)
    engine.case_transition(actor=actor, case=app.case, transition="reject", expected_version=expected_version, at=at,
                           data={"reason": reason})
    # a refusal to accept is a decision the applicant may challenge: it says where (行政许可法 art. 32)
    app.decision_text = f"{reason.strip()}\n{remedy_sentence(app.case.organisation)}"
    app.save(update_fields=["decision_text"])
    letters.non_acceptance(app, reason, actor=actor, at=_now(at))
    _sms(app.case.contact_phone, _("[%(org)s] Application %(ref)s was not accepted: %(r)s")
         % {"org": app.case.organisation.name, "ref": app.case.reference, "r": reason.strip()[:100]})
    return app


def _late_problem(case: Case, today: dt.date, late_reason: str) -> str | None:
    clock = _clock(case, "statutory")
    if clock is None or clock.due_on >= today or late_reason.strip():
        return None
    if clock.pauses or clock.paused_on or clock.extended_by:
        why = _("the pauses and extensions recorded do not cover the delay")
    else:
        why = _("no hearing, expert review or extension was recorded")
    return _("The statutory time limit ended on %(d)s and %(why)s. Please record why the decision is late; it will "
             "count as overdue.") % {"d": clock.due_on.isoformat(), "why": why}


@transaction.atomic
def application_decide(*, actor: User, application: Application, approve: bool, reason: str = "",
           certificate_number: str = "", valid_from: dt.date | None = None, valid_until: dt.date | None = None,
           late_reason: str = "", expected_version: int | None = None, at: dt.datetime | None = None) -> Application:
    """Approve (with the certificate number and validity for a licence) or deny (with reasons and
    the remedies). A licensing decision is published at once (the law allows 7 working days)."""
    app = _locked(application)
    now = _now(at)
    today = timezone.localdate(now)
    problem = _late_problem(app.case, today, late_reason)
    if problem:
        raise ValidationFailed(problem, field="late_reason")
    snap = app.version.snapshot
    data: dict[str, Any] = {"late_reason": late_reason.strip()} if late_reason.strip() else {}
    if approve:
        certificate_number = (certificate_number or "").strip()
        if app.item.is_licence and not certificate_number:
            raise ValidationFailed(_("Please give the number of the certificate issued."), field="certificate_number")
        if app.item.is_licence:
            valid_from = valid_from or today
            # the term is the catalogue item's (set from the statute); an item without one (教师资格,
            # a change or an ending) gives a licence without an end date
            longest = snap.get("permit_years")
            if longest:
                valid_until = valid_until or (years_later(valid_from, longest) - dt.timedelta(days=1))
            if valid_until is not None and valid_until <= valid_from:
                raise ValidationFailed(_("The permit must end after it begins."), field="valid_until")
            if longest and valid_until is not None and valid_until >= years_later(valid_from, longest):
                raise ValidationFailed(_("A permit for this item is valid for at most %(n)d years (until %(d)s).")
                                       % {"n": longest, "d": (years_later(valid_from, longest)
                                                               - dt.timedelta(days=1)).isoformat()},
                                       field="valid_until")
            clash = Application.objects.filter(item__organisation=app.item.organisation,
                                               certificate_number=certificate_number).exclude(pk=app.pk).first()
            if clash is not None:
                raise ValidationFailed(_("Certificate number %(n)s was issued already (%(ref)s).")
                                       % {"n": certificate_number, "ref": clash.case.reference},
                                       field="certificate_number")
        data.update(certificate_number=certificate_number, valid_until=valid_until.isoformat() if valid_until else "")
        engine.case_transition(actor=actor, case=app.case, transition="approve", expected_version=expected_version,
                               at=now, data=data)
        app.decision = Decision.APPROVED
        app.decision_text = (reason or "").strip() or _("Approved: the application meets the conditions.")
        app.certificate_number, app.valid_from, app.valid_until = certificate_number, valid_from, valid_until
    else:
        reason = (reason or "").strip()
        data["reason"] = reason
        engine.case_transition(actor=actor, case=app.case, transition="deny", expected_version=expected_version,
                               at=now, data=data)
        app.decision = Decision.DENIED
        app.decision_text = f"{reason}\n{remedy_sentence(app.case.organisation)}"  # 行政许可法 art. 38
    app.decided_at = now
    fields = ["decision", "decision_text", "certificate_number", "valid_from", "valid_until", "decided_at"]
    if app.item.is_licence:
        app.published_at = now
        fields.append("published_at")
    app.save(update_fields=fields)
    letters.decision(app, actor=actor, at=now)
    if app.published_at:
        record(actor=actor, action="service.publish", target=app.case, organisation=app.case.organisation, at=now,
               after={"reference": app.case.reference, "decision": app.decision,
                      "certificate_number": app.certificate_number})
    _sms(app.case.contact_phone, _("[%(org)s] Application %(ref)s: %(d)s. Please rate our service on the portal.")
         % {"org": app.case.organisation.name, "ref": app.case.reference, "d": app.get_decision_display()})
    return app


@transaction.atomic
def application_deliver(*, actor: User, application: Application, method: str, at: dt.datetime | None = None) -> Application:
    """Record how the decision reached the applicant (by hand, by post, electronically)."""
    app = _locked(application)
    if app.case.state not in ("approved", "denied", "rejected"):
        raise Conflict(_("There is no decision to deliver yet."))
    if app.delivered_at is not None:
        raise Conflict(_("The decision was delivered already (%(d)s).")
                       % {"d": timezone.localtime(app.delivered_at).strftime("%Y-%m-%d")})
    method = (method or "").strip()
    if not method:
        raise ValidationFailed(_("Please say how the decision was delivered."), field="method")
    now = _now(at)
    app.delivered_at, app.delivery = now, method[:40]
    app.save(update_fields=["delivered_at", "delivery"])
    engine.case_comment(actor=actor, case=app.case, at=now, action="deliver", public=True, data={"method": method},
                        text=_("Decision delivered: %(m)s") % {"m": method})
    return app


@transaction.atomic
def application_revoke(*, actor: User, application: Application, reason: str, expected_version: int | None = None,
                       system: bool = False, at: dt.datetime | None = None) -> Application:
    """Revoke an approval (行政许可法 art. 69: obtained by deception, bribery or a false commitment, or
    granted beyond the law): the licence and its decision stand revoked from today wherever they are
    checked (the verification page, the agency API), and the revocation is published."""
    app = _locked(application)
    reason = required_text(reason, "reason", _("Please give the reasons for revoking the approval."))
    now = _now(at)
    engine.case_transition(actor=actor, case=app.case, transition="revoke", data={"reason": reason}, at=now,
                           expected_version=expected_version, system=system)
    letters.revocation(app, reason, actor=actor, at=now)
    if app.published_at:
        record(actor=actor, action="service.publish_revocation", target=app.case, organisation=app.case.organisation,
               at=now, after={"certificate_number": app.certificate_number})
    _sms(app.case.contact_phone, _("[%(org)s] Application %(ref)s: the approval was revoked: %(r)s")
         % {"org": app.case.organisation.name, "ref": app.case.reference, "r": reason[:100]})
    return app


@transaction.atomic
def application_withdraw(*, actor: User, application: Application, at: dt.datetime | None = None) -> Application:
    app = _locked(application)
    if not is_applicant(actor, app):
        raise PermissionDenied(_("Only the applicant withdraws an application."))
    engine.case_transition(actor=actor, case=app.case, transition="withdraw", system=True, at=at)
    return app
