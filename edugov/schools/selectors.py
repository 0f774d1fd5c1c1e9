"""Reads: who is active where, the class hours of a school year, the schools without anyone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from edugov.accounts.models import Organisation
from edugov.registries.models import School

from .models import MIN_HOURS_PER_SCHOOL_YEAR, Appointment, ClassSession, school_year_of


def active(org: Organisation, day: dt.date) -> QuerySet[Appointment]:
    return Appointment.objects.filter(school__organisation__path__startswith=org.path, starts_on__lte=day,
                                      ends_on__gte=day).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))


def public_schools(org: Organisation) -> QuerySet[School]:
    return School.objects.filter(organisation__path__startswith=org.path, is_private=False)


def schools_without(org: Organisation, day: dt.date) -> QuerySet[School]:
    """Public schools with no legal vice-principal in force on the day (at least one is required)."""
    return public_schools(org).exclude(pk__in=active(org, day).values("school_id")).order_by("name")


def hours_by_appointment(org: Organisation, school_year: int) -> dict[int, Decimal]:
    rows = (ClassSession.objects.filter(appointment__school__organisation__path__startswith=org.path,
                                        school_year=school_year)
            .values("appointment_id").annotate(total=Sum("hours")))
    return {r["appointment_id"]: r["total"] for r in rows}


def behind(org: Organisation, day: dt.date) -> list[tuple[Appointment, Decimal]]:
    """From the third quarter of the school year (March on), who has taught fewer than 4 hours."""
    year = school_year_of(day)
    if day.month in (9, 10, 11, 12, 1, 2):
        return []
    hours = hours_by_appointment(org, year)
    return [(a, hours.get(a.pk, Decimal(0))) for a in active(org, day).select_related("person", "school")
            if hours.get(a.pk, Decimal(0)) < MIN_HOURS_PER_SCHOOL_YEAR]
