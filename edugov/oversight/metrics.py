"""publication.* of FIGURES-2024.md, counted from the open-government registers (study.lectures moved to
the leadership app with the lectures, issue 31)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from edugov.accounts.models import Organisation
from edugov.metrics.registry import Metric, Period, describe_group, register

from .models import Inquiry, ItemStatus, Liaison, LiaisonKind, LiaisonVisit, PublicationItem


def items(period: Period, org: Organisation) -> QuerySet[Any]:
    return PublicationItem.objects.filter(organisation__path__startswith=org.path, published_on__gte=period.start,
                                          published_on__lte=period.end)


def inquiries(period: Period, org: Organisation) -> QuerySet[Any]:
    return Inquiry.objects.filter(organisation__path__startswith=org.path, answered_on__gte=period.start,
                                  answered_on__lte=period.end)


def solved(period: Period, org: Organisation) -> QuerySet[Any]:
    return inquiries(period, org).filter(problem_solved=True)


describe_group("publication", _("Government information disclosure"))

for key, title, word, approximate, definition, records in (
    ("publication.items", _("Items published"), "条", True,
     _("Items published under open government information in the period."), items),
    ("publication.inquiries", _("Inquiries answered"), "人次", True,
     _("Hotline and online inquiries answered in the period."), inquiries),
    ("publication.problems_solved", _("Problems solved from inquiries"), "个", True,
     _("Inquiries answered in the period that solved a concrete problem."), solved),
):
    register(Metric(key=key, title=title, measure_word=word, approximate=approximate, definition=definition,
                    count=(lambda r: lambda p, o: r(p, o).count())(records), records=records))


# ---- liaison.* (issue 31): leaders' areas and departments' linked schools --------------------------

def visits(period: Period, org: Organisation) -> QuerySet[Any]:
    return LiaisonVisit.objects.filter(liaison__organisation__path__startswith=org.path,
                                       visited_on__gte=period.start, visited_on__lte=period.end)


def visit_findings(period: Period, org: Organisation) -> QuerySet[Any]:
    return visits(period, org).exclude(found="")


def covered_schools(period: Period, org: Organisation) -> QuerySet[Any]:
    """Schools covered at the period's end by a leader's area and by a linked department."""
    from edugov.registries.models import School

    current = Liaison.objects.filter(organisation__path__startswith=org.path, since__lte=period.end).filter(
        Q(until__isnull=True) | Q(until__gte=period.end))
    return (School.objects.filter(liaisons__in=current.filter(kind=LiaisonKind.AREA))
            .filter(liaisons__in=current.filter(kind=LiaisonKind.DEPARTMENT)).distinct())


def _schools(org: Organisation) -> int:
    from edugov.registries.models import School

    return School.objects.filter(organisation__path__startswith=org.path).count()


def visited(period: Period, org: Organisation) -> QuerySet[Any]:
    from edugov.registries.models import School

    return School.objects.filter(pk__in=visits(period, org).values("school"))


describe_group("liaison", _("Leaders' areas and linked schools"))
register(Metric(key="liaison.visits", title=_("Visits by leaders and linked departments"), measure_word="次",
                definition=_("Visits to schools by the leader covering the area or the department linked to them."),
                count=lambda p, o: visits(p, o).count(), records=visits))
register(Metric(key="liaison.schools_visited", title=_("Schools visited"), measure_word="所",
                definition=_("Schools visited at least once in the period by their leader or linked department."),
                count=lambda p, o: visited(p, o).count(), records=visited))
register(Metric(key="liaison.visit_coverage_rate", title=_("Schools visited (share of all)"), decimals=1,
                empty=_("no school"),
                definition=_("Of the district's schools, the share visited at least once in the period."),
                rate=lambda p, o: (visited(p, o).count(), _schools(o)), records=visited))
register(Metric(key="liaison.coverage_rate", title=_("Schools with a leader and a linked department"), decimals=1,
                empty=_("no school"),
                definition=_("Of the district's schools, the share covered at the period's end both by a leader's "
                             "area and by a linked department."),
                rate=lambda p, o: (covered_schools(p, o).count(), _schools(o)), records=covered_schools))
register(Metric(key="liaison.findings", title=_("Problems found on visits"), measure_word="个",
                definition=_("Visits in the period that found a problem (each opened a rectification)."),
                count=lambda p, o: visit_findings(p, o).count(), records=visit_findings))
register(Metric(key="liaison.findings_rectified", title=_("Problems found on visits and rectified"), measure_word="个",
                definition=_("Of the problems found on the period's visits, those the school has rectified."),
                count=lambda p, o: visit_findings(p, o).filter(patrol__rectification__status=ItemStatus.CLOSED).count(),
                records=visit_findings))
