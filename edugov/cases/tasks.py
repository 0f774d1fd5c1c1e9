"""Reminders before a due date and escalation when one is missed.

Both are queries over stored due dates run by Celery beat; a Reminder row per (clock, kind,
recipient) makes a rerun after a worker restart idempotent, so nothing is lost or repeated."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from edugov.accounts.models import Grant, Role
from edugov.kernel.calendar import get_calendar

from .actions import reminder_send
from .models import CaseClock, Reminder


@shared_task(name="edugov.cases.tasks.send_clock_reminders", acks_late=True)
def send_clock_reminders() -> int:
    today = timezone.localdate()
    cal = get_calendar()
    soon = cal.add_working_days(today, 1).date
    sent = 0
    running = CaseClock.objects.filter(stopped_on__isnull=True, paused_on__isnull=True, case__is_open=True)
    for clock in running.filter(due_on__gte=today, due_on__lte=soon).select_related("case"):
        if clock.case.assignee_id:
            sent += int(reminder_send(clock=clock, kind=Reminder.Kind.DUE_SOON, recipient_id=clock.case.assignee_id))
    for clock in running.filter(due_on__lt=today).select_related("case"):
        unit = clock.case.department_id or clock.case.organisation_id
        heads = Grant.objects.filter(organisation_id=unit, role=Role.DEPARTMENT_HEAD, active=True)
        for user_id in heads.values_list("user_id", flat=True):
            sent += int(reminder_send(clock=clock, kind=Reminder.Kind.OVERDUE, recipient_id=user_id))
    return sent
