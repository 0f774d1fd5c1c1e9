"""Enrollment: the policy, applications and their review, the lottery, the assignment, results,
appeals and the survey. Each function is one transaction; state changes go through the case
engine (one case at a time for a parent's or a reviewer's act, set-based for an assignment run)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import Role, User
from edugov.accounts.permissions import can_read_within
from edugov.audit.ledger import record
from edugov.cases import actions as engine
from edugov.draws.actions import draw_commit, draw_reveal
from edugov.kernel import ledger_port, querycodes
from edugov.kernel.calendar import get_calendar
from edugov.kernel.errors import Conflict, PermissionDenied, ValidationFailed
from edugov.kernel.masking import mask_name
from edugov.kernel.sms import send_sms
from edugov.kernel.validators import birth_date_of, gender_of, validate_identity_number, validate_mobile
from edugov.registries.models import School

from .documents import check_picture
from .engine import Arrays, deferred_acceptance
from .models import (
    REQUIRED_DOCUMENTS,
    Application,
    Appointment,
    Category,
    Document,
    DocumentKind,
    Intake,
    IntakeState,
    Notice,
    PolicyChange,
    Rating,
    Slot,
    SpecialKind,
    SpecialRequest,
    StudentRecord,
    Zone,
    child_index,
)
from .permissions import can_manage
from .workflow import APPEAL, DEFERRAL, ENROLLMENT, PLACEMENT, PLACEMENTS

# What this module's ledger entries record (the ledger refuses any other field).
ledger_port.declare("intake", ("rows",))


def _now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def _tell(app: Application, text: str, at: dt.datetime | None = None) -> None:
    """Tell the parent: the message is kept on their page (and the tracking page), then sent by SMS."""
    Notice.objects.create(application=app, at=_now(at), text=text)
    phone = app.guardian_phone
    if phone:
        transaction.on_commit(lambda: send_sms(phone, text))


# -- policy ----------------------------------------------------------------------------------------

@transaction.atomic
def intake_publish(*, actor: User | None, intake: Intake, at: dt.datetime | None = None) -> Intake:
    intake = Intake.objects.select_for_update().get(pk=intake.pk)
    if actor is not None and not can_manage(actor, intake):
        raise PermissionDenied(_("The enrollment policy is published by the department head or a leader."))
    if intake.state != IntakeState.DRAFT:
        raise Conflict(_("This policy was published already; changes are recorded one by one with a reason."))
    if not intake.plans.exists() or not intake.zones.exists():
        raise ValidationFailed(_("A policy needs the schools' plans and the zones before it is published."))
    if not intake.born_from <= intake.born_until or not intake.opens_at < intake.closes_at:
        raise ValidationFailed(_("The birth window and the application dates must each run forwards."))
    now = _now(at)
    intake.state, intake.published_at = IntakeState.PUBLISHED, now
    intake.save(update_fields=["state", "published_at"])
    record(actor=actor, action="enrollment.policy_publish", target=intake, organisation=intake.organisation, at=now,
           after={"year": intake.year, "plans": intake.plans.count(), "zones": intake.zones.count(),
                  "opens_at": intake.opens_at, "closes_at": intake.closes_at})
    return intake


CHANGEABLE = {"closes_at", "lottery_on", "results_on", "appeal_days", "max_private_choices"}


@transaction.atomic
def policy_change(*, actor: User, intake: Intake, field: str, value: Any, reason: str,
                  at: dt.datetime | None = None) -> PolicyChange:
    """Change a published policy: the change, its reason and who made it are shown on the policy page."""
    intake = Intake.objects.select_for_update().get(pk=intake.pk)
    if not can_manage(actor, intake):
        raise PermissionDenied(_("The enrollment policy is changed by the department head or a leader."))
    if field not in CHANGEABLE:
        raise ValidationFailed(_("That part of a published policy cannot be changed."))
    if not (reason or "").strip():
        raise ValidationFailed(_("Please give the reason; it is published with the change."), field="reason")
    now = _now(at)
    old = getattr(intake, field)
    setattr(intake, field, value)
    intake.version += 1
    intake.save(update_fields=[field, "version"])
    label = str(getattr(Intake._meta.get_field(field), "verbose_name", field))
    change = PolicyChange.objects.create(intake=intake, at=now, by=actor, what=f"{label}：{old} → {value}"[:300],
                                         reason=reason.strip()[:300])
    record(actor=actor, action="enrollment.policy_change", target=intake, organisation=intake.organisation, at=now,
           before={field: old}, after={field: value}, note=reason.strip()[:300])
    return change


# -- applications ----------------------------------------------------------------------------------

@dataclass
class Form:
    """What a parent types, before checking."""

    child_name: str = ""
    child_id_number: str = ""
    household: str = ""
    guardian_name: str = ""
    guardian_id_number: str = ""
    guardian_phone: str = ""
    second_guardian_name: str = ""
    second_guardian_phone: str = ""
    address: str = ""
    community: str = ""
    category: int | None = None
    private_choices: Sequence[int] = ()
    consent: bool = False


def zone_of(intake: Intake, community: str) -> Zone | None:
    """The zone a residential community belongs to (looked up once per intake object)."""
    index = getattr(intake, "_zone_index", None)
    if index is None:
        index = {c: zone for zone in intake.zones.all() for c in zone.communities}
        intake._zone_index = index  # type: ignore[attr-defined]
    return index.get((community or "").strip())


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
def draft_save(*, actor: User, intake: Intake, form: Form, at: dt.datetime | None = None) -> Application:
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
def submit(*, actor: User, intake: Intake, form: Form, uploads: Mapping[str, UploadedFile],
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


def _locked(app: Application) -> Application:
    return Application.objects.select_for_update(of=("self",)).select_related("case", "intake").get(pk=app.pk)


@transaction.atomic
def review(*, actor: User, application: Application, passed: bool, reasons: Sequence[str] = (),
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
def resubmit(*, actor: User, application: Application, form: Form | None = None,
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


def _reference(app: Application) -> str:
    """A submitted application's case reference (every submitted application has its case)."""
    assert app.case is not None
    return app.case.reference


