"""The legal_vp.* figures of FIGURES-2024.md, counted from appointments."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from edugov.accounts.models import Organisation
from edugov.metrics.registry import Metric, Period, describe_group, register
from edugov.registries.models import Person

from .models import MIN_HOURS_PER_SCHOOL_YEAR, AppointmentKind
from .selectors import active, public_schools


def appointed(period: Period, org: Organisation) -> QuerySet[Any]:
    """The people holding an appointment in force at the period's end."""
    return Person.objects.filter(pk__in=active(org, period.end).values("person_id")).order_by("name")


def covered(period: Period, org: Organisation) -> tuple[int, int]:
    schools = public_schools(org)
    return (schools.filter(pk__in=active(org, period.end).filter(kind=AppointmentKind.VICE_PRINCIPAL)
                           .values("school_id")).count(), schools.count())


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


# ---- schools.charters.* and home_school.* (issue 32): the school's own rule of law ---------------

def _schools_of(org: Organisation) -> QuerySet[Any]:
    from edugov.registries.models import School

    return School.objects.filter(organisation__path__startswith=org.path)


def counsellors(period: Period, org: Organisation) -> QuerySet[Any]:
    return Person.objects.filter(pk__in=active(org, period.end).filter(kind=AppointmentKind.COUNSELLOR)
                                 .values("person_id")).order_by("name")


def _revisions(field: str) -> Any:
    def records(period: Period, org: Organisation) -> QuerySet[Any]:
        from .models import CharterRevision

        return CharterRevision.objects.filter(school__organisation__path__startswith=org.path,
                                              **{f"{field}__gte": period.start, f"{field}__lte": period.end}
                                              ).select_related("school")
    return records


def lessons(period: Period, org: Organisation) -> QuerySet[Any]:
    from .models import Lesson

    return Lesson.objects.filter(school__organisation__path__startswith=org.path, held_on__gte=period.start,
                                 held_on__lte=period.end).select_related("school")


def lesson_terms(period: Period) -> list[Any]:
    """The terms that begin in the period (a year: its spring and its autumn term)."""
    import datetime as dt

    from edugov.kernel.calendar import school_term

    starts, day = [], period.start
    while day <= period.end:
        start = school_term(day)[0]
        if start >= period.start and start not in starts:
            starts.append(start)
        day += dt.timedelta(days=28)
    return starts


def schools_meeting_minimum(period: Period, org: Organisation) -> QuerySet[Any]:
    """Schools that gave at least the minimum of lessons in each term beginning in the period."""
    from django.db.models import Count

    from .governance import LESSONS_PER_TERM
    from .models import Lesson

    terms = lesson_terms(period)
    qs = _schools_of(org)
    for start in terms:
        enough = (Lesson.objects.filter(school__organisation__path__startswith=org.path, term_start=start)
                  .values("school").annotate(n=Count("pk")).filter(n__gte=LESSONS_PER_TERM).values("school"))
        qs = qs.filter(pk__in=enough)
    return qs.order_by("name") if terms else qs.none()


def weeks(period: Period, org: Organisation) -> QuerySet[Any]:
    from .models import ConstitutionWeek

    return ConstitutionWeek.objects.filter(school__organisation__path__startswith=org.path,
                                           year__gte=period.start.year, year__lte=period.end.year).select_related("school")


describe_group("schools", _("Schools' own rule of law"))
register(Metric(key="schools.charters.counsellors", title=_("Legal counsellors appointed"), measure_word="名",
                definition=_("Legal counsellors (法治辅导员) holding an appointment in force at the period's end."),
                count=lambda p, o: counsellors(p, o).count(), records=counsellors))
register(Metric(key="schools.charters.revisions_submitted", title=_("Charter revisions submitted"), measure_word="份",
                definition=_("Revisions of schools' charters submitted to the bureau in the period."),
                count=lambda p, o: _revisions("submitted_on")(p, o).count(), records=_revisions("submitted_on")))
register(Metric(key="schools.charters.approved", title=_("Charter revisions approved"), measure_word="份",
                definition=_("Revisions of schools' charters approved (核准) by the bureau in the period."),
                count=lambda p, o: _revisions("decided_on")(p, o).filter(status__in=("approved", "published")).count(),
                records=lambda p, o: _revisions("decided_on")(p, o).filter(status__in=("approved", "published"))))
