"""Legal vice-principals of the demo district: every public school covered from September 2024,
at most two schools a person, the classes they taught and the schools' evaluations."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from edugov.accounts.models import Organisation, User
from edugov.registries.models import Person, PersonKind, School
from edugov.schools import actions

from .clock import HISTORY_END, aware

TOPICS = ["预防校园欺凌", "未成年人保护法解读", "网络安全与防诈骗", "宪法知识", "交通安全与法律责任", "预防未成年人犯罪"]


def history(rng: random.Random, bureau: Organisation, users: dict[str, User], tick: Callable[[int], None]) -> dict[str, int]:
    """156 people appointed from September 2024, covering every public school; their classes and
    evaluations up to the history's end."""
    staff = users["staff.basic"]
    people = list(Person.objects.filter(kind=PersonKind.LEGAL_VP, organisation__path__startswith=bureau.path)
                  .order_by("pk"))
    schools = list(School.objects.filter(organisation__path__startswith=bureau.path, is_private=False).order_by("code"))
    twice = max(0, len(schools) - len(people))  # so that every public school has one, none more than two
    plan = [p for i, p in enumerate(people) for _ in range(2 if i < twice else 1)][:len(schools)]
    school_a = School.objects.get(organisation=users["lvp"].grants.first().organisation)
    schools.sort(key=lambda s: s.pk != school_a.pk)  # the demo's `lvp` account is the first person, at school_a
    first = plan[0]
    first.name, first.user = "何勇", users["lvp"]
    first.save(update_fields=["name", "user"])
    start = dt.date(2024, 9, 1)
    made = 0
    for person, school in zip(plan, schools, strict=False):
        a = actions.appoint(actor=staff, person=person, school=school, starts_on=start,
                            at=timezone.make_aware(dt.datetime(2024, 8, 26, 10)))
        for year in (2024, 2025):
            _teach(rng, a, year, dt.date(year, 10, 8), 0, HISTORY_END)
        made += 1
        tick(1)
    return {"legal_vp_appointments": made}


def live(rng: random.Random, bureau: Organisation, today: dt.date) -> dict[str, int]:
    """Each school year's classes and evaluations from the history's end to today, continuing
    where the history stopped (a school year's four hours, then its evaluation in July)."""
    from edugov.schools.models import Appointment, ClassSession, school_year_of

    _renew_terms(bureau, today)
    made = 0
    for a in Appointment.objects.filter(school__organisation__path__startswith=bureau.path).order_by("pk"):
        for year in range(2025, school_year_of(today) + 1):
            done = list(ClassSession.objects.filter(appointment=a, school_year=year).order_by("on"))
            hours = int(sum(c.hours for c in done))
            start = (done[-1].on + dt.timedelta(days=rng.randint(30, 70))) if done else dt.date(year, 10, 8)
            made += _teach(rng, a, year, max(start, HISTORY_END + dt.timedelta(days=1)), hours, today)
    return {"legal_vp_classes_live": made}


def _renew_terms(bureau: Organisation, today: dt.date) -> None:
    """A term that has ended is followed by a new one from the next day, letter issued two weeks
    before: the same person where the rules allow (age, at most two schools), else the first one
    in the register who fits."""
    from edugov.accounts.models import User
    from edugov.kernel.errors import EdugovError
    from edugov.schools.models import Appointment

    staff = User.objects.get(username="staff.basic")
    people = list(Person.objects.filter(kind=PersonKind.LEGAL_VP, organisation__path__startswith=bureau.path)
                  .order_by("pk"))
    ended = (Appointment.objects.filter(school__organisation__path__startswith=bureau.path, ended_on__isnull=True,
                                        ends_on__lt=today).select_related("person", "school").order_by("pk"))
    for a in ended:
        if Appointment.objects.filter(replaces=a).exists():
            continue
        for person in [a.person, *people]:
            try:
                actions.appoint(actor=staff, person=person, school=a.school, starts_on=a.ends_on + dt.timedelta(days=1),
                                replaces=a, at=aware(a.ends_on - dt.timedelta(days=14), 10))
                break
            except EdugovError:
                continue