# -- lottery and assignment ------------------------------------------------------------------------

@transaction.atomic
def run_lottery(*, actor: User | None, intake: Intake, public_value: str = "", at: dt.datetime | None = None) -> Any:
    """One published draw over every verified application: an applicant's lottery number is their
    1-based place in its order (INTERFACES.md). It breaks ties within a category at public schools
    and orders the applicants of an oversubscribed private school."""
    intake = Intake.objects.select_for_update().get(pk=intake.pk)
    if actor is not None and not can_manage(actor, intake):
        raise PermissionDenied(_("The lottery is run by the department head or a leader."))
    if intake.lottery_id is not None:
        raise Conflict(_("The lottery of this intake has been drawn already; it cannot be drawn again."))
    apps = list(Application.objects.filter(intake=intake, case__state="verified").select_related("case")
                .only("pk", "case__reference"))
    pending = Application.objects.filter(intake=intake, case__state__in=("submitted", "checked", "returned", "offline", "referred")).count()
    if pending:
        raise ValidationFailed(_("%(n)d applications are still being reviewed or corrected; the lottery comes after "
                                 "every review.") % {"n": pending})
    if not apps:
        raise ValidationFailed(_("No verified application: there is nothing to draw."))
    draw = draw_commit(actor=actor, draw_id=f"enroll-{intake.organisation.code}-{intake.year}-{intake.grade}",
                       organisation=intake.organisation, candidates=[_reference(a) for a in apps], k=0, at=at,
                       purpose=_("Enrollment lottery %(year)d (%(grade)s)") % {"year": intake.year,
                                                                              "grade": intake.get_grade_display()})
    draw = draw_reveal(actor=actor, draw=draw, public_value=public_value, at=at)
    number = {ref: i + 1 for i, ref in enumerate(draw.order or [])}
    _set_columns([("lottery_number", "integer")], [(number[_reference(a)], a.pk) for a in apps])
    intake.lottery = draw
    intake.save(update_fields=["lottery"])
    return draw


