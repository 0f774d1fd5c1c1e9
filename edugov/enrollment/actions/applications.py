"""Writes of a family's application: draft, submission, review, correction, offline checks, accepting the place, appeal, the survey."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import User
from edugov.audit.ledger import record
from edugov.cases import actions as engine
from edugov.kernel import querycodes
from edugov.kernel.errors import Conflict, PermissionDenied, ValidationFailed
from edugov.kernel.masking import mask_name
from edugov.kernel.validators import birth_date_of, gender_of, validate_identity_number, validate_mobile

from ..documents import check_picture
from ..models import (
    REQUIRED_DOCUMENTS,
    Application,
    Appointment,
    Category,
    Document,
    DocumentKind,
    Intake,
    IntakeState,
    Rating,
    Slot,
    StudentRecord,
    child_index,
)
from ..selectors import appeal_window_open, zone_of
from ..workflow import APPEAL, ENROLLMENT
from ._common import Form, _locked, _now, _tell


def _private_schools(intake: Intake) -> set[int]:
    cached = getattr(intake, "_private_schools", None)
    if cached is None:
        cached = set(intake.plans.filter(school__is_private=True).values_list("school_id", flat=True))
        intake._private_schools = cached  # type: ignore[attr-defined]
    return cached


def _check(intake: Intake, f: Form, today: dt.date, *, complete: bool) -> dict[str, Any]:
    """Check a form with messages that say what to fix; `complete` for a submission, not a draft."""
    out: dict[str, Any] = {}
    try:
        number = validate_identity_number(f.child_id_number, today=today)
    except ValidationFailed as exc:
        raise ValidationFailed(exc.message, field="child_id_number") from None
    born = birth_date_of(number)
    if not intake.born_from <= born <= intake.born_until:
        raise ValidationFailed(_("This intake is for children born from %(a)s to %(b)s; the identity number says "
                                 "%(d)s.") % {"a": intake.born_from.isoformat(), "b": intake.born_until.isoformat(),
                                             "d": born.isoformat()}, field="child_id_number")
    out.update(child_id_number=number, birth_date=born, gender=gender_of(number))
    if intake.grade == "primary_1":
        held = StudentRecord.objects.filter(child_index=child_index(number)).first()  # 学籍 is kept nationally
        if held is not None:
            raise ValidationFailed(_("This child already has a student record (%(school)s, %(grade)s) and cannot apply "
                                     "for the first year again. If the record is wrong, please call the enrollment "
                                     "office.") % {"school": held.school_name, "grade": held.grade},
                                   field="child_id_number")
    if not complete:
        return out
    for key, label in (("child_name", _("the child's name")), ("household", _("the household registration")),
                       ("guardian_name", _("the guardian's name")), ("address", _("the home address")),
                       ("community", _("the residential community"))):
        if not str(getattr(f, key) or "").strip():
            raise ValidationFailed(_("Please give %(what)s.") % {"what": label}, field=key)
    try:
        out["guardian_id_number"] = validate_identity_number(f.guardian_id_number, today=today)
    except ValidationFailed as exc:
        raise ValidationFailed(exc.message, field="guardian_id_number") from None
    if out["guardian_id_number"] == number:
        raise ValidationFailed(_("The guardian's identity number is the child's; please check it."),
                               field="guardian_id_number")
    try:
        out["guardian_phone"] = validate_mobile(f.guardian_phone)
        out["second_guardian_phone"] = validate_mobile(f.second_guardian_phone) if f.second_guardian_phone else ""
    except ValidationFailed as exc:
        raise ValidationFailed(exc.message, field="guardian_phone") from None
    zone = zone_of(intake, f.community)
    if zone is None:
        raise ValidationFailed(_("“%(c)s” is not in any zone of this intake. Please choose your residential community "
                                 "from the list, or call the bureau if it is missing.") % {"c": f.community.strip()},
                               field="community")
    out["zone"] = zone
    if f.category not in Category.values:
        raise ValidationFailed(_("Please choose the category that fits your family."), field="category")
    choices = [int(c) for c in f.private_choices if c]
    if len(choices) != len(set(choices)):
        raise ValidationFailed(_("Each private school may be chosen once."), field="private_choices")
    if len(choices) > intake.max_private_choices:
        raise ValidationFailed(_("At most %(n)d private schools may be chosen.") % {"n": intake.max_private_choices},
                               field="private_choices")
    if not set(choices) <= _private_schools(intake):
        raise ValidationFailed(_("Only private schools with places in this intake can be chosen."),
                               field="private_choices")
    if not f.consent:
        raise ValidationFailed(_("Please confirm, as the guardian, that you consent to the processing of the child's "
                                 "data for enrollment."), field="consent")
    out.update(child_name=f.child_name.strip()[:40], household=f.household.strip()[:120],
               guardian_name=f.guardian_name.strip()[:40], second_guardian_name=f.second_guardian_name.strip()[:40],
               address=f.address.strip()[:200], community=f.community.strip()[:80], category=f.category,
               private_choices=choices)
    return out


def _set_columns(columns: Sequence[tuple[str, str]], rows: list[tuple[Any, ...]]) -> None:
    """UPDATE many applications by primary key (`bulk_update` builds a CASE over every row:
    minutes for an intake). `columns` are (name, PostgreSQL type); rows are (values..., pk).
    PostgreSQL: one statement per 50,000 rows joining unnested arrays; SQLite: one prepared
    statement executed per row (it has no arrays, and a local file needs no round trips)."""
    from django.db import connection

    table = Application._meta.db_table
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            sets = ", ".join(f"{name} = v.c{i}" for i, (name, _t) in enumerate(columns))
            cols = ", ".join(f"unnest(%s::{pg}[]) AS c{i}" for i, (_n, pg) in enumerate(columns))
            sql = (f"UPDATE {table} AS t SET {sets} FROM (SELECT {cols}, unnest(%s::bigint[]) AS id) AS v "  # noqa: S608
                   "WHERE t.id = v.id")
            for start in range(0, len(rows), 50000):
                chunk = rows[start:start + 50000]
                cur.execute(sql, [list(col) for col in zip(*chunk, strict=True)])
            return
        sets = ", ".join(f"{name} = %s" for name, _t in columns)
        for start in range(0, len(rows), 5000):
            cur.executemany(f"UPDATE {table} SET {sets} WHERE id = %s", rows[start:start + 5000])  # noqa: S608


@transaction.atomic
def application_draft_save(*, actor: User, intake: Intake, form: Form, at: dt.datetime | None = None) -> Application:
    """Save a draft (only the child's identity number is needed); the parent comes back to it."""
    today = timezone.localdate(_now(at))
    data = _check(intake, form, today, complete=False)
    existing = Application.objects.filter(intake=intake, child_index=child_index(data["child_id_number"])).first()
    if existing is not None and (existing.submitted_at is not None or existing.account_id != actor.pk):
        raise Conflict(_("An application for this child exists already. If you did not make it, please call the "
                         "enrollment office."))
    app = existing or Application(intake=intake, account=actor, query_code=querycodes.new())
    for key in ("child_name", "household", "guardian_name", "guardian_id_number", "guardian_phone",
                "second_guardian_name", "second_guardian_phone", "address", "community"):
        setattr(app, key, str(getattr(form, key) or "").strip())
    app.child_id_number, app.birth_date, app.gender = data["child_id_number"], data["birth_date"], data["gender"]
    app.category = form.category if form.category in Category.values else Category.OTHER
    app.private_choices = [int(c) for c in form.private_choices if c]
    app.save()
    record(actor=actor, action="enrollment.draft", target=intake, organisation=intake.organisation, at=at,
           after={"draft": app.pk, "child": mask_name(app.child_name)})
    return app


@transaction.atomic
def application_submit(*, actor: User, intake: Intake, form: Form, uploads: Mapping[str, UploadedFile],
           idempotency_key: str = "", at: dt.datetime | None = None) -> Application:
    """Submit an application with its documents. A double submit returns the first; a second
    application for the same child is refused; nothing is half-saved."""
    if idempotency_key:
        done = Application.objects.filter(idempotency_key=idempotency_key, submitted_at__isnull=False).first()
        if done is not None and done.account_id == actor.pk:
            return done
    now = _now(at)
    today = timezone.localdate(now)
    intake = Intake.objects.select_related("organisation").get(pk=intake.pk)  # its state as of now
    if intake.state != IntakeState.PUBLISHED:
        raise ValidationFailed(_("Applications for this intake are not open."))
    if now < intake.opens_at:
        raise ValidationFailed(_("Applications open on %(d)s.") % {"d": timezone.localtime(intake.opens_at)
                                                                   .strftime("%Y-%m-%d %H:%M")})
    if now > intake.closes_at:
        raise ValidationFailed(_("Applications closed on %(d)s; the application was not submitted.")
                               % {"d": timezone.localtime(intake.closes_at).strftime("%Y-%m-%d %H:%M")})
    data = _check(intake, form, today, complete=True)
    needed = REQUIRED_DOCUMENTS[data["category"]]
    missing = [str(DocumentKind(k).label) for k in needed if k not in uploads]
    if missing:
        raise ValidationFailed(_("For this category please upload: %(d)s.") % {"d": "、".join(missing)},
                               field="documents")
    for kind in needed:
        try:
            check_picture(uploads[kind], str(DocumentKind(kind).label))
        except ValidationFailed as exc:
            raise ValidationFailed(exc.message, field=f"doc_{kind}") from None
    existing = Application.objects.select_for_update().filter(
        intake=intake, child_index=child_index(data["child_id_number"])).first()
    if existing is not None and (existing.submitted_at is not None or existing.account_id != actor.pk):
        raise Conflict(_("An application for this child has been submitted already (one per child). If you did not "
                       "make it, please call the enrollment office."))
    app = existing or Application(intake=intake, account=actor, query_code=querycodes.new())
    for key, value in data.items():
        setattr(app, key, value)
    app.consent_at, app.submitted_at, app.idempotency_key = now, now, idempotency_key or None
    case = engine.case_open(actor=actor, kind=ENROLLMENT.kind, organisation=intake.organisation,
                            department=intake.department, public=True, applicant=actor,
                            title=_("Enrollment %(year)d: %(name)s") % {"year": intake.year,
                                                                        "name": mask_name(data["child_name"])},
                            contact_name=data["guardian_name"], contact_phone=data["guardian_phone"], at=now)
    app.case = case
    try:
        with transaction.atomic():
            app.save()
    except IntegrityError:
        raise Conflict(_("An application for this child has been submitted already (one per child).")) from None
    for kind in needed:
        try:
            att = engine.case_attach(actor=actor, case=case, upload=uploads[kind], at=now, check_access=False)
        except ValidationFailed as exc:
            raise ValidationFailed(_("%(doc)s: %(why)s") % {"doc": DocumentKind(kind).label, "why": exc.message},
                                   field=f"doc_{kind}") from None
        Document.objects.create(application=app, kind=kind, attachment=att)
    record(actor=actor, action="enrollment.consent", target=case, organisation=intake.organisation, at=now,
           after={"purpose": "enrollment", "child": mask_name(data["child_name"])})
    _tell(app, _("[%(org)s] The enrollment application for %(name)s was received (%(ref)s). Query "
                                   "code: %(code)s.") % {"org": intake.organisation.name, "ref": case.reference,
                                                        "name": mask_name(data["child_name"]), "code": app.query_code},
          at=now)
    return app


@transaction.atomic
def application_review(*, actor: User, application: Application, passed: bool, reasons: Sequence[str] = (),
           problems: Mapping[str, str] | None = None, expected_version: int | None = None,
           at: dt.datetime | None = None) -> Application:
    """First review (staff), then second review (the department head); either may return the
    application with the exact reasons, per document where a document is at fault."""
    app = _locked(application)
    case = app.case
    assert case is not None
    if passed:
        step = "check" if case.state == "submitted" else "verify"
        if step == "verify" and case.events.filter(transition="check").values_list("actor", flat=True).first() \
                == actor.pk:
            raise PermissionDenied(_("The second review is done by someone other than the first reviewer."))
        engine.case_transition(actor=actor, case=case, transition=step, expected_version=expected_version, at=at)
        text = _("The application passed the review.") if step == "verify" else ""
    else:
        problems = {k: str(v).strip() for k, v in (problems or {}).items() if str(v).strip()}
        listed = [r.strip() for r in reasons if r and r.strip()]
        if not listed and not problems:
            raise ValidationFailed(_("Please say exactly what the parent must correct."), field="reasons")
        for doc in app.documents.all():
            doc.problem = problems.get(doc.kind, "")[:200]
            doc.save(update_fields=["problem"])
        all_reasons = listed + [f"{DocumentKind(k).label}：{v}" for k, v in problems.items()]
        engine.case_transition(actor=actor, case=case, transition="return", expected_version=expected_version, at=at,
                               data={"reasons": all_reasons, "note": "；".join(all_reasons)})
        app.return_reasons = all_reasons
        app.save(update_fields=["return_reasons"])
        text = _("Please correct: %(r)s") % {"r": "；".join(all_reasons)}
    if text:
        _tell(app, f"[{app.intake.organisation.name}] {case.reference}: {text}", at=at)
    return app


@transaction.atomic
def application_resubmit(*, actor: User, application: Application, form: Form | None = None,
             uploads: Mapping[str, UploadedFile] | None = None, at: dt.datetime | None = None) -> Application:
    """The parent corrects what the return named and resubmits; the review clock starts again."""
    app = _locked(application)
    if app.account_id != actor.pk:
        raise PermissionDenied(_("Only the parent who applied corrects this application."))
    case = app.case
    assert case is not None
    if case.state != "returned":
        raise Conflict(_("This application is not waiting for a correction."))
    now = _now(at)
    uploads = dict(uploads or {})
    flagged = [d for d in app.documents.all() if d.problem]
    still = [str(d.get_kind_display()) for d in flagged if d.kind not in uploads]
    if still:
        raise ValidationFailed(_("Please upload a new %(d)s, as the reviewer asked.") % {"d": "、".join(still)},
                               field="documents")
    if form is not None:
        data = _check(app.intake, form, timezone.localdate(now), complete=True)
        if data["child_id_number"] != app.child_id_number:
            raise ValidationFailed(_("The child's identity number cannot change; withdraw and apply again instead."),
                                   field="child_id_number")
        for key, value in data.items():
            setattr(app, key, value)
        needed = REQUIRED_DOCUMENTS[data["category"]]
        have = {d.kind for d in app.documents.all()} | set(uploads)
        missing = [str(DocumentKind(k).label) for k in needed if k not in have]
        if missing:
            raise ValidationFailed(_("For this category please upload: %(d)s.") % {"d": "、".join(missing)},
                                   field="documents")
    for kind, upload in uploads.items():
        check_picture(upload, str(DocumentKind(kind).label))
    for kind, upload in uploads.items():
        att = engine.case_attach(actor=actor, case=case, upload=upload, at=now, check_access=False)
        Document.objects.filter(application=app, kind=kind).delete()
        Document.objects.create(application=app, kind=kind, attachment=att)
    app.return_reasons = []
    app.save()
    engine.case_transition(actor=actor, case=case, transition="resubmit", system=True, at=now)
    return app


@transaction.atomic
def application_accept_place(*, actor: User, application: Application, at: dt.datetime | None = None) -> Application:
    app = _locked(application)
    if app.account_id != actor.pk:
        raise PermissionDenied(_("Only the parent who applied accepts the place."))
    now = _now(at)
    if app.intake.state != IntakeState.RESULTS:
        raise Conflict(_("The results are not published yet."))
    assert app.case is not None
    engine.case_transition(actor=actor, case=app.case, transition="accept", system=True, at=now)
    app.accepted_at = now
    app.save(update_fields=["accepted_at"])
    return app


@transaction.atomic
def application_appeal(*, actor: User, application: Application, reason: str, at: dt.datetime | None = None) -> Any:
    """An appeal against the result: a case with its own clock, within the published window."""
    app = _locked(application)
    if app.account_id != actor.pk:
        raise PermissionDenied(_("Only the parent who applied appeals the result."))
    now = _now(at)
    if app.intake.state != IntakeState.RESULTS or not appeal_window_open(app, now):
        raise ValidationFailed(_("Appeals are made within %(d)d days of the results' publication.")
                               % {"d": app.intake.appeal_days})
    if app.appeal_id is not None:
        raise Conflict(_("An appeal has been made already; its answer will come by SMS."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Please say why you appeal."), field="reason")
    case = engine.case_open(actor=actor, kind=APPEAL.kind, organisation=app.intake.organisation,
                            department=app.intake.department, public=True, applicant=actor, at=now,
                            title=_("Appeal: %(ref)s") % {"ref": app.case.reference if app.case else ""},
                            contact_name=app.guardian_name, contact_phone=app.guardian_phone, note=reason[:1000])
    app.appeal = case
    app.save(update_fields=["appeal"])
    return case


@transaction.atomic
def application_rate(*, actor: User, application: Application, level: object, at: dt.datetime | None = None) -> Application:
    """The satisfaction survey at the end: five levels, once, by the parent who applied."""
    app = _locked(application)
    if app.account_id != actor.pk:
        raise PermissionDenied(_("Only the parent who applied answers the survey."))
    if app.intake.state not in (IntakeState.RESULTS, IntakeState.CLOSED):
        raise Conflict(_("The survey opens when the results are published."))
    if app.satisfaction is not None:
        raise Conflict(_("You have answered the survey already; thank you."))
    try:
        value = int(level)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        value = 0
    if value not in Rating.values:
        raise ValidationFailed(_("Please choose one of the five levels."), field="level")
    now = _now(at)
    app.satisfaction, app.rated_at = value, now
    app.save(update_fields=["satisfaction", "rated_at"])
    record(actor=actor, action="enrollment.rate", target=app.case, organisation=app.intake.organisation, at=now,
           after={"level": value})
    return app


def category_from(household: bool, home: bool, permit: bool) -> int:
    """The category from the family's answers in plain words (the policy's order of priority)."""
    if household and home:
        return int(Category.HOUSEHOLD_AND_HOME)
    if household:
        return int(Category.HOUSEHOLD_ONLY)
    if home:
        return int(Category.HOME_ONLY)
    if permit:
        return int(Category.MIGRANT)
    return int(Category.OTHER)


@transaction.atomic
def application_move_offline(*, actor: User, application: Application, reason: str, expected_version: int | None = None,
                 at: dt.datetime | None = None) -> Application:
    """What cannot be checked online (a rental contract, a social-security record) is checked in
    person: the review clock pauses, and the parent books a time."""
    app = _locked(application)
    assert app.case is not None
    reason = (reason or "").strip()
    engine.case_transition(actor=actor, case=app.case, transition="offline", expected_version=expected_version, at=at,
                           data={"reason": reason})
    _tell(app, _("[%(org)s] %(ref)s: %(r)s needs to be checked in person. Please book a time on your enrollment page "
                 "and bring the originals.") % {"org": app.intake.organisation.name, "ref": app.case.reference,
                                                "r": reason}, at=at)
    return app


@transaction.atomic
def application_book(*, actor: User, application: Application, slot: Slot, at: dt.datetime | None = None) -> Appointment:
    """The parent books (or moves, until the day before) a time for the offline check."""
    app = _locked(application)
    if app.account_id != actor.pk:
        raise PermissionDenied(_("Only the parent who applied books the check."))
    if app.case is None or app.case.state != "offline":
        raise Conflict(_("This application does not need an offline check."))
    now = _now(at)
    slot = Slot.objects.select_for_update().get(pk=slot.pk)
    if slot.intake_id != app.intake_id or slot.day <= timezone.localdate(now):
        raise ValidationFailed(_("Please choose one of the times offered, from tomorrow on."), field="slot")
    current = Appointment.objects.filter(application=app).select_related("slot").first()
    if current is not None and current.slot_id == slot.pk:
        raise Conflict(_("You have booked this time already."))
    if current is not None and current.slot.day <= timezone.localdate(now):
        raise ValidationFailed(_("A booking can be moved until the day before it."), field="slot")
    if slot.appointments.count() >= slot.capacity:
        raise Conflict(_("That time has just been fully booked; please choose another."))
    if current is None:
        current = Appointment.objects.create(application=app, slot=slot, booked_at=now)
    else:
        current.slot, current.booked_at, current.reschedules = slot, now, current.reschedules + 1
        current.save(update_fields=["slot", "booked_at", "reschedules"])
    record(actor=actor, action="enrollment.book", target=app.case, organisation=app.intake.organisation, at=now,
           after={"slot": slot.pk, "day": slot.day, "reschedules": current.reschedules})
    _tell(app, _("[%(org)s] Offline check booked: %(day)s %(time)s at %(place)s. Please bring the originals.")
          % {"org": app.intake.organisation.name, "day": slot.day.isoformat(), "time": slot.time,
             "place": slot.place}, at=now)
    return current


@transaction.atomic
def application_offline_result(*, actor: User, application: Application, passed: bool, reasons: Sequence[str] = (),
                   at: dt.datetime | None = None) -> Application:
    """The outcome of the check in person: in order (on to the second review) or returned with reasons."""
    app = _locked(application)
    assert app.case is not None
    if passed:
        engine.case_transition(actor=actor, case=app.case, transition="offline_pass", at=at)
        _tell(app, _("[%(org)s] %(ref)s: checked in person, in order.") % {
            "org": app.intake.organisation.name, "ref": app.case.reference}, at=at)
        return app
    return application_review(actor=actor, application=app, passed=False, reasons=reasons, at=at)
