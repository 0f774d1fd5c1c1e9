"""The legal_vp.* figures of FIGURES-2024.md, counted from appointments."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from edugov.accounts.models import Organisation
from edugov.metrics.registry import Metric, Period, describe_group, register
from edugov.registries.models import Person

from .models import MIN_HOURS_PER_SCHOOL_YEAR
from .selectors import active, public_schools


def appointed(period: Period, org: Organisation) -> QuerySet[Any]:
    """The people holding an appointment in force at the period's end."""
    return Person.objects.filter(pk__in=active(org, period.end).values("person_id")).order_by("name")


def covered(period: Period, org: Organisation) -> tuple[int, int]:
    schools = public_schools(org)
    return (schools.filter(pk__in=active(org, period.end).values("school_id")).count(), schools.count())


describe_group("demo_schools", _("Rule-of-law model schools"))
describe_group("legal_vp", _("Legal vice-principals"))
describe_group("special_school", _("Special school"))
describe_group("legal_education", _("Law education in schools"))

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


# Demonstration schools and legal education --------------------------------------------------

def _year(period: Period) -> int:
    return period.start.year


def _entries(kind: str, **flt: Any):  # type: ignore[no-untyped-def]
    from .models import ContestEntry

    def records(period: Period, org: Organisation) -> QuerySet[Any]:
        return ContestEntry.objects.filter(kind=kind, year=_year(period), school__organisation__path__startswith=org.path,
                                           **flt)
    return records


def _adopted(period: Period, org: Organisation) -> QuerySet[Any]:
    from .models import DemoApplication

    return DemoApplication.objects.filter(school__organisation__path__startswith=org.path,
                                          case_adopted_on__gte=period.start, case_adopted_on__lte=period.end)


def _materials_passed(period: Period, org: Organisation) -> QuerySet[Any]:
    from .models import DemoApplication

    return DemoApplication.objects.filter(school__organisation__path__startswith=org.path,
                                          materials_passed_on__gte=period.start, materials_passed_on__lte=period.end)


def _dual_courses(period: Period, org: Organisation) -> QuerySet[Any]:
    from .models import Course

    return Course.objects.filter(organisation__path__startswith=org.path, added_on__lte=period.end).exclude(officer="")


QUIZ = "宪法知识网络答题"


def _quiz(period: Period, org: Organisation) -> tuple[int, int]:
    from django.db.models import Sum

    from .models import QuizParticipation

    agg = QuizParticipation.objects.filter(campaign=QUIZ, year=_year(period),
                                           school__organisation__path__startswith=org.path).aggregate(
        p=Sum("participants"), e=Sum("enrolled"))
    return int(agg["p"] or 0), int(agg["e"] or 0)


for key, title, word, definition, records in (
    ("demo_schools.cases_adopted", _("Demonstration-school cases adopted by the city"), "个",
     _("Schools whose rule-of-law case the city bureau adopted in the period."), _adopted),
    ("demo_schools.passed_material_review", _("Demonstration-school applications past the material review"), "所",
     _("Applications that passed the material review in the period."), _materials_passed),
    ("legal_education.courses.dual_teacher", _("Dual-teacher courses"), "门",
     _("Teacher + police (or judicial) officer courses in the catalogue at the period's end."), _dual_courses),
    ("legal_education.contest.city_finalists", _("Students in the city final of the constitution contest"), "名",
     _("Entries of the year in the city final of the national constitution contest."),
     _entries("constitution", finalist=True)),
    ("legal_education.contest.first_prizes", _("Constitution contest: city first prizes"), "个",
     _("City first prizes of the year in the national constitution contest."), _entries("constitution", award="first")),
    ("legal_education.contest.second_prizes", _("Constitution contest: city second prizes"), "个",
     _("City second prizes of the year in the national constitution contest."),
     _entries("constitution", award="second")),
    ("legal_education.comics.submissions", _("Comics contest entries"), "件",
     _("Entries of the year from the district's students in the rule-of-law comics contest."), _entries("comics")),
    ("legal_education.comics.forwarded", _("Comics forwarded to the city round"), "件",
     _("Comics contest entries of the year forwarded to the city round."), _entries("comics", forwarded=True)),
    ("legal_education.comics.second_prizes", _("Comics contest: city second prizes"), "个",
     _("City second prizes of the year in the comics contest."), _entries("comics", award="second")),
    ("legal_education.comics.third_prizes", _("Comics contest: city third prizes"), "个",
     _("City third prizes of the year in the comics contest."), _entries("comics", award="third")),
    ("legal_education.course_competition.teachers", _("Teachers in the city course competition"), "名",
     _("Teachers entered in the year's city rule-of-law course competition."), _entries("course")),
    ("legal_education.course_competition.first_prizes", _("Course competition: first prizes"), "个",
     _("First prizes of the year in the city course competition."), _entries("course", award="first")),
):
    register(Metric(key=key, title=title, measure_word=word, definition=definition,
                    count=(lambda r: lambda p, o: r(p, o).count())(records), records=records))

register(Metric(key="legal_education.constitution_quiz.participants", title=_("Constitution quiz participants"),
                measure_word="人", definition=_("Students who took the year's online constitution quiz (schools' returns)."),
                count=lambda p, o: _quiz(p, o)[0]))
register(Metric(key="legal_education.constitution_quiz.participation_rate", title=_("Constitution quiz participation"),
                decimals=2, empty=_("no returns"),
                definition=_("Participants ÷ enrolled students of the schools that returned figures."), rate=_quiz))