def _nearby(zones: list[Zone], zone_schools: dict[int, list[int]], public: set[int], reach: int = 2) -> dict[int, list[int]]:
    """For each zone, the public schools of the zones around it (二次分配), nearest first."""
    out: dict[int, list[int]] = {}
    for z in zones:
        near = sorted((abs(o.order - z.order), s) for o in zones if o.pk != z.pk and abs(o.order - z.order) <= reach
                      for s in zone_schools[o.pk] if s in public)
        seen: list[int] = []
        for _d, s in near:
            if s not in seen and s not in zone_schools[z.pk]:
                seen.append(s)
        out[z.pk] = seen
    return out


def build_instance(intake: Intake) -> tuple[list[int], list[int], Arrays]:
    """The verified applications and the schools with places as arrays for the engine.

    Preferences: the private choices in order, then the zone's schools, then the public schools of
    nearby zones. Priorities: at a private school the lottery number; at a public school the
    zone's own applicants first, by category then lottery number; others after them, the same way."""
    plans = {p.school_id: p for p in intake.plans.select_related("school")}
    public = {sid for sid, p in plans.items() if not p.school.is_private}
    zones = list(intake.zones.prefetch_related("schools"))
    zone_schools = {z.pk: [s.pk for s in z.schools.all() if s.pk in plans] for z in zones}
    near = _nearby(zones, zone_schools, public)
    rows = list(Application.objects.filter(intake=intake, case__state="verified")
                .values_list("pk", "zone_id", "category", "lottery_number", "private_choices"))
    school_ids = sorted(plans)
    col = {sid: i for i, sid in enumerate(school_ids)}
    prefs = [[*[c for c in choices if c in plans], *zone_schools.get(zone, []), *near.get(zone, [])]
             for _pk, zone, _cat, _lot, choices in rows]
    width = max((len(p) for p in prefs), default=0)
    n = len(rows)
    choice = np.full((n, width), -1, dtype=np.int32)
    rank = np.full((n, width), -1, dtype=np.int64)
    big = n + 1
    for i, (row, p) in enumerate(zip(rows, prefs, strict=True)):
        _pk, zone, category, lottery, _choices = row
        lottery = lottery or big
        own = set(zone_schools.get(zone, []))
        seen: set[int] = set()
        j = 0
        for sid in p:
            if sid in seen:
                continue
            seen.add(sid)
            choice[i, j] = col[sid]
            if sid in public:
                rank[i, j] = (0 if sid in own else 1) * 10 * big + category * big + lottery
            else:
                rank[i, j] = lottery
            j += 1
    capacity = np.array([plans[sid].places for sid in school_ids], dtype=np.int64)
    return [r[0] for r in rows], school_ids, Arrays(choice, rank, capacity)


@transaction.atomic
def assign(*, actor: User | None, intake: Intake, at: dt.datetime | None = None) -> dict[str, int]:
    """Place every verified applicant (deferred acceptance over the preferences and priorities
    above), set-based: a city's 300,000 applicants are placed in one run."""
    intake = Intake.objects.select_for_update().get(pk=intake.pk)
    if actor is not None and not can_manage(actor, intake):
        raise PermissionDenied(_("The assignment is run by the department head or a leader."))
    if intake.lottery_id is None:
        raise ValidationFailed(_("Run the lottery first: it breaks the ties of the assignment."))
    if intake.state != IntakeState.PUBLISHED:
        raise Conflict(_("This intake has been assigned already."))
    now = _now(at)
    app_ids, school_ids, arrays = build_instance(intake)
    result = deferred_acceptance(arrays)
    private = set(School.objects.filter(pk__in=school_ids, is_private=True).values_list("pk", flat=True))
    verified = Application.objects.filter(intake=intake, case__state="verified")
    zone_of_app = dict(verified.values_list("pk", "zone_id"))
    case_of = dict(verified.values_list("pk", "case_id"))
    zone_schools = {z.pk: {s.pk for s in z.schools.all()} for z in intake.zones.prefetch_related("schools")}
    placed_rows: list[tuple[int, str, int]] = []
    for pk, col in zip(app_ids, result.school.tolist(), strict=True):
        if col < 0:
            continue
        sid = school_ids[col]
        how = "private" if sid in private else ("zone" if sid in zone_schools.get(zone_of_app[pk], set()) else "second")
        placed_rows.append((sid, how, pk))
    _set_columns([("school_id", "bigint"), ("placed_by", "text")], placed_rows)
    placed = {pk for _s, _h, pk in placed_rows}
    engine.case_bulk_transition(actor=actor, kind=ENROLLMENT.kind, transition="place", at=now,
                                case_ids=[case_of[p] for p in app_ids if p in placed])
    engine.case_bulk_transition(actor=actor, kind=ENROLLMENT.kind, transition="leave_unplaced", at=now,
                                case_ids=[case_of[p] for p in app_ids if p not in placed])
    intake.state = IntakeState.ASSIGNED
    intake.save(update_fields=["state"])
    digest = hashlib.sha256("\n".join(f"{pk}:{sid}" for sid, _h, pk in placed_rows).encode()).hexdigest()
    stats = {"applicants": len(app_ids), "placed": len(placed_rows), "proposals": result.proposals,
             "rounds": result.rounds}
    record(actor=actor, action="enrollment.assign", target=intake, organisation=intake.organisation, at=now,
           after={**stats, "result_sha256": digest, "lottery": intake.lottery.draw_id if intake.lottery else None})
    return stats


