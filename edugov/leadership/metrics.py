"""leadership.* (INTERFACES.md, metric key prefixes) and study.lectures of FIGURES-2024.md: the first
responsible person's study, lectures, accounts of duties and the committee's quarterly hearings,
counted from the records."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from edugov.accounts.models import Organisation
from edugov.metrics.registry import Metric, Period, describe_group, register

from .models import CommitteeReport, Lecture, LegalAccount, SessionKind, StudySession


def sessions(period: Period, org: Organisation) -> QuerySet[Any]:
    return StudySession.objects.filter(organisation__path__startswith=org.path, held_on__gte=period.start,
                                       held_on__lte=period.end)


def lectures(period: Period, org: Organisation) -> QuerySet[Any]:
    return Lecture.objects.filter(organisation__path__startswith=org.path, held_on__gte=period.start,
                                  held_on__lte=period.end)


def reports(period: Period, org: Organisation) -> QuerySet[Any]:
    return CommitteeReport.objects.filter(organisation__path__startswith=org.path, heard_on__gte=period.start,
                                          heard_on__lte=period.end)


def accounts(period: Period, org: Organisation) -> QuerySet[Any]:
    """Accounts of the period's years (述法 of a year is given early in the next, before its report)."""
    return LegalAccount.objects.filter(organisation__path__startswith=org.path, year__gte=period.start.year,
                                       year__lte=period.end.year)


def attendance(period: Period, org: Organisation) -> tuple[int, int]:
    sums = sessions(period, org).aggregate(present=Sum("attended"), expected=Sum("expected"))
    return sums["present"] or 0, sums["expected"] or 0


def quarters_heard(period: Period, org: Organisation) -> int:
    return reports(period, org).values("year", "quarter").distinct().count()


describe_group("study", _("Leaders' study of law"))
describe_group("leadership", _("The first responsible person"))

register(Metric(key="study.lectures", title=_("Lectures given"), measure_word="场次",
                definition=_("Lectures on the rule of law and party documents given in schools in the period."),
                count=lambda p, o: lectures(p, o).count(), records=lectures))
for key, title, definition, narrowed in (
    ("leadership.study_sessions", _("Study sessions"),
     _("Study sessions of the theory study group, the work committee, the staff and the principals held in the "
       "period."), {}),
    ("leadership.central_group_sessions", _("Theory study group sessions"),
     _("Sessions of the theory study group (理论学习中心组) held in the period."), {"kind": SessionKind.CENTRAL_GROUP}),
    ("leadership.first_topic_sessions", _("Sessions with the first-item study"),
     _("Study sessions in the period that studied as their first item (第一议题)."), {"first_topic": True}),
    ("leadership.law_study_sessions", _("Sessions studying law"),
     _("Study sessions in the period whose study was of law (会前学法 and the like)."), {"on_law": True}),
):
    records = (lambda f: lambda p, o: sessions(p, o).filter(**f))(narrowed)
    register(Metric(key=key, title=title, measure_word="次", definition=definition,
                    count=(lambda r: lambda p, o: r(p, o).count())(records), records=records))
register(Metric(key="leadership.attendance_rate", title=_("Attendance at study sessions"), decimals=1,
                empty=_("no session"),
                definition=_("Members present at the period's study sessions over the members expected."),
                rate=attendance, records=sessions))
register(Metric(key="leadership.quarterly_reports", title=_("Reports heard by the work committee"), measure_word="次",
                definition=_("Reports the education work committee heard in the period."),
                count=lambda p, o: reports(p, o).count(), records=reports))
register(Metric(key="leadership.quarters_heard", title=_("Quarters in which the committee heard reports"),
                measure_word="个季度",
                definition=_("Quarters of the period in which the education work committee heard at least one report."),
                count=quarters_heard, records=reports))
register(Metric(key="leadership.legal_accounts", title=_("Accounts of rule-of-law duties (述法)"), measure_word="次",
                definition=_("Accounts of their rule-of-law duties for the period's years given by the bureau's leaders."),
                count=lambda p, o: accounts(p, o).count(), records=accounts))
