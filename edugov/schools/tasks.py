"""From March, each legal vice-principal still short of the school year's class hours becomes a
duty on the school's workbench (schools.workflow.HOURS_DUTY), due by the school year's end. Run
daily by Celery beat; idempotent (one duty per appointment and school year)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation, OrgKind
from edugov.cases import actions as engine
from edugov.kernel import rules

from . import selectors
from .models import school_year_of
from .workflow import HOURS_DUTY, hours_key


@shared_task(name="edugov.schools.tasks.open_hours_duties", acks_late=True)
def open_hours_duties(today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    year = school_year_of(today)
    due = rules.deadline("schools.legal_vp_hours", dt.date(year, 8, 31)).date
    opened = 0
    for bureau in Organisation.objects.filter(kind=OrgKind.BUREAU, is_active=True):
        for appointment, hours in selectors.behind(bureau, today):
            title = _("%(person)s at %(school)s: %(hours)s of 4 class hours this school year") % {
                "person": appointment.person, "school": appointment.school.name, "hours": hours}
            opened += engine.duty_open(kind=HOURS_DUTY.kind, key=hours_key(appointment.pk, year), organisation=bureau,
                                       department=appointment.school.organisation, title=title,
                                       due_on=due) is not None
    return opened