@transaction.atomic
def publish_results(*, actor: User | None, intake: Intake, at: dt.datetime | None = None, notify: bool = True) -> int:
    """Publish the results (公示) and tell every parent by SMS (`notify=False` only for an intake
    taken over from the city platform, whose parents were told there)."""
    intake = Intake.objects.select_for_update().get(pk=intake.pk)
    if actor is not None and not can_manage(actor, intake):
        raise PermissionDenied(_("Results are published by the department head or a leader."))
    if intake.state != IntakeState.ASSIGNED:
        raise Conflict(_("Results are published once, after the assignment."))
    now = _now(at)
    intake.state, intake.results_published_at = IntakeState.RESULTS, now
    intake.save(update_fields=["state", "results_published_at"])
    n = Application.objects.filter(intake=intake, case__isnull=False, submitted_at__isnull=False).count()
    record(actor=actor, action="enrollment.publish_results", target=intake, organisation=intake.organisation, at=now,
           after={"applications": n})
    rows = list(Application.objects.filter(intake=intake, case__state__in=("placed", "unplaced"))
                .select_related("school").only("guardian_phone", "school__name", "query_code")) if notify else []
    texts = [(a, _("[%(org)s] Enrollment result: %(school)s. Please accept it or appeal within %(d)d days.")
              % {"org": intake.organisation.name, "school": a.school.name if a.school else _("not placed yet"),
                 "d": intake.appeal_days}) for a in rows]
    Notice.objects.bulk_create([Notice(application=a, at=now, text=t) for a, t in texts], batch_size=5000)

    def send_all() -> None:
        for a, text in texts:
            send_sms(a.guardian_phone, text)
    if notify:
        transaction.on_commit(send_all)
    return n


def appeal_window_ends(intake: Intake) -> dt.date | None:
    """The last day to accept or appeal: the published number of days after the results, by the
    legal calendar (a window ending on a holiday runs to the next working day)."""
    published = intake.results_published_at
    if published is None:
        return None
    return get_calendar().add_natural_days(timezone.localdate(published), intake.appeal_days).date


def appeal_window_open(app: Application, now: dt.datetime) -> bool:
    last = appeal_window_ends(app.intake)
    return last is not None and timezone.localdate(now) <= last


@transaction.atomic
def accept_place(*, actor: User, application: Application, at: dt.datetime | None = None) -> Application:
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
def appeal(*, actor: User, application: Application, reason: str, at: dt.datetime | None = None) -> Any:
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
def rate(*, actor: User, application: Application, level: object, at: dt.datetime | None = None) -> Application:
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




