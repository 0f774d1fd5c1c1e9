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


# ---- misconduct_reports.* and disputes.* (issue 32) -----------------------------------------------
# A misconduct report is need-to-know: its figures are counts, with no drill-down to the reports.

def _reports(period: Period, org: Organisation) -> QuerySet[Any]:
    from .models import MisconductReport

    return MisconductReport.objects.filter(case__organisation__path__startswith=org.path,
                                           case__opened_at__date__gte=period.start,
                                           case__opened_at__date__lte=period.end)


def _told(period: Period, org: Organisation) -> QuerySet[Any]:
    """Reports of the period whose reporter has been told the result (by the day figures are read)."""
    return _reports(period, org).filter(told_on__isnull=False)


def _told_in_time(period: Period, org: Organisation) -> int:
    return _told(period, org).filter(case__clocks__name="result", case__clocks__met=True).count()


def _notices(kind: str) -> Any:
    def records(period: Period, org: Organisation) -> QuerySet[Any]:
        from .models import DisciplineNotice

        return DisciplineNotice.objects.filter(organisation__path__startswith=org.path, kind=kind,
                                               on__gte=period.start, on__lte=period.end)
    return records


describe_group("misconduct_reports", _("Reports of enforcement misconduct and the discipline group"))
register(Metric(key="misconduct_reports.received", title=_("Reports of enforcement misconduct received"),
                measure_word="件", definition=_("Reports about officers' conduct received in the period, from the "
                                               "published channel (web, telephone, letter, visit)."),
                count=lambda p, o: _reports(p, o).count()))
register(Metric(key="misconduct_reports.accepted", title=_("Misconduct reports accepted"), measure_word="件",
                definition=_("Reports of the period accepted for handling (not refused at acceptance)."),
                count=lambda p, o: _reports(p, o).exclude(case__state__in=("received", "not_accepted")).count()))
register(Metric(key="misconduct_reports.forwarded", title=_("Misconduct reports forwarded to the supervision body"),
                measure_word="件", definition=_("Reports of the period forwarded to the enforcement supervision body."),
                count=lambda p, o: _reports(p, o).exclude(forwarded_on=None).count()))
register(Metric(key="misconduct_reports.substantiated", title=_("Misconduct reports substantiated"), measure_word="件",
                definition=_("Reports of the period found substantiated."),
                count=lambda p, o: _reports(p, o).filter(substantiated=True).count()))
register(Metric(key="misconduct_reports.told", title=_("Reporters told the result"), measure_word="件",
                definition=_("Accepted reports of the period whose reporter has been told the result."),
                count=lambda p, o: _told(p, o).exclude(case__state="not_accepted").count()))
register(Metric(key="misconduct_reports.told_in_time_rate", title=_("Reporters told the result in time"), decimals=1,
                empty=_("no report"),
                definition=_("Of the reporters told the result, the share told within the time limit the bureau "
                             "publishes for it."),
                rate=lambda p, o: (_told_in_time(p, o), _told(p, o).exclude(case__state="not_accepted").count())))
register(Metric(key="misconduct_reports.discipline_meetings", title=_("Meetings the discipline group attended"),
                measure_word="次", definition=_("Meetings of the bureau the discipline inspection group (纪检监察组) "
                                               "was invited to and attended (列席) in the period."),
                count=lambda p, o: _notices("meeting")(p, o).count(), records=_notices("meeting")))
register(Metric(key="misconduct_reports.decisions_notified", title=_("Decisions notified to the discipline group"),
                measure_word="项", definition=_("三重一大 decisions whose decision and execution were notified to the "
                                               "discipline inspection group in the period."),
                count=lambda p, o: _notices("decision")(p, o).count(), records=_notices("decision")))


def ledgers(period: Period, org: Organisation) -> QuerySet[Any]:
    from .models import RiskLedger

    return RiskLedger.objects.filter(school__organisation__path__startswith=org.path, month__gte=period.start,
                                     month__lte=period.end)


def mediations(period: Period, org: Organisation) -> QuerySet[Any]:
    from .models import Mediation

    return Mediation.objects.filter(organisation__path__startswith=org.path, started_on__gte=period.start,
                                    started_on__lte=period.end).select_related("school")


def _concluded(period: Period, org: Organisation) -> QuerySet[Any]:
    return mediations(period, org).exclude(outcome="pending")


def _agreed(period: Period, org: Organisation) -> QuerySet[Any]:
    return mediations(period, org).filter(outcome="agreed")


describe_group("disputes", _("Disputes: screening, mediation, feedback"))
register(Metric(key="disputes.screenings", title=_("Monthly screening ledgers filed"), measure_word="份",
                definition=_("Schools' monthly ledgers of risks and disputes filed for the months of the period."),
                count=lambda p, o: ledgers(p, o).count(), records=ledgers))
register(Metric(key="disputes.mediations", title=_("Disputes mediated"), measure_word="件",
                definition=_("Mediations of disputes between families and schools begun in the period."),
                count=lambda p, o: mediations(p, o).count(), records=mediations))
register(Metric(key="disputes.agreements", title=_("Mediations ending in agreement"), measure_word="件",
                definition=_("Mediations of the period that reached an agreement."),
                count=lambda p, o: _agreed(p, o).count(), records=_agreed))
register(Metric(key="disputes.agreement_rate", title=_("Mediation success"), decimals=1, empty=_("no mediation"),
                definition=_("Of the period's mediations concluded, the share that reached an agreement."),
                rate=lambda p, o: (_agreed(p, o).count(), _concluded(p, o).count()), records=_concluded))
register(Metric(key="disputes.with_community", title=_("Mediations with the community"), measure_word="件",
                definition=_("Mediations of the period in which the community (社区) took part: school, family and "
                             "community together."),
                count=lambda p, o: mediations(p, o).exclude(community="").count(),
                records=lambda p, o: mediations(p, o).exclude(community="")))
register(Metric(key="disputes.followed_up", title=_("Agreements followed up"), measure_word="件",
                definition=_("Of the period's agreements, those followed up with the family (回访)."),
                count=lambda p, o: _agreed(p, o).exclude(followed_up_on=None).count(),
                records=lambda p, o: _agreed(p, o).exclude(followed_up_on=None)))