def _teach(rng: random.Random, a: Any, year: int, day: dt.date, hours: int, until: dt.date) -> int:
    """Classes from `day` until the school year's four hours are taught or `until` is reached; the
    school's evaluation on 10 July when that is before `until`. Returns the classes logged."""
    from edugov.schools.models import Evaluation

    made = 0
    while hours < 4 and day < until and a.active_on(day):
        n = rng.choice([1, 2])
        actions.log_class(actor=None, appointment=a, on=day, topic=rng.choice(TOPICS),
                          class_name=f"{rng.randint(1, 6)}年级{rng.randint(1, 8)}班", hours=n, at=aware(day, 16))
        hours += n
        made += 1
        day += dt.timedelta(days=rng.randint(30, 70))
    evaluated_on = dt.date(year + 1, 7, 10)
    if (evaluated_on < until and a.active_on(evaluated_on)
            and not Evaluation.objects.filter(appointment=a, school_year=year).exists()):
        actions.evaluate(actor=None, appointment=a, school_year=year,
                         scores={k: rng.randint(85, 100) for k in ("staff", "students", "parents")},
                         comment="按时到校授课，协助学校开展法治教育和矛盾纠纷化解，师生评价良好。", at=aware(evaluated_on, 10))
    return made


def special_school(rng: random.Random, bureau: Organisation, password: str) -> dict[str, int]:
    """58 students released from the special school between May and December 2024, followed up
    every three months since, none reoffending (the follow-ups up to the history's end)."""
    from edugov.accounts import actions as account_actions
    from edugov.accounts.models import Role
    from edugov.schools import special

    from . import names

    school = _special_school(bureau)
    staff = account_actions.staff_create(actor=None, username="special", full_name=f"{school.name}·管理员",
                                         password=password, grants=[(Role.SCHOOL_ADMIN, school.organisation)])
    released = 0
    for i in range(58):
        admitted = dt.date(2023, 9, 1) + dt.timedelta(days=rng.randint(0, 200))
        case = special.admit(actor=staff, school=school, student_name=rng.choice(names.SURNAMES) + rng.choice(names.GIVEN),
                             admitted_on=admitted, assigned=[staff], at=aware(admitted, 9))
        out = dt.date(2024, 5, 20) if i == 0 else dt.date(2024, rng.randint(5, 12), rng.randint(21, 28))
        special.release(actor=staff, case=case, on=out, at=aware(out, 15))
        released += 1
        _follow_up(rng, staff, case, out + dt.timedelta(days=90), HISTORY_END)
    return {"special_school_released": released}


def special_school_live(rng: random.Random, bureau: Organisation, today: dt.date) -> dict[str, int]:
    """A dozen students in correction now, admitted over the last ten months; the released ones'
    quarterly follow-ups since the history's end."""
    from edugov.accounts.models import User
    from edugov.schools import special
    from edugov.schools.models import CorrectionCase

    from . import names

    school, staff = _special_school(bureau), User.objects.get(username="special")
    for case in CorrectionCase.objects.filter(school=school, released_on__isnull=False).order_by("pk"):
        assert case.released_on is not None  # noqa: S101 - the query asks for released cases
        visit = case.released_on + dt.timedelta(days=90)
        while visit <= HISTORY_END:
            visit += dt.timedelta(days=90)
        _follow_up(rng, staff, case, visit, today)
    for _ in range(12):
        admitted = today - dt.timedelta(days=rng.randint(30, 300))
        special.admit(actor=staff, school=school, student_name=rng.choice(names.SURNAMES) + rng.choice(names.GIVEN),
                      admitted_on=admitted, assigned=[staff], at=aware(admitted, 9))
    return {"special_school_in_correction": 12}


def _special_school(bureau: Organisation) -> School:
    from edugov.registries.models import SchoolLevel

    return School.objects.get(organisation__path__startswith=bureau.path, level=SchoolLevel.SPECIAL_SCHOOL)


