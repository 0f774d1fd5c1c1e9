"""The legal_vp.* figures of FIGURES-2024.md, counted from appointments."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from edugov.accounts.models import Organisation
from edugov.metrics.registry import Metric, Period, register
from edugov.registries.models import Person

from .models import MIN_HOURS_PER_SCHOOL_YEAR
from .selectors import active, public_schools


def appointed(period: Period, org: Organisation) -> QuerySet[Any]:
    """The people holding an appointment in force at the period's end."""
    return Person.objects.filter(pk__in=active(org, period.end).values("person_id")).order_by("name")


def covered(period: Period, org: Organisation) -> tuple[int, int]:
    schools = public_schools(org)
    return (schools.filter(pk__in=active(org, period.end).values("school_id")).count(), schools.count())


register(Metric(key="legal_vp.appointed", title=_("Legal vice-principals appointed"), measure_word="名",
                definition=_("People holding an appointment as legal vice-principal in force at the period's end."),
                count=lambda p, o: appointed(p, o).count(), records=appointed))
register(Metric(key="legal_vp.public_school_coverage", title=_("Public schools with a legal vice-principal"),
                decimals=0, empty=_("no public schools"),
                definition=_("Public schools with at least one appointment in force at the period's end ÷ public "
                             "schools."), rate=covered))
register(Metric(key="legal_vp.class_hours.min_required", title=_("Minimum class hours a school year"),
                measure_word="课时", rule=MIN_HOURS_PER_SCHOOL_YEAR,
                definition=_("The rule: each legal vice-principal teaches at least 4 class hours a school year.")))
