"""publication.* and study.lectures of FIGURES-2024.md, counted from the registers."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from edugov.accounts.models import Organisation
from edugov.metrics.registry import Metric, Period, describe_group, register

from .models import Inquiry, Lecture, PublicationItem


def items(period: Period, org: Organisation) -> QuerySet[Any]:
    return PublicationItem.objects.filter(organisation__path__startswith=org.path, published_on__gte=period.start,
                                          published_on__lte=period.end)


def inquiries(period: Period, org: Organisation) -> QuerySet[Any]:
    return Inquiry.objects.filter(organisation__path__startswith=org.path, answered_on__gte=period.start,
                                  answered_on__lte=period.end)


def solved(period: Period, org: Organisation) -> QuerySet[Any]:
    return inquiries(period, org).filter(problem_solved=True)


def lectures(period: Period, org: Organisation) -> QuerySet[Any]:
    return Lecture.objects.filter(organisation__path__startswith=org.path, held_on__gte=period.start,
                                  held_on__lte=period.end)


describe_group("publication", _("Government information disclosure"))
describe_group("study", _("Leaders' study of law"))

for key, title, word, approximate, definition, records in (
    ("publication.items", _("Items published"), "条", True,
     _("Items published under open government information in the period."), items),
    ("publication.inquiries", _("Inquiries answered"), "人次", True,
     _("Hotline and online inquiries answered in the period."), inquiries),
    ("publication.problems_solved", _("Problems solved from inquiries"), "个", True,
     _("Inquiries answered in the period that solved a concrete problem."), solved),
    ("study.lectures", _("Lectures given"), "场次", False,
     _("Lectures on the rule of law and party documents given in schools in the period."), lectures),
):
    register(Metric(key=key, title=title, measure_word=word, approximate=approximate, definition=definition,
                    count=(lambda r: lambda p, o: r(p, o).count())(records), records=records))
