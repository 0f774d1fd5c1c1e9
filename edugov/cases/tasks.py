"""Reminders before and on a due date, and escalation when one is missed (督办).

Queries over stored due dates run by Celery beat: the handler is reminded a working day before
and on the day (the unit's heads when nobody is assigned); the unit's heads when the day is
missed; the supervision office once the matter is overdue by the district's
`workbench.escalation` working days (never for a need-to-know kind: a report of misconduct stays
within its handling unit). A party's window (workflow.party_clocks) reminds nobody: it
is the party's time. A Reminder row per (clock, kind, recipient) makes a rerun after a worker
restart idempotent, so nothing is lost or repeated, and each is a ledger entry."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone

from edugov.accounts.models import Grant, Role, User
from edugov.accounts.permissions import away_on
from edugov.accounts.selectors import rule_of
from edugov.kernel.calendar import get_calendar

from .actions import reminder_send
from .models import Case, CaseClock, Reminder
from .workflow import party_clocks


class _People:
    """Who is told, read once per unit in a run (not once per clock)."""

    def __init__(self, today: dt.date) -> None:
        self.today = today
        self._heads: dict[int, list[int]] = {}
        self._supervision: dict[str, list[int]] = {}
        self._stand_in: dict[int, int | None] = {}

    def heads(self, case: Case) -> list[int]:
        unit = case.department_id or case.organisation_id
        if unit not in self._heads:
            self._heads[unit] = list(Grant.objects.filter(organisation_id=unit, role=Role.DEPARTMENT_HEAD, active=True)
                                     .values_list("user_id", flat=True))
        return self._heads[unit]

    def handlers(self, case: Case) -> list[int]:
        """Who acts: the assigned handler (their stand-in while they are away), or the unit's heads
        while the case waits in the unit's queue."""
        if not case.assignee_id:
            return self.heads(case)
        if case.assignee_id not in self._stand_in:
            absence = away_on(case.assignee_id, self.today)
            self._stand_in[case.assignee_id] = absence.stand_in_id if absence else None
        return [self._stand_in[case.assignee_id] or case.assignee_id]

    def supervision(self, case: Case) -> list[int]:
        path = case.organisation.path
        if path not in self._supervision:
            self._supervision[path] = list(Grant.objects.filter(role=Role.SUPERVISION_STAFF, active=True,
                                                                organisation__path__startswith=path)
                                           .values_list("user_id", flat=True))
        return self._supervision[path]


@shared_task(name="edugov.cases.tasks.send_clock_reminders", acks_late=True)
def send_clock_reminders(today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    cal = get_calendar()
    soon = cal.add_working_days(today, 1).date
    party = party_clocks()
    people = _People(today)
    notified = set(User.objects.exclude(notify_by="").values_list("pk", flat=True))  # SMS or e-mail, read once
    sent = 0
    running = (CaseClock.objects.filter(stopped_on__isnull=True, paused_on__isnull=True, case__is_open=True)
               .select_related("case__organisation"))

    def due(clocks: object) -> list[CaseClock]:
        return [c for c in clocks if c.name not in party.get(c.case.kind, ())]  # type: ignore[attr-defined]

    def fresh(clocks: object, kind: str) -> object:
        """Clocks not yet reminded of this kind: a daily run costs what is new, not every overdue
        clock of the district again (the unique key still guards a race between two workers)."""
        return clocks.exclude(reminders__kind=kind)  # type: ignore[attr-defined]

    for clock in due(fresh(running.filter(due_on__gt=today, due_on__lte=soon), Reminder.Kind.DUE_SOON)):
        for user_id in people.handlers(clock.case):
            sent += int(reminder_send(clock=clock, kind=Reminder.Kind.DUE_SOON, recipient_id=user_id,
                                       message=user_id in notified))
    for clock in due(fresh(running.filter(due_on=today), Reminder.Kind.DUE_TODAY)):
        for user_id in people.handlers(clock.case):
            sent += int(reminder_send(clock=clock, kind=Reminder.Kind.DUE_TODAY, recipient_id=user_id,
                                       message=user_id in notified))
    for clock in due(fresh(running.filter(due_on__lt=today), Reminder.Kind.OVERDUE)):
        for user_id in people.heads(clock.case):
            sent += int(reminder_send(clock=clock, kind=Reminder.Kind.OVERDUE, recipient_id=user_id,
                                       message=user_id in notified))
    escalate_after: dict[int, int] = {}  # per organisation: its district's workbench.escalation
    for clock in due(fresh(running.filter(due_on__lt=today), Reminder.Kind.ESCALATED)):
        if clock.case.workflow.need_to_know:  # its unit's heads were told; nobody outside it is
            continue
        org = clock.case.organisation
        if org.pk not in escalate_after:
            escalate_after[org.pk] = rule_of(org, "workbench.escalation").count
        if cal.working_days_between(clock.due_on, today) >= escalate_after[org.pk]:
            for user_id in people.supervision(clock.case):
                sent += int(reminder_send(clock=clock, kind=Reminder.Kind.ESCALATED, recipient_id=user_id,
                                           message=user_id in notified))
    return sent
