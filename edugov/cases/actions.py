"""The case engine: the one place that opens cases and moves them between states.

Every function here runs in one transaction: it locks the case row, checks the actor's access
and the version the actor saw, changes the case and its clocks, writes the timeline event and
appends the ledger entry. Two clerks acting on one case at once get one success and one
`Conflict` whose message says what happened."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation, Role, User
from edugov.accounts.permissions import can_read_within, has_role_over
from edugov.accounts.selectors import local_rules_of
from edugov.audit.ledger import record
from edugov.kernel import ledger_port, numbering, rules
from edugov.kernel.calendar import LegalCalendar, get_calendar
from edugov.kernel.errors import Conflict, PermissionDenied, StorageFailed, ValidationFailed
from edugov.kernel.locking import lock_version
from edugov.notifications.actions import message_queue

from . import clocks
from .attachments import as_content_file, check_upload
from .models import (
    Attachment,
    Case,
    CaseClock,
    CaseEvent,
    CasePart,
    ContactChannel,
    ContactLog,
    Duty,
    EventKind,
    Recusal,
    Reminder,
)
from .permissions import (
    ASSIGNERS,
    OVERSIGHT,
    can_act_on_case,
    can_answer_part,
    can_assign_case,
    can_claim_case,
    can_comment_on_case,
    can_open_case,
    recused_from,
    recused_unit,
)
from .workflow import ClockSpec, Workflow, get_workflow

# What this module's ledger entries record (the ledger refuses any other field).
ledger_port.declare("cases", ("query",))  # an export of the case list: the search it was made with
ledger_port.declare("reminder", ("clock", "kind", "recipient", "due_on"))


def _now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def _today(at: dt.datetime) -> dt.date:
    return timezone.localdate(at)


# Sequences this process has seen committed (a sequence is never dropped), to skip re-creating them;
# keyed by the database, not only the alias: the database behind an alias can change (a restore
# into a new database, the tests' copies of the demo district).
def _next_number(kind: str, organisation: Organisation, year: int) -> int:
    """The next case number for (kind, organisation, year): kernel.numbering's sequence, which never
    blocks an intake on the one before it (a rolled-back case leaves a gap)."""
    return _reserve_numbers(kind, organisation, year, 1)[0]


def _next_reference(wf: Workflow, organisation: Organisation, year: int) -> tuple[int, str]:
    number = _next_number(wf.kind, organisation, year)
    prefix = (organisation.case_prefix or organisation.code) + wf.reference_suffix
    return number, wf.reference_format.format(prefix=prefix, year=year, number=number)


@transaction.atomic
def case_open(*, actor: User | None, kind: str, organisation: Organisation, title: str,
              department: Organisation | None = None, assignee: User | None = None,
              applicant: User | None = None, contact_name: str = "", contact_phone: str = "",
              priority: int = 0, at: dt.datetime | None = None, public: bool = False,
              calendar: LegalCalendar | None = None, note: str = "",
              amounts: Mapping[str, int | dt.date] | None = None, clocks_from: dt.date | None = None) -> Case:
    """Open a case of `kind` in its workflow's initial state and start its opening clocks.

    `amounts` overrides clock lengths by clock name, for limits that differ per case (a service
    item's statutory and promised time limits).

    `clocks_from` is the day of the event the clocks run from, when it came before the case was
    registered (a letter received on Friday, entered on Monday); never after the act.

    `actor=None` with `public=True` is an anonymous citizen filing through the portal; otherwise
    the actor needs one of the workflow's `open_roles` at the organisation."""
    wf = get_workflow(kind)
    if not public and (actor is None or actor.is_public) and wf.open_roles:
        raise PermissionDenied(_("You may not open this kind of case."))
    if not public and actor is not None and not actor.is_public and wf.open_roles \
            and not can_open_case(actor, department or organisation, wf.open_roles):
        raise PermissionDenied(_("You may not open this kind of case here."))
    if not title.strip():
        raise ValidationFailed(_("Please give the case a title."), field="title")
    if department is not None and not department.path.startswith(organisation.path):
        raise ValidationFailed(_("The handling unit must belong to the case's organisation."), field="department")
    now = _now(at)
    cal = calendar or get_calendar()
    number, reference = _next_reference(wf, organisation, _today(now).year)
    local = local_rules_of(organisation) if _any_local(wf.open_clocks) else {}
    start_day = _clocks_from(clocks_from, _today(now))
    open_specs = [_sized(spec, amounts, start_day, local) for spec in wf.open_clocks]
    first_due = min((cal.deadline(start_day, spec.amount, spec.unit).date for spec in open_specs if not spec.party),
                    default=None)
    case = Case.objects.create(
        kind=kind, reference=reference, year=_today(now).year, number=number, title=title.strip()[:200],
        state=wf.initial, is_open=wf.initial not in wf.terminal, organisation=organisation, department=department,
        assignee=assignee, applicant=applicant, priority=priority, opened_at=now, next_due_on=first_due,
        contact_name=contact_name, contact_phone=contact_phone,
    )
    for spec in open_specs:
        clocks.start(case, spec, start_day, cal)
    CaseEvent.objects.create(case=case, at=now, actor=actor, kind=EventKind.OPENED, to_state=wf.initial,
                             text=note, public=True)
    record(actor=actor, action=f"{kind}.open", target=case, organisation=organisation, at=now,
           after={"reference": reference, "state": wf.initial, "title": case.title,
                  "department": department.code if department else None,
                  "contact_phone": contact_phone or None})
    return case


def _lock(case: Case, expected_version: int | None) -> Case:
    return lock_version(case, expected_version, lambda fresh: _(
        "Someone else has just acted on case %(ref)s (it is now “%(state)s”). Nothing you entered was saved; "
        "please reload the page and try again.") % {"ref": fresh.reference, "state": fresh.state_label},
        related=("organisation", "department"))


@transaction.atomic
def case_transition(*, actor: User | None, case: Case, transition: str, data: Mapping[str, Any] | None = None,
                    expected_version: int | None = None, at: dt.datetime | None = None,
                    calendar: LegalCalendar | None = None, system: bool = False,
                    amounts: Mapping[str, int | dt.date] | None = None, clocks_from: dt.date | None = None) -> Case:
    """Perform one declared transition. The only writer of `Case.state`.

    `amounts` sizes the clocks the transition starts, by name, where the limit differs per case.

    `system=True` is for the engine's own scheduled acts (no person), never for a request."""
    data = dict(data or {})
    locked = _lock(case, expected_version)
    wf = get_workflow(locked.kind)
    t = wf.transition(transition)
    if t is None:
        raise ValidationFailed(_("“%(name)s” is not a step of this kind of case.") % {"name": transition})
    if locked.state not in t.source:
        raise Conflict(_("Case %(ref)s is “%(state)s”; “%(step)s” cannot be done from there. "
                         "Please reload the page.") % {"ref": locked.reference, "state": locked.state_label,
                                                       "step": t.label})
    if not system and not can_act_on_case(actor, locked, t.roles, t.assignee_may):
        raise PermissionDenied(_("You may not do “%(step)s” on this case.") % {"step": t.label})
    if t.decides and (recusal := recused_from(actor, locked)) is not None:
        raise PermissionDenied(_("%(unit)s is recused from this matter (%(why)s): it may supply facts but may not "
                                 "answer or close it. The supervision office or the unit above does.")
                               % {"unit": recusal.organisation.name, "why": recusal.reason})
    missing = [k for k in t.required if not str(data.get(k) or "").strip()]
    if missing:
        names = "、".join(str(t.field_labels.get(k, k)) for k in missing)
        raise ValidationFailed(_("Please fill in: %(fields)s.") % {"fields": names}, field=missing[0])
    now = _now(at)
    today = _today(now)
    if t.guard is not None:
        problem = t.guard(locked, data, today)
        if problem:
            raise ValidationFailed(str(problem))
    cal = calendar or get_calendar()
    by_name = {c.name: c for c in locked.clocks.all()}
    for name in t.stop_clocks:
        if name in by_name:
            clocks.stop(by_name[name], today)
    for name in t.pause_clocks:
        if name in by_name:
            clocks.pause(by_name[name], today)
    for name in t.resume_clocks:
        if name in by_name:
            clocks.resume(by_name[name], today, cal)
    local = local_rules_of(locked.organisation) if _any_local(t.start_clocks) else {}
    start_day = _clocks_from(clocks_from, today)
    for spec in t.start_clocks:
        by_name[spec.name] = clocks.start(locked, _sized(spec, amounts, start_day, local), start_day, cal,
                                          existing=by_name.get(spec.name))
    before = locked.state
    locked.state = t.target
    locked.is_open = t.target not in wf.terminal
    locked.closed_at = None if locked.is_open else now
    if not locked.is_open:
        for clock in by_name.values():
            clocks.stop(clock, today)
    locked.next_due_on = clocks.next_due(list(by_name.values()), kind=locked.kind) if locked.is_open else None
    locked.version += 1
    locked.save(update_fields=["state", "is_open", "closed_at", "next_due_on", "version"])
    note = str(data.pop("note", "") or "")
    CaseEvent.objects.create(case=locked, at=now, actor=actor, kind=EventKind.TRANSITION, transition=t.name,
                             from_state=before, to_state=t.target, text=note, data=_jsonable(data), public=True)
    record(actor=actor, action=f"{locked.kind}.{t.name}", target=locked, organisation=locked.organisation, at=now,
           before={"state": before}, after={"state": t.target, **_jsonable(data)}, note=note)
    if t.effect is not None:
        t.effect(locked, actor, now, {**data, "note": note})
    return locked


def _clocks_from(day: dt.date | None, today: dt.date) -> dt.date:
    """The day the clocks run from: the act's, or an earlier event's (never a later one)."""
    if day is None:
        return today
    if day > today:
        raise ValidationFailed(_("A time limit cannot run from a day after the act (%(day)s).")
                               % {"day": day.isoformat()})
    return day


def _any_local(specs: Sequence[ClockSpec]) -> bool:
    """Whether a district may size any of these clocks (a local rule): only then are its settings read."""
    return any(spec.rule and rules.get(spec.rule).local for spec in specs)


def _sized(spec: ClockSpec, amounts: Mapping[str, int | dt.date] | None, today: dt.date,
           local: Mapping[str, int] | None = None) -> ClockSpec:
    """The spec with this case's own length, when one is given (0 would be a limit already passed):
    a count in the spec's unit, or the date the period ends on (a rule counted from another event,
    such as the reported year's end), kept as the natural days to it. Without one, a local rule
    takes the count the case's district set for it (`local`, its legal settings)."""
    if not amounts or spec.name not in amounts:
        if spec.rule and local and spec.rule in local:
            return dataclasses.replace(spec, amount=rules.get(spec.rule, local=local).calendar_count)
        return spec
    value = amounts[spec.name]
    if isinstance(value, dt.date):  # a day already passed: due today (no later than it is)
        return dataclasses.replace(spec, amount=max(0, (value - today).days), unit="natural")
    return dataclasses.replace(spec, amount=max(1, int(value)))


def _jsonable(data: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v if isinstance(v, str | int | float | bool | type(None) | list | dict) else str(v)
            for k, v in data.items()}


@transaction.atomic
def case_assign(*, actor: User, case: Case, department: Organisation | None, assignee: User | None,
                reason: str = "", expected_version: int | None = None, at: dt.datetime | None = None,
                system: bool = False) -> Case:
    """Route a case to a unit and/or a handler, without changing its state (派单/改派).

    `system=True` when a domain step already authorised the move (e.g. a send-back returns the
    case to the office that routed it)."""
    locked = _lock(case, expected_version)
    if not system and not can_assign_case(actor, locked):
        raise PermissionDenied(_("You may not route or assign this case."))
    if department is not None and not department.path.startswith(locked.organisation.path) \
            and (system or not has_role_over(actor, department, ASSIGNERS | {Role.DEPARTMENT_STAFF})):
        raise ValidationFailed(_("That unit is outside this case's organisation."))
    unit = department or locked.department or locked.organisation
    if department is not None and (recusal := recused_unit(locked, department)) is not None:
        raise ValidationFailed(_("%(unit)s is recused from this matter (%(why)s): it may supply facts but may not "
                                 "handle it. Give it to the supervision office or the unit above.")
                               % {"unit": recusal.organisation.name, "why": recusal.reason}, field="department")
    if assignee is not None and (recusal := recused_from(assignee, locked)) is not None:
        raise ValidationFailed(_("%(name)s works in %(unit)s, which is recused from this matter (%(why)s).")
                               % {"name": assignee, "unit": recusal.organisation.name, "why": recusal.reason},
                               field="assignee")
    if assignee is not None and not has_role_over(assignee, unit, set(Role.values) - {Role.LEGAL_VP}):
        raise ValidationFailed(_("%(name)s does not work in %(unit)s.") % {"name": assignee, "unit": unit},
                               field="assignee")
    return _route(locked, actor, department, assignee, reason, _now(at), "assign")


def _route(locked: Case, actor: User | None, department: Organisation | None, assignee: User | None, reason: str,
           now: dt.datetime, action: str) -> Case:
    before = {"department": locked.department.code if locked.department else None,
              "assignee": locked.assignee.username if locked.assignee else None}
    locked.department = department or locked.department
    locked.assignee = assignee
    locked.version += 1
    locked.save(update_fields=["department", "assignee", "version"])
    after = {"department": locked.department.code if locked.department else None,
             "assignee": assignee.username if assignee else None}
    CaseEvent.objects.create(case=locked, at=now, actor=actor, kind=EventKind.ASSIGNED, text=reason, data=after,
                             public=True)
    record(actor=actor, action=f"{locked.kind}.{action}", target=locked, organisation=locked.organisation, at=now,
           before=before, after=after, note=reason)
    return locked


@transaction.atomic
def case_recuse(*, actor: User | None, case: Case, organisation: Organisation, reason: str,
                at: dt.datetime | None = None) -> Recusal:
    """回避: `organisation` is the subject of the matter (the school complained of, a department
    about its own staff). From now on it may supply facts (contacts, comments, files) but neither
    be given the case nor answer or close it. `actor=None` when the act that opened the case
    already says so (a complaint naming a school)."""
    locked = _lock(case, None)
    if actor is not None and not can_assign_case(actor, locked):
        raise PermissionDenied(_("You may not record a recusal on this case."))
    if not organisation.path.startswith(locked.organisation.path):
        raise ValidationFailed(_("That unit is outside this case's organisation."), field="organisation")
    reason = (reason or "").strip()[:200]
    if not reason:
        raise ValidationFailed(_("Please say why the unit is recused."), field="reason")
    now = _now(at)
    recusal, created = Recusal.objects.get_or_create(case=locked, organisation=organisation,
                                                     defaults={"reason": reason, "at": now, "by": actor})
    if not created:
        return recusal
    CaseEvent.objects.create(case=locked, at=now, actor=actor, kind=EventKind.COMMENT,
                             text=_("%(unit)s is recused (%(why)s): it may supply facts, not answer or close.")
                             % {"unit": organisation.name, "why": reason}, public=False)
    record(actor=actor, action=f"{locked.kind}.recuse", target=locked, organisation=locked.organisation, at=now,
           after={"unit": organisation.code, "reason": reason})
    return recusal


@transaction.atomic
def case_claim(*, actor: User, case: Case, expected_version: int | None = None,
               at: dt.datetime | None = None) -> Case:
    """Take a case from the unit's queue (认领): staff of its unit, while nobody handles it. Two
    colleagues claiming at once: the first has it, the second is told who."""
    locked = _lock(case, expected_version)
    if not can_claim_case(actor, locked):
        raise PermissionDenied(_("Only staff of the case's unit take it from the unit's queue."))
    if locked.assignee_id == actor.pk:
        return locked
    if locked.assignee_id is not None:
        raise Conflict(_("%(name)s handles this case already; ask the unit's head to reassign it.")
                       % {"name": locked.assignee})
    return _route(locked, actor, None, actor, str(_("Taken from the unit's queue")), _now(at), "claim")


@transaction.atomic
def case_extend_clock(*, actor: User | None, case: Case, clock: str, days: int, reason: str,
                      at: dt.datetime | None = None) -> Case:
    """Extend a running time limit by `days` (of its own unit). The caller checks who may approve
    (it differs by law); the engine moves the clock and writes the timeline event and the ledger entry."""
    locked = _lock(case, None)
    running = locked.clocks.filter(name=clock, stopped_on__isnull=True).first()
    if running is None:
        raise Conflict(_("There is no running time limit to extend."))
    now = _now(at)
    clocks.extend(running, days, get_calendar())
    locked.next_due_on = clocks.next_due(list(locked.clocks.all()), kind=locked.kind)
    locked.version += 1
    locked.save(update_fields=["next_due_on", "version"])
    CaseEvent.objects.create(case=locked, at=now, actor=actor, kind=EventKind.CLOCK, text=reason, public=True,
                             data={"clock": clock, "days": days, "due_on": running.due_on.isoformat()})
    record(actor=actor, action=f"{locked.kind}.extend", target=locked, organisation=locked.organisation, at=now,
           after={"clock": clock, "days": days, "due_on": running.due_on}, note=reason)
    return locked


@transaction.atomic
def case_stop_clocks(*, actor: User | None, case: Case, clocks_: Sequence[str], reason: str,
                     at: dt.datetime | None = None) -> Case:
    """End running time limits before their day without a change of state (a party's written
    waiver of its windows). The caller checks who may and why; the engine stops the clocks and
    writes the timeline event and the ledger entry."""
    locked = _lock(case, None)
    running = [c for c in locked.clocks.all() if c.name in clocks_ and c.stopped_on is None]
    if not running:
        raise Conflict(_("There is no running time limit to end."))
    now = _now(at)
    for clock in running:
        clocks.stop(clock, _today(now))
    locked.next_due_on = clocks.next_due(list(locked.clocks.all()), kind=locked.kind)
    locked.version += 1
    locked.save(update_fields=["next_due_on", "version"])
    names = [c.name for c in running]
    CaseEvent.objects.create(case=locked, at=now, actor=actor, kind=EventKind.CLOCK, text=reason, public=True,
                             data={"stopped": names})
    record(actor=actor, action=f"{locked.kind}.stop_clocks", target=locked, organisation=locked.organisation, at=now,
           after={"stopped": names}, note=reason)
    return locked


@transaction.atomic
def case_comment(*, actor: User, case: Case, text: str, at: dt.datetime | None = None, action: str = "comment",
                 data: Mapping[str, Any] | None = None, public: bool = False) -> CaseEvent:
    """A note on the timeline. A domain act that changes no state (a disagreement, a mark) passes
    its own `action` name and `data`, so the ledger entry says what was done."""
    if not can_comment_on_case(actor, case):
        raise PermissionDenied(_("You may not comment on this case."))
    if not text.strip():
        raise ValidationFailed(_("The comment is empty."), field="text")
    now = _now(at)
    extra = _jsonable(data or {})
    event = CaseEvent.objects.create(case=case, at=now, actor=actor, kind=EventKind.COMMENT, text=text.strip(),
                                     data=extra, public=public)
    record(actor=actor, action=f"{case.kind}.{action}", target=case, organisation=case.organisation, at=now,
           after={"event": event.pk, **extra}, note=text.strip()[:500])
    return event


@transaction.atomic
def case_log_contact(*, actor: User, case: Case, channel: str, outcome: str, counterpart: str = "",
                     note: str = "", at: dt.datetime | None = None, with_party: bool = True,
                     reached: bool = True) -> ContactLog:
    """Log a phone call, meeting, SMS or letter with the people concerned (who, when, outcome):
    with the case's own party or with someone else, and whether they were reached (an attempt that
    nobody answered is logged as such)."""
    if not can_comment_on_case(actor, case):
        raise PermissionDenied(_("You may not log contacts on this case."))
    if channel not in ContactChannel.values:
        raise ValidationFailed(_("Unknown contact channel."), field="channel")
    if not outcome.strip():
        raise ValidationFailed(_("Please record the outcome of the contact."), field="outcome")
    now = _now(at)
    if now > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationFailed(_("A contact cannot be logged in the future."), field="at")
    if not with_party and not counterpart.strip():
        raise ValidationFailed(_("Say whom you contacted."), field="counterpart")
    log = ContactLog.objects.create(case=case, channel=channel, at=now, by=actor, counterpart=counterpart,
                                    outcome=outcome.strip(), note=note, with_party=with_party, reached=reached)
    attempt = "" if reached else str(_("(not reached) "))
    CaseEvent.objects.create(case=case, at=now, actor=actor, kind=EventKind.CONTACT,
                             text=f"{ContactChannel(channel).label}：{attempt}{outcome.strip()}", data={"contact": log.pk})
    record(actor=actor, action=f"{case.kind}.contact", target=case, organisation=case.organisation, at=now,
           after={"channel": channel, "outcome": outcome.strip(), "with_party": with_party, "reached": reached})
    return log


@transaction.atomic
def case_attach(*, actor: User | None, case: Case, upload: UploadedFile, public: bool = False,
                at: dt.datetime | None = None, check_access: bool = True) -> Attachment:
    """Store a checked file and record its SHA-256 in the ledger. A refused file stores nothing."""
    if check_access and not (actor is not None and (can_comment_on_case(actor, case) or case.applicant_id == actor.pk)):
        raise PermissionDenied(_("You may not add files to this case."))
    checked = check_upload(upload)
    now = _now(at)
    att = Attachment(case=case, name=checked.name, content_type=checked.content_type, size=len(checked.content),
                     sha256=checked.sha256, uploaded_by=actor, uploaded_at=now, public=public)
    # Files are written before the row: a failed write (full disk, permissions) aborts the whole
    # transaction, so no case is left pointing at a missing file. Names are content-addressed.
    try:
        att.file.save(str(as_content_file(checked).name), ContentFile(checked.content), save=False)
        if checked.thumbnail:
            att.thumbnail.save(checked.sha256[:24] + "-thumb.jpg", ContentFile(checked.thumbnail), save=False)
    except OSError as exc:  # a full disk, a permission error, an unreachable bucket: nothing is kept
        raise StorageFailed(_("The file could not be stored (%(why)s). Nothing was saved; please try again later, "
                              "and tell the system administrator if it keeps happening.")
                            % {"why": exc.strerror or exc.__class__.__name__}) from None
    att.save()
    CaseEvent.objects.create(case=case, at=now, actor=actor, kind=EventKind.ATTACHMENT, text=checked.name,
                             data={"attachment": att.pk, "sha256": checked.sha256})
    record(actor=actor, action=f"{case.kind}.attach", target=case, organisation=case.organisation, at=now,
           files=[{"name": checked.name, "sha256": checked.sha256}], after={"attachment": att.pk})
    return att


@transaction.atomic
def case_add_part(*, actor: User, case: Case, organisation: Organisation, task: str, due_on: dt.date,
                  at: dt.datetime | None = None) -> CasePart:
    """Give a part of an open case to an assisting unit (会商/联办), with its own deadline. The
    case's unit stays the lead; whoever may route the case may ask for help."""
    locked = _lock(case, None)
    allowed = {Role.DEPARTMENT_HEAD, Role.SUPERVISION_STAFF, Role.BUREAU_LEADER}
    if not (has_role_over(actor, locked.department or locked.organisation, allowed)
            or can_read_within(actor, locked.organisation, allowed & OVERSIGHT) or locked.assignee_id == actor.pk):
        raise PermissionDenied(_("You may not ask other units to assist on this case."))
    if not locked.is_open:
        raise Conflict(_("Case %(ref)s is closed; no part can be added.") % {"ref": locked.reference})
    if not organisation.path.startswith(locked.organisation.path):
        raise ValidationFailed(_("That unit is outside this case's organisation."), field="organisation")
    if organisation.pk == locked.department_id:
        raise ValidationFailed(_("%(unit)s leads this case; choose another unit to assist.")
                               % {"unit": organisation}, field="organisation")
    task = (task or "").strip()
    if not task:
        raise ValidationFailed(_("Please say what the assisting unit is asked to do."), field="task")
    now = _now(at)
    if due_on < _today(now):
        raise ValidationFailed(_("The part's deadline cannot be in the past."), field="due_on")
    if locked.parts.filter(organisation=organisation).exists():
        raise Conflict(_("%(unit)s has a part of this case already.") % {"unit": organisation})
    part = CasePart.objects.create(case=locked, organisation=organisation, task=task[:200], due_on=due_on,
                                   created_at=now)
    CaseEvent.objects.create(case=locked, at=now, actor=actor, kind=EventKind.ASSIGNED, public=True,
                             text=_("%(unit)s assists: %(task)s (by %(due)s)")
                             % {"unit": organisation.name, "task": part.task, "due": due_on.isoformat()},
                             data={"part": part.pk, "unit": organisation.code, "due_on": due_on.isoformat()})
    record(actor=actor, action=f"{locked.kind}.part_add", target=locked, organisation=locked.organisation, at=now,
           after={"unit": organisation.code, "task": part.task, "due_on": due_on})
    return part


@transaction.atomic
def case_answer_part(*, actor: User, part: CasePart, answer: str, at: dt.datetime | None = None) -> CasePart:
    """The assisting unit answers its part; a part is answered once."""
    locked = CasePart.objects.select_for_update(of=("self",)).select_related("case", "organisation").get(pk=part.pk)
    if not can_answer_part(actor, locked):
        raise PermissionDenied(_("Only %(unit)s answers this part.") % {"unit": locked.organisation})
    if locked.answered_at is not None:
        raise Conflict(_("This part was answered already."))
    answer = (answer or "").strip()
    if not answer:
        raise ValidationFailed(_("Please write the answer to the lead unit."), field="answer")
    now = _now(at)
    locked.answer, locked.answered_at, locked.answered_by = answer, now, actor
    locked.save(update_fields=["answer", "answered_at", "answered_by"])
    CaseEvent.objects.create(case=locked.case, at=now, actor=actor, kind=EventKind.COMMENT, public=True,
                             text=_("%(unit)s answered its part.") % {"unit": locked.organisation.name},
                             data={"part": locked.pk, "met": locked.met})
    record(actor=actor, action=f"{locked.case.kind}.part_answer", target=locked.case,
           organisation=locked.case.organisation, at=now,
           after={"unit": locked.organisation.code, "met": locked.met}, note=answer[:500])
    return locked


# -- many cases at once ---------------------------------------------------------------------------
# A mass event (an intake's applications imported from the city platform, an assignment that
# places 300,000 children) goes through these: the same states and timeline, set-based writes,
# one ledger entry per batch carrying the references and a SHA-256 over them. Per-case calls
# would take minutes where a parent waits for a page.

BULK_BATCH = 5000


def _reserve_numbers(kind: str, organisation: Organisation, year: int, n: int) -> list[int]:
    def floor() -> int:  # a series begun before kernel.numbering kept it
        return int(Case.objects.filter(kind=kind, organisation=organisation, year=year)
                   .aggregate(m=Max("number"))["m"] or 0)

    return numbering.reserve(f"case_{kind}", organisation, year, n, gapless=False, floor=floor)


def _batch_digest(references: list[str]) -> str:
    import hashlib

    return hashlib.sha256("\n".join(references).encode()).hexdigest()


@transaction.atomic
def case_bulk_open(*, actor: User | None, kind: str, organisation: Organisation, rows: list[Mapping[str, Any]],
                   department: Organisation | None = None, state: str | None = None,
                   at: dt.datetime | None = None, note: str = "") -> list[Case]:
    """Open many cases of one kind at once, each in `state` (the workflow's initial state by
    default; a terminal state for records taken over closed). Rows give title, contact_name,
    contact_phone and optionally opened_at, applicant and assignee. The caller has checked the actor's
    right to do this; opening clocks start only in the initial state."""
    from edugov.kernel.crypto import blind_index

    wf = get_workflow(kind)
    state = state or wf.initial
    if state not in wf.states:
        raise ValidationFailed(_("“%(s)s” is not a state of this kind of case.") % {"s": state})
    now = _now(at)
    cal = get_calendar()
    by_year: dict[int, list[int]] = {}
    for i, row in enumerate(rows):
        by_year.setdefault(_today(row.get("opened_at") or now).year, []).append(i)
    numbers: dict[int, int] = {}
    for year, idx in by_year.items():
        for i, number in zip(idx, _reserve_numbers(kind, organisation, year, len(idx)), strict=True):
            numbers[i] = number
    prefix = (organisation.case_prefix or organisation.code) + wf.reference_suffix
    terminal = state in wf.terminal
    opening = [] if state != wf.initial else list(wf.open_clocks)
    cases = []
    for i, row in enumerate(rows):
        opened = row.get("opened_at") or now
        year = _today(opened).year
        name, phone = str(row.get("contact_name") or ""), str(row.get("contact_phone") or "")
        due = min((cal.deadline(_today(opened), s.amount, s.unit).date for s in opening), default=None)
        cases.append(Case(
            kind=kind, reference=wf.reference_format.format(prefix=prefix, year=year, number=numbers[i]), year=year,
            number=numbers[i], title=str(row["title"])[:200], state=state, is_open=not terminal,
            organisation=organisation, department=department, applicant=row.get("applicant"), opened_at=opened,
            assignee=row.get("assignee"),
            closed_at=(row.get("closed_at") or now) if terminal else None, next_due_on=None if terminal else due,
            contact_name=name, contact_phone=phone,
            contact_name_index=blind_index(name, purpose="name") if name else "",
            contact_phone_index=blind_index(phone, purpose="phone") if phone else ""))
    Case.objects.bulk_create(cases, batch_size=2000)
    from .models import CaseClock

    clocks_made = []
    for case in cases:
        for spec in opening:
            result = cal.deadline(_today(case.opened_at), spec.amount, spec.unit)
            clocks_made.append(CaseClock(case=case, name=spec.name, label=str(spec.label), unit=spec.unit,
                                         amount=spec.amount, started_on=_today(case.opened_at), due_on=result.date,
                                         provisional=result.provisional))
    CaseClock.objects.bulk_create(clocks_made, batch_size=2000)
    actor_id = actor.pk if actor is not None else None
    _insert_events([(c.pk, c.opened_at, actor_id, EventKind.OPENED, "", "", state, note, {}, True) for c in cases])
    for start in range(0, len(cases), BULK_BATCH):
        refs = [c.reference for c in cases[start:start + BULK_BATCH]]
        record(actor=actor, action=f"{kind}.bulk_open", target=organisation, organisation=organisation, at=now,
               after={"count": len(refs), "state": state, "first": refs[0], "last": refs[-1],
                      "sha256": _batch_digest(refs), "case_ids": [c.pk for c in cases[start:start + BULK_BATCH]]},
               note=note)
    return cases


EventRow = tuple[int, dt.datetime, "int | None", str, str, str, str, str, dict[str, Any], bool]


def _insert_events(rows: list[EventRow]) -> None:
    """Timeline events of a mass act, as (case_id, at, actor_id, kind, transition, from_state,
    to_state, text, data, public): PostgreSQL's COPY (ten times an INSERT's rate), else bulk_create."""
    if connection.vendor != "postgresql":
        CaseEvent.objects.bulk_create(
            [CaseEvent(case_id=r[0], at=r[1], actor_id=r[2], kind=r[3], transition=r[4], from_state=r[5],
                       to_state=r[6], text=r[7], data=r[8], public=r[9]) for r in rows], batch_size=2000)
        return
    import json

    table = CaseEvent._meta.db_table
    cols = "case_id, at, actor_id, kind, transition, from_state, to_state, text, data, public"
    with connection.cursor() as cur, cur.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:  # noqa: S608
        for r in rows:
            copy.write_row((*r[:8], json.dumps(r[8], ensure_ascii=False), r[9]))


CHUNK = 10000  # ids per statement: PostgreSQL takes at most 65,535 parameters


@transaction.atomic
def case_bulk_transition(*, actor: User | None, case_ids: list[int], transition: str, kind: str,
                         at: dt.datetime | None = None, note: str = "",
                         data: Mapping[int, Mapping[str, Any]] | None = None) -> int:
    """Perform one declared transition on many cases of one kind, set-based: every case must be in
    a source state (else nothing changes). The caller has checked the actor's right to do this
    (it is the system's own act, like an assignment run). `data` gives each case's event data."""
    from django.db.models import F

    from .models import CaseClock

    wf = get_workflow(kind)
    t = wf.transition(transition)
    if t is None:
        raise ValidationFailed(_("“%(name)s” is not a step of this kind of case.") % {"name": transition})
    ids = sorted(set(case_ids))
    if not ids:
        return 0
    now = _now(at)
    today = _today(now)
    chunks = [ids[i:i + CHUNK] for i in range(0, len(ids), CHUNK)]
    before: dict[int, str] = {}
    for chunk in chunks:
        before.update(Case.objects.filter(pk__in=chunk, kind=kind).select_for_update().values_list("pk", "state"))
    wrong = sum(1 for pk in ids if before.get(pk) not in t.source)
    if wrong:
        raise Conflict(_("%(n)d of the cases are not in a state where “%(step)s” can be done; nothing was changed.")
                       % {"n": wrong, "step": t.label})
    terminal = t.target in wf.terminal
    stop = set(t.stop_clocks) | ({c.name for c in wf.clock_specs().values()} if terminal else set())
    for chunk in chunks:
        if stop:
            running = CaseClock.objects.filter(case_id__in=chunk, name__in=stop, stopped_on__isnull=True)
            running.filter(due_on__gte=today).update(stopped_on=today, met=True, paused_on=None)
            running.update(stopped_on=today, met=False, paused_on=None)
        Case.objects.filter(pk__in=chunk).update(
            state=t.target, is_open=not terminal, closed_at=now if terminal else None,
            next_due_on=None if terminal else F("next_due_on"), version=F("version") + 1)
    data = data or {}
    actor_id = actor.pk if actor is not None else None
    _insert_events([(pk, now, actor_id, EventKind.TRANSITION, t.name, before[pk], t.target, note,
                     dict(data.get(pk, {})), True) for pk in ids])
    for start in range(0, len(ids), BULK_BATCH):
        chunk_ids = ids[start:start + BULK_BATCH]
        record(actor=actor, action=f"{kind}.bulk_{t.name}", at=now, note=note,
               after={"count": len(chunk_ids), "to_state": t.target, "case_ids": chunk_ids})
    return len(ids)


@transaction.atomic
def duty_open(*, kind: str, key: str, organisation: Organisation, title: str, due_on: dt.date,
              department: Organisation | None = None, at: dt.datetime | None = None) -> Case | None:
    """Open a duty's case once (None when its key is open or done already), its clock ending on
    `due_on` (the domain computes it from the duty's rule). Opened by a scheduled job: no actor."""
    if Duty.objects.filter(key=key).exists():
        return None
    case = case_open(actor=None, kind=kind, organisation=organisation, department=department, title=title, at=at,
                     amounts={"due": due_on})
    if due_on < _today(_now(at)):  # a fixed day already passed (a new installation, a job down for days):
        # the duty is overdue since that day, not due today (case_open never dates a clock before its start)
        case.clocks.filter(name="due").update(due_on=due_on)
        Case.objects.filter(pk=case.pk).update(next_due_on=due_on)
        case.next_due_on = due_on
    Duty.objects.create(key=key, case=case)
    return case


def duty_close(*, key: str, actor: User | None, note: str, at: dt.datetime | None = None) -> Case | None:
    """Close a duty by the act that fulfils it (called inside that act's transaction, which the
    domain already authorised); nothing when no such duty is open."""
    duty = Duty.objects.filter(key=key, case__is_open=True).select_related("case").first()
    if duty is None:
        return None
    return case_transition(actor=actor, case=duty.case, transition="done", data={"note": note}, at=at, system=True)


def reminder_send(*, clock: CaseClock, kind: str, recipient_id: int, message: bool = True) -> bool:
    """Remind one person of a clock due soon or overdue (督办), once per (clock, kind, person):
    a rerun after a worker restart sends nothing twice. A person who chose SMS or e-mail also gets
    it through the outbox, written in the same transaction. Returns whether a reminder was made."""
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(clock=clock, kind=kind, recipient_id=recipient_id)
            record(actor=None, action="reminder.send", target=clock.case, organisation=clock.case.organisation,
                   after={"clock": clock.name, "kind": kind, "recipient": recipient_id, "due_on": clock.due_on})
            if message:  # the caller may know the person chose neither SMS nor e-mail
                message_queue(recipient_id=recipient_id, key=f"reminder:{reminder.pk}",
                              subject=str(_("edugov reminder: %(what)s") % {"what": reminder.get_kind_display()}),
                              body=str(_("%(ref)s · %(limit)s · due %(day)s") % {
                                  "ref": clock.case.reference, "limit": clock.label,
                                  "day": clock.due_on.isoformat()}))
    except IntegrityError:
        return False
    return reminder.pk is not None


def reminder_read(*, actor: User, pk: int) -> int:
    """Mark one of the actor's own reminders read (another person's is left as it is). A
    personal mark on the workbench, not an act on the case: no ledger entry."""
    return Reminder.objects.filter(pk=pk, recipient=actor.pk, read_at__isnull=True).update(read_at=timezone.now())