def _follow_up(rng: random.Random, staff: User, case: Any, visit: dt.date, until: dt.date) -> None:
    """Every three months from `visit` while before `until`."""
    from edugov.schools import special

    while visit < until:
        special.follow_up(actor=staff, case=case, on=visit, method=rng.choice(["家访", "电话回访", "到校了解"]),
                          note="学习生活正常，行为习惯保持良好，家长反映亲子关系改善。", at=aware(visit, 10))
        visit += dt.timedelta(days=90)


def education(rng: random.Random, bureau: Organisation, users: dict[str, User]) -> dict[str, int]:
    """2024's demonstration-school applications, courses, the constitution quiz returns (imported
    from an XLSX file as schools send them) and the contests' entries and awards."""
    import io

    from openpyxl import Workbook

    from edugov.registries.models import SchoolLevel
    from edugov.schools import education as edu
    from edugov.schools.metrics import QUIZ

    staff = users["staff.basic"]
    at = timezone.make_aware(dt.datetime(2024, 3, 15, 10))
    primaries = list(School.objects.filter(organisation__path__startswith=bureau.path, level=SchoolLevel.PRIMARY,
                                           is_private=False).order_by("code"))
    apps = [edu.demo_apply(actor=staff, school=s, year=2024, at=at,
                           case_title=case) for s, case in zip(primaries[2:7], [
                               "“三色”调解员化解家校纠纷", "学生自治委员会参与校规修订", "法治副校长进课堂十分钟", "", ""],
                                                               strict=True)]
    for a in (apps[0], apps[3], apps[4]):  # past the material review this year
        edu.demo_advance(actor=staff, application=a, passed=True, on=dt.date(2024, 11, 20), at=at)
    for a in apps[:3]:  # their cases adopted by the city bureau
        edu.demo_case_adopted(actor=staff, application=a, on=dt.date(2024, 10, 12), at=at)
    for title, officer in (("预防校园欺凌", "派出所民警"), ("认识未成年人保护法", "检察官"), ("网络安全与反诈", "派出所民警"),
                           ("宪法与我们的生活", ""), ("校园安全知多少", "")):
        edu.add_course(actor=staff, organisation=bureau, title=title, teacher="道德与法治教师", officer=officer,
                       added_on=dt.date(2024, 3, 1))
    # the quiz: 170,078 of 170,112 enrolled students in the schools that returned figures
    schools = list(School.objects.filter(organisation__path__startswith=bureau.path)
                   .exclude(level=SchoolLevel.KINDERGARTEN).order_by("code"))
    total, shortfall = 170112, 34
    weights = [max(1, s.enrolled_students) for s in schools]
    enrolled = [total * w // sum(weights) for w in weights]
    enrolled[0] += total - sum(enrolled)
    book = Workbook()
    sheet = book.active
    sheet.append(["学校代码", "参与人数", "在校学生数"])
    for i, (school, n) in enumerate(zip(schools, enrolled, strict=True)):
        sheet.append([school.code, n - (1 if i < shortfall else 0), n])
    buf = io.BytesIO()
    book.save(buf)
    edu.import_quiz(actor=staff, organisation=bureau, campaign=QUIZ, year=2024, data=buf.getvalue())
    # contests
    pick = list(School.objects.filter(organisation__path__startswith=bureau.path,
                                      level__in=[SchoolLevel.PRIMARY, SchoolLevel.JUNIOR, SchoolLevel.SENIOR]))
    from . import names

    def entrant() -> str:
        return rng.choice(names.SURNAMES) + rng.choice(names.GIVEN)
    for i in range(6):
        edu.add_entry(actor=staff, kind="constitution", year=2024, school=rng.choice(pick), entrant=entrant(),
                      finalist=True, award="first" if i < 3 else "second")
    for i in range(1204):
        award = "second" if i < 4 else "third" if i < 19 else ""
        edu.add_entry(actor=staff, kind="comics", year=2024, school=rng.choice(pick), entrant=entrant(),
                      title="法治漫画", forwarded=i < 40, award=award)
    for i in range(2):
        edu.add_entry(actor=staff, kind="course", year=2024, school=rng.choice(pick), entrant=entrant() + "老师",
                      title="法治课例", award="first" if i == 0 else "")
    return {"comics_entries": 1204}
