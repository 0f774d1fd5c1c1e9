"""The yearly report's duties, opened in January for the year just ended: its draft (if nobody
has started it; its case runs to the publication deadline) and its submission to the district's
Party committee and government and the department above before 1 March (reports.workflow.
SUBMISSION_DUTY). Run daily by Celery beat; idempotent."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation, OrgKind
from edugov.cases import actions as engine
from edugov.kernel import rules

from . import actions
from .models import AnnualReport
from .workflow import SUBMISSION_DUTY


@shared_task(name="edugov.reports.tasks.open_report_duties", acks_late=True)
def open_report_duties(today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    year = today.year - 1
    due = rules.get("report.submission").ends(dt.date(year, 12, 31))  # a fixed day: not moved off a rest day
    opened = 0
    for bureau in Organisation.objects.filter(kind=OrgKind.BUREAU, is_active=True):
        if not AnnualReport.objects.filter(organisation=bureau, year=year).exists():
            actions.report_create(actor=None, organisation=bureau, year=year)
        title = _("Submit the %(year)d rule-of-law report to the district's Party committee and government and to "
                  "the department above") % {"year": year}
        opened += engine.duty_open(kind=SUBMISSION_DUTY.kind, key=f"report.submission:{bureau.code}:{year}",
                                   organisation=bureau, title=title, due_on=due) is not None
    return opened
