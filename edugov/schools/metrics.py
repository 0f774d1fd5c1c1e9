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


# The special school: counts only, never the records (a drill-down would name the students).
def _released(period: Period, org: Organisation):  # type: ignore[no-untyped-def]
    from .models import CorrectionCase

    return CorrectionCase.objects.filter(school__organisation__path__startswith=org.path,
                                         released_on__isnull=False, released_on__lte=period.end)


def _reoffended(period: Period, org: Organisation) -> int:
    return _released(period, org).filter(reoffences__on__lte=period.end).distinct().count()


def _longest_months(period: Period, org: Organisation) -> int:
    first = _released(period, org).order_by("released_on").values_list("released_on", flat=True).first()
    if first is None:
        return 0
    months = (period.end.year - first.year) * 12 + period.end.month - first.month
    return months - (period.end.day < first.day)


register(Metric(key="special_school.released", title=_("Students released from the special school"),
                measure_word="名", definition=_("Students who completed correction and left in the period."),
                count=lambda p, o: _released(p, o).filter(released_on__gte=p.start).count()))
register(Metric(key="special_school.longest_months_since_release", title=_("Longest follow-up so far"),
                measure_word="个月", definition=_("Whole months from the earliest release to the period's end."),
                count=_longest_months))
register(Metric(key="special_school.reoffended", title=_("Released students who reoffended"), measure_word="名",
                definition=_("Released students with a new offence or violation recorded by the period's end."),
                count=_reoffended))
register(Metric(key="special_school.correction_rate", title=_("Correction rate"), decimals=0,
                empty=_("no one released"),
                definition=_("Released students without a new offence ÷ released students, at the period's end."),
                rate=lambda p, o: (_released(p, o).count() - _reoffended(p, o), _released(p, o).count())))