@transaction.atomic
def close_intake(*, actor: User | None, intake: Intake, at: dt.datetime | None = None) -> int:
    """After the window to accept or appeal: every placement still open is closed with the intake
    (a place not accepted within the window stands, as the published policy says)."""
    intake = Intake.objects.select_for_update().get(pk=intake.pk)
    if actor is not None and not can_manage(actor, intake):
        raise PermissionDenied(_("An intake is closed by the department head or a leader."))
    if intake.state != IntakeState.RESULTS:
        raise Conflict(_("An intake is closed after its results are published."))
    now = _now(at)
    last = appeal_window_ends(intake)
    if not at and last is not None and timezone.localdate(now) <= last:
        raise ValidationFailed(_("Parents can still accept or appeal; close the intake after the window."))
    ids = list(Application.objects.filter(intake=intake, case__state__in=("placed", "unplaced"))
               .values_list("case_id", flat=True))
    n = engine.case_bulk_transition(actor=actor, kind=ENROLLMENT.kind, transition="close", case_ids=ids, at=now)
    intake.state = IntakeState.CLOSED
    intake.save(update_fields=["state"])
    record(actor=actor, action="enrollment.close", target=intake, organisation=intake.organisation, at=now,
           after={"closed": n})
    return n


@dataclass
class Imported:
    """One application taken over from the city's 入学一件事 platform, already reviewed there."""

    form: Form
    submitted_at: dt.datetime
    satisfaction: int | None = None
    rated_at: dt.datetime | None = None


@transaction.atomic
def import_applications(*, actor: User | None, intake: Intake, rows: Sequence[Imported],
                        at: dt.datetime | None = None) -> int:
    """Take over applications collected and reviewed on the city platform (the same checks as a
    submission, set-based: an intake's tens of thousands arrive in one file). Each becomes an
    application with its case in “verified”; one ledger entry per batch commits to them all.
    A file with any bad row imports nothing and names the rows."""
    if actor is not None and not can_manage(actor, intake):
        raise PermissionDenied(_("Applications are imported by the department head or a leader."))
    now = _now(at)
    problems: list[str] = []
    checked: list[tuple[Imported, dict[str, Any]]] = []
    seen: set[str] = set()
    for line, row in enumerate(rows, start=1):
        try:
            data = _check(intake, row.form, timezone.localdate(row.submitted_at), complete=True)
        except ValidationFailed as exc:
            problems.append(_("row %(n)d: %(why)s") % {"n": line, "why": exc.message})
            continue
        key = child_index(data["child_id_number"])
        if key in seen:
            problems.append(_("row %(n)d: the same child twice") % {"n": line})
            continue
        seen.add(key)
        checked.append((row, data))
        if len(problems) > 20:
            break
    taken = set(Application.objects.filter(intake=intake, child_index__in=seen).values_list("child_index", flat=True))
    if taken:
        problems.append(_("%(n)d children have an application in this intake already") % {"n": len(taken)})
    if problems:
        raise ValidationFailed(_("Nothing was imported. Please fix: %(p)s") % {"p": "；".join(problems[:20])})
    cases = engine.case_bulk_open(
        actor=actor, kind=ENROLLMENT.kind, organisation=intake.organisation, department=intake.department,
        state="verified", at=now, note=_("Taken over from the city enrollment platform"),
        rows=[{"title": _("Enrollment %(year)d: %(name)s") % {"year": intake.year, "name": mask_name(d["child_name"])},
               "contact_name": d["guardian_name"], "contact_phone": d["guardian_phone"], "opened_at": r.submitted_at}
              for r, d in checked])
    apps = []
    for (row, data), case in zip(checked, cases, strict=True):
        app = Application(intake=intake, case=case, query_code=querycodes.new(), consent_at=row.submitted_at,
                          submitted_at=row.submitted_at, satisfaction=row.satisfaction, rated_at=row.rated_at,
                          child_index=child_index(data["child_id_number"]), **data)
        apps.append(app)
    Application.objects.bulk_create(apps, batch_size=2000)
    rated = [[a.case_id, a.satisfaction] for a in apps if a.satisfaction]
    record(actor=actor, action="enrollment.import", target=intake, organisation=intake.organisation, at=now,
           after={"applications": len(apps), "rated": len(rated)})
    for start in range(0, len(rated), engine.BULK_BATCH):  # each answer taken over, for the domain replay
        record(actor=actor, action="enrollment.import_ratings", target=intake, organisation=intake.organisation,
               at=now, after={"ratings": rated[start:start + engine.BULK_BATCH]})
    return len(apps)


