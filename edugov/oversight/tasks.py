"""Each school's monthly risk ledger as a duty on its workbench (oversight.workflow.LEDGER_DUTY):
opened for the month as it begins, and for the month just ended while its ledger is missing (then
overdue at once). Run daily by Celery beat; idempotent (one duty per school and month)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation, OrgKind
from edugov.cases import actions as engine
from edugov.kernel.calendar import get_calendar, month_start

from .models import RiskLedger
from .selectors import schools_of
from .workflow import LEDGER_DUTY, ledger_key


def ledger_due(month: dt.date) -> dt.date:
    """A month's ledger is due on the month's last day (rule risk.ledger), moved to the next working
    day when that is a rest day. Counted as a day, not as a month from the day before: a month from
    30 November would end on 30 December (民法典 art. 202's corresponding day), a day early."""
    return get_calendar().next_workday(month_start(month, 1) - dt.timedelta(days=1))


@shared_task(name="edugov.oversight.tasks.open_ledger_duties", acks_late=True)
def open_ledger_duties(today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    opened = 0
    for bureau in Organisation.objects.filter(kind=OrgKind.BUREAU, is_active=True):
        schools = list(schools_of(bureau).select_related("organisation").order_by("code"))
        for month in (month_start(today, -1), month_start(today)):
            filed = set(RiskLedger.objects.filter(month=month, school__in=schools).values_list("school_id", flat=True))
            due = ledger_due(month)
            for school in schools:
                if school.pk in filed:
                    continue
                title = _("%(school)s: risk ledger for %(month)s") % {"school": school.name,
                                                                        "month": f"{month:%Y-%m}"}
                opened += engine.duty_open(kind=LEDGER_DUTY.kind, key=ledger_key(school.code, month),
                                           organisation=bureau, department=school.organisation, title=title,
                                           due_on=due) is not None
    return opened
