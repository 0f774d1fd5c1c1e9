"""Writes of an intake (招生): publication and policy changes, the lottery, the assignment, results, appeals' close, imports, offline-check times, long jobs."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import User
from edugov.audit.ledger import record
from edugov.cases import actions as engine
from edugov.draws.actions import draw_commit, draw_reveal
from edugov.draws.models import Draw, DrawState
from edugov.kernel import querycodes
from edugov.kernel.errors import Conflict, PermissionDenied, ValidationFailed
from edugov.kernel.masking import mask_name
from edugov.notifications.actions import messages_queue_texts
from edugov.registries.models import School

from .. import letters
from ..engine import deferred_acceptance
from ..models import (
    Application,
    Intake,
    IntakeState,
    Notice,
    PolicyChange,
    Slot,
    child_index,
)
from ..permissions import can_manage
from ..selectors import appeal_window_ends, build_instance
from ..workflow import ENROLLMENT
from ._common import CHANGEABLE, Imported, _now
from .applications import _check, _set_columns


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


@transaction.atomic
def intake_policy_change(*, actor: User, intake: Intake, field: str, value: Any, reason: str,
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


def _reference(app: Application) -> str:
    """A submitted application's case reference (every submitted application has its case)."""
    assert app.case is not None
    return app.case.reference


@transaction.atomic
def intake_lottery_commit(*, actor: User | None, intake: Intake, at: dt.datetime | None = None) -> Any:
    """The lottery, step 1: once every review is done, freeze the verified applications and publish
    the commitment of the draw over them. The draw itself (`intake_lottery`) comes later, with a
    public value announced after this moment, so the commitment visibly precedes it."""
    intake = Intake.objects.select_for_update().get(pk=intake.pk)
    if actor is not None and not can_manage(actor, intake):
        raise PermissionDenied(_("The lottery is run by the department head or a leader."))
    if intake.lottery_id is not None:
        raise Conflict(_("The commitment of this intake's lottery is published already; it is never made twice."))
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
    intake.lottery = draw
    intake.save(update_fields=["lottery"])
    return draw


@transaction.atomic
def intake_lottery(*, actor: User | None, intake: Intake, public_value: str = "", at: dt.datetime | None = None) -> Any:
    """The lottery, step 2: the draw committed to, over the applications frozen then: an
    applicant's lottery number is their 1-based place in its order (INTERFACES.md). It breaks ties
    within a category at public schools and orders the applicants of an oversubscribed private school."""
    intake = Intake.objects.select_for_update().get(pk=intake.pk)
    if actor is not None and not can_manage(actor, intake):
        raise PermissionDenied(_("The lottery is run by the department head or a leader."))
    committed = Draw.objects.filter(pk=intake.lottery_id).first() if intake.lottery_id is not None else None
    if committed is None:
        raise ValidationFailed(_("Publish the lottery's commitment first: the draw is made after it, never in the "
                                 "same step."))
    if committed.state == DrawState.DRAWN:
        raise Conflict(_("The lottery of this intake has been drawn already; it cannot be drawn again."))
    now = _now(at)
    draw = draw_reveal(actor=actor, draw=committed, public_value=public_value, at=now)
    number = {ref: i + 1 for i, ref in enumerate(draw.order or [])}
    # the intake's applications read once and matched to the order here: an IN list of a city's
    # 300,000 references would be one enormous query (and past SQLite's variable limit)
    apps = Application.objects.filter(intake=intake, case__isnull=False).values_list("pk", "case__reference")
    _set_columns([("lottery_number", "integer")], [(number[ref], pk) for pk, ref in apps.iterator(5000)
                                                   if ref in number])
    return draw


@transaction.atomic
def intake_assign(*, actor: User | None, intake: Intake, at: dt.datetime | None = None) -> dict[str, int]:
    """Place every verified applicant (deferred acceptance over the preferences and priorities
    above), set-based: a city's 300,000 applicants are placed in one run."""
    intake = Intake.objects.select_for_update().get(pk=intake.pk)
    if actor is not None and not can_manage(actor, intake):
        raise PermissionDenied(_("The assignment is run by the department head or a leader."))
    if intake.lottery_id is None or not Draw.objects.filter(pk=intake.lottery_id, state=DrawState.DRAWN).exists():
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
def intake_publish_results(*, actor: User | None, intake: Intake, at: dt.datetime | None = None, notify: bool = True) -> int:
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
    letters.issue_results(intake, actor=actor, at=now)
    rows = list(Application.objects.filter(intake=intake, case__state__in=("placed", "unplaced"))
                .select_related("school").only("guardian_phone", "school__name", "query_code")) if notify else []
    texts = [(a, _("[%(org)s] Enrollment result: %(school)s. Please accept it or appeal within %(d)d days.")
              % {"org": intake.organisation.name, "school": a.school.name if a.school else _("not placed yet"),
                 "d": intake.appeal_days}) for a in rows]
    Notice.objects.bulk_create([Notice(application=a, at=now, text=t) for a, t in texts], batch_size=5000)
    # The SMS go through the outbox, written in this transaction: a worker killed while sending
    # them (300,000 at a city's size) leaves the rest to the next run and sends none twice.
    messages_queue_texts(texts=[(f"enrollment-result-{intake.pk}:{a.pk}", a.guardian_phone, t) for a, t in texts],
                         what=f"enrollment-result-{intake.pk}", at=now)
    return n


@transaction.atomic
def intake_close(*, actor: User | None, intake: Intake, at: dt.datetime | None = None) -> int:
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


@transaction.atomic
def intake_import_applications(*, actor: User | None, intake: Intake, rows: Sequence[Imported],
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


@transaction.atomic
def slot_add(*, actor: User, intake: Intake, day: dt.date, time: str, place: str, capacity: int) -> Slot:
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
def intake_job_begin(*, actor: User, intake: Intake, step: str) -> None:
    """Mark a step as started, refusing a second while one runs."""
    locked = Intake.objects.select_for_update().get(pk=intake.pk)
    if locked.job and not locked.job.get("finished"):
        raise Conflict(_("“%(step)s” is running since %(at)s; please wait for it to finish.")
                       % {"step": locked.job.get("step"), "at": locked.job.get("started", "")[11:16]})
    locked.job = {"step": step, "by": actor.pk, "started": timezone.localtime().isoformat(timespec="seconds")}
    locked.save(update_fields=["job"])


def intake_job_end(*, intake: Intake, job: dict[str, Any]) -> None:
    Intake.objects.filter(pk=intake.pk).update(job=job)