def track(code: str, child_id_number: str) -> Application | None:
    """The application a query code and the child's identity number open together (no account,
    no SMS needed); None when they do not match, without saying which part was wrong."""
    app = Application.objects.filter(query_code=querycodes.canonical(code), submitted_at__isnull=False).select_related(
        "case", "intake", "school").first()
    number = (child_id_number or "").strip().upper()
    if app is None or not number or app.child_index != child_index(number):
        return None
    return app


QUESTIONS = ("q_household", "q_home", "q_permit")


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


# -- offline checks (线下核验) -----------------------------------------------------------------------

@transaction.atomic
def add_slot(*, actor: User, intake: Intake, day: dt.date, time: str, place: str, capacity: int) -> Slot:
    if not can_manage(actor, intake):
        raise PermissionDenied(_("Times for offline checks are set by the department head or a leader."))
    if day <= timezone.localdate():
        raise ValidationFailed(_("Offer times from tomorrow on."), field="day")
    if not (time or "").strip() or not (place or "").strip():
        raise ValidationFailed(_("Please give the time and the place."), field="time")
    if not 1 <= capacity <= 500:
        raise ValidationFailed(_("Between 1 and 500 parents per time."), field="capacity")
    slot = Slot.objects.create(intake=intake, day=day, time=time.strip()[:20], place=place.strip()[:120],
                               capacity=capacity)
    record(actor=actor, action="enrollment.slot_add", target=intake, organisation=intake.organisation,
           after={"day": day, "time": slot.time, "place": slot.place, "capacity": capacity})
    return slot