register(Metric(key="schools.charters.revised_share", title=_("Schools with a charter revision approved"),
                decimals=1, empty=_("no school"),
                definition=_("Of the district's schools, the share whose charter revision the bureau approved in the "
                             "period (the 2025 plan asks every school to revise its charter)."),
                rate=lambda p, o: (_revisions("decided_on")(p, o).filter(status__in=("approved", "published"))
                                   .values("school").distinct().count(), _schools_of(o).count()),
                records=lambda p, o: _revisions("decided_on")(p, o).filter(status__in=("approved", "published"))))
register(Metric(key="schools.charters.published", title=_("Charters published after approval"), measure_word="份",
                definition=_("Approved charter revisions the schools published in the period."),
                count=lambda p, o: _revisions("published_on")(p, o).count(), records=_revisions("published_on")))
register(Metric(key="schools.charters.lessons", title=_("Rule-of-law lessons given"), measure_word="节",
                definition=_("Rule-of-law lessons the schools recorded in the period."),
                count=lambda p, o: lessons(p, o).count(), records=lessons))
register(Metric(key="schools.charters.lesson_minimum_rate", title=_("Schools giving two lessons a term"), decimals=1,
                empty=_("no term"),
                definition=_("Of the district's schools, the share that gave at least two rule-of-law lessons in "
                             "each term beginning in the period."),
                rate=lambda p, o: (schools_meeting_minimum(p, o).count(), _schools_of(o).count()),
                records=schools_meeting_minimum))
register(Metric(key="schools.charters.constitution_week_schools", title=_("Schools in the constitution week"),
                measure_word="所", definition=_("Schools that recorded their part in the constitution week (宪法宣传周) "
                                               "of the period's years."),
                count=lambda p, o: weeks(p, o).count(), records=weeks))
register(Metric(key="schools.charters.morning_reading_schools", title=_("Schools in the constitution morning reading"),
                measure_word="所", definition=_("Schools that took part in the constitution morning reading (宪法晨读)."),
                count=lambda p, o: weeks(p, o).filter(morning_reading=True).count(),
                records=lambda p, o: weeks(p, o).filter(morning_reading=True)))
register(Metric(key="schools.charters.constitution_week_participants", title=_("People in the constitution week"),
                measure_word="人次", definition=_("Students and teachers who took part in the schools' constitution "
                                                "week activities."),
                count=lambda p, o: int(weeks(p, o).aggregate(n=Sum("participants"))["n"] or 0), records=weeks))


def meetings(period: Period, org: Organisation) -> QuerySet[Any]:
    from .models import ParentMeeting

    return ParentMeeting.objects.filter(school__organisation__path__startswith=org.path, held_on__gte=period.start,
                                        held_on__lte=period.end).select_related("school")


def opinions(period: Period, org: Organisation) -> QuerySet[Any]:
    from .models import ParentOpinion

    return ParentOpinion.objects.filter(school__organisation__path__startswith=org.path,
                                        received_on__gte=period.start, received_on__lte=period.end
                                        ).select_related("school")


def _answered(period: Period, org: Organisation) -> QuerySet[Any]:
    return opinions(period, org).exclude(answered_on=None)


describe_group("home_school", _("Home-school communication"))
register(Metric(key="home_school.meetings", title=_("Meetings with families"), measure_word="次",
                definition=_("Meetings with families the schools held in the period (家长会, 家委会, 家长学校, open days)."),
                count=lambda p, o: meetings(p, o).count(), records=meetings))
register(Metric(key="home_school.families_present", title=_("Families at the meetings"), measure_word="人次",
                definition=_("Families present at the period's meetings."),
                count=lambda p, o: int(meetings(p, o).aggregate(n=Sum("attended"))["n"] or 0), records=meetings))
register(Metric(key="home_school.schools_meeting", title=_("Schools that met families"), measure_word="所",
                definition=_("Schools that held at least one meeting with families in the period."),
                count=lambda p, o: meetings(p, o).values("school").distinct().count(), records=meetings))
register(Metric(key="home_school.opinions", title=_("Opinions from families"), measure_word="条",
                definition=_("Opinions and suggestions from families the schools received in the period."),
                count=lambda p, o: opinions(p, o).count(), records=opinions))
register(Metric(key="home_school.opinions_answered", title=_("Opinions acted on"), measure_word="条",
                definition=_("Of the period's opinions, those the school answered with what it did."),
                count=lambda p, o: _answered(p, o).count(), records=_answered))
register(Metric(key="home_school.answer_rate", title=_("Opinions acted on (share)"), decimals=1, empty=_("no opinion"),
                definition=_("Of the period's opinions from families, the share the school answered."),
                rate=lambda p, o: (_answered(p, o).count(), opinions(p, o).count()), records=_answered))