@transaction.atomic
def move_offline(*, actor: User, application: Application, reason: str, expected_version: int | None = None,
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
def book(*, actor: User, application: Application, slot: Slot, at: dt.datetime | None = None) -> Appointment:
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
def offline_result(*, actor: User, application: Application, passed: bool, reasons: Sequence[str] = (),
                   at: dt.datetime | None = None) -> Application:
    """The outcome of the check in person: in order (on to the second review) or returned with reasons."""
    app = _locked(application)
    assert app.case is not None
    if passed:
        engine.case_transition(actor=actor, case=app.case, transition="offline_pass", at=at)
        _tell(app, _("[%(org)s] %(ref)s: checked in person, in order.") % {
            "org": app.intake.organisation.name, "ref": app.case.reference}, at=at)
        return app
    return review(actor=actor, application=app, passed=False, reasons=reasons, at=at)


@transaction.atomic
def import_student_records(*, actor: User | None, bureau: Any, data: bytes) -> int:
    """Import the student-record list (XLSX: identity number, school, grade); known children are
    updated. A file with a bad row imports nothing and names the rows."""
    from edugov.kernel.xlsx import Column, read_rows

    if actor is not None and not can_read_within(actor, bureau, {Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF}):
        raise PermissionDenied(_("Student records are imported by the basic education staff."))
    rows = read_rows(data, [Column("id_number", _("Identity number"), required=True, aliases=("身份证号码", "证件号码")),
                            Column("school", _("School"), required=True), Column("grade", _("Grade"), required=True)])
    problems, parsed = [], []
    for line, row in rows:
        try:
            number = validate_identity_number(str(row.get("id_number") or ""))
        except ValidationFailed as exc:
            problems.append(_("line %(n)d: %(why)s") % {"n": line, "why": exc.message})
            continue
        parsed.append((child_index(number), str(row.get("school") or "").strip()[:120],
                       str(row.get("grade") or "").strip()[:20]))
    if problems:
        raise ValidationFailed(_("Nothing was imported. Please fix: %(p)s") % {"p": "；".join(problems[:20])})
    now = timezone.now()
    for key, school, grade in parsed:
        StudentRecord.objects.update_or_create(organisation=bureau, child_index=key,
                                               defaults={"school_name": school, "grade": grade, "imported_at": now})
    record(actor=actor, action="enrollment.student_records_import", target=bureau, organisation=bureau, at=now,
           after={"records": len(parsed)})
    return len(parsed)


@transaction.atomic
def special_request(*, actor: User, intake: Intake, kind: str, child_name: str, child_id_number: str, reason: str,
                    uploads: Sequence[UploadedFile], at: dt.datetime | None = None) -> SpecialRequest:
    """A deferral (缓学, with a hospital's diagnosis) or a disability placement (with the
    disability certificate or an assessment), each its own case for the bureau to decide."""
    if kind not in SpecialKind.values:
        raise ValidationFailed(_("Please choose what you request."), field="kind")
    now = _now(at)
    intake = Intake.objects.select_related("organisation").get(pk=intake.pk)
    if intake.state != IntakeState.PUBLISHED or now > intake.closes_at:
        raise ValidationFailed(_("Requests are made while applications are open."))
    data = _check(intake, Form(child_id_number=child_id_number), timezone.localdate(now), complete=False)
    if not (child_name or "").strip():
        raise ValidationFailed(_("Please give %(what)s.") % {"what": _("the child's name")}, field="child_name")
    if not (reason or "").strip():
        raise ValidationFailed(_("Please describe the child's situation."), field="reason")
    if not uploads:
        raise ValidationFailed(_("Please upload the hospital's diagnosis.") if kind == SpecialKind.DEFERRAL else
                               _("Please upload the disability certificate or an assessment report."),
                               field="documents")
    if SpecialRequest.objects.filter(intake=intake, kind=kind, child_index=child_index(data["child_id_number"])).exists():
        raise Conflict(_("This request has been made for this child already."))
    wf = DEFERRAL if kind == SpecialKind.DEFERRAL else PLACEMENT
    case = engine.case_open(actor=actor, kind=wf.kind, organisation=intake.organisation, department=intake.department,
                            public=True, applicant=actor, contact_phone=actor.phone, at=now,
                            title=f"{SpecialKind(kind).label}：{mask_name(child_name.strip())}", note=reason.strip()[:1000])
    req = SpecialRequest.objects.create(intake=intake, kind=kind, case=case, account=actor, child_name=child_name.strip(),
                                        child_id_number=data["child_id_number"], reason=reason.strip())
    for upload in uploads:
        engine.case_attach(actor=actor, case=case, upload=upload, at=now, check_access=False)
    return req


@transaction.atomic
def special_decide(*, actor: User, request: SpecialRequest, transition: str, data: Mapping[str, Any],
                   expected_version: int | None = None, at: dt.datetime | None = None) -> SpecialRequest:
    """A step of a special request (through the engine); a placement decision records the placement."""
    req = SpecialRequest.objects.select_for_update(of=("self",)).select_related("case").get(pk=request.pk)
    engine.case_transition(actor=actor, case=req.case, transition=transition, data=data,
                           expected_version=expected_version, at=at)
    if transition == "decide":
        value = str(data.get("placement", "")).strip()
        req.placement = PLACEMENTS.get(value, value)
        req.save(update_fields=["placement"])
    if actor is not None and req.account.phone:
        text = _("[%(org)s] %(ref)s: %(state)s. %(d)s") % {
            "org": req.intake.organisation.name, "ref": req.case.reference,
            "state": req.case.workflow.state_label(req.case.state),
            "d": str(data.get("decision", "") or data.get("assessment", ""))[:120]}
        phone = req.account.phone
        transaction.on_commit(lambda: send_sms(phone, text))
    return req


# ---- the progress of a long step (lottery, assignment, results) run by a worker -------------
# The job field is the page's progress display; the step's acts are recorded by their own
# actions (run_lottery, assign, publish_results), so these two leave no entry of their own.

@transaction.atomic
def job_begin(*, actor: User, intake: Intake, step: str) -> None:
    """Mark a step as started, refusing a second while one runs."""
    locked = Intake.objects.select_for_update().get(pk=intake.pk)
    if locked.job and not locked.job.get("finished"):
        raise Conflict(_("“%(step)s” is running since %(at)s; please wait for it to finish.")
                       % {"step": locked.job.get("step"), "at": locked.job.get("started", "")[11:16]})
    locked.job = {"step": step, "by": actor.pk, "started": timezone.localtime().isoformat(timespec="seconds")}
    locked.save(update_fields=["job"])


def job_end(*, intake: Intake, job: dict[str, Any]) -> None:
    Intake.objects.filter(pk=intake.pk).update(job=job)
