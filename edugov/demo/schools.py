"""Legal vice-principals of the demo district: every public school covered from September 2024,
at most two schools a person, the classes they taught and the schools' evaluations."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.utils import timezone

from edugov.accounts.models import Organisation, User
from edugov.registries.models import Person, PersonKind, School
from edugov.schools import actions

TOPICS = ["预防校园欺凌", "未成年人保护法解读", "网络安全与防诈骗", "宪法知识", "交通安全与法律责任", "预防未成年人犯罪"]


def generate(rng: random.Random, bureau: Organisation, users: dict[str, User], tick: Callable[[int], None],
             today: dt.date) -> dict[str, int]:
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
            hours = 0
            day = dt.date(year, 10, 8)
            while hours < 4 and day < today:
                n = rng.choice([1, 2])
                actions.log_class(actor=None, appointment=a, on=day, topic=rng.choice(TOPICS),
                                  class_name=f"{rng.randint(1, 6)}年级{rng.randint(1, 8)}班", hours=n,
                                  at=timezone.make_aware(dt.datetime(day.year, day.month, day.day, 16)))
                hours += n
                day += dt.timedelta(days=rng.randint(30, 70))
            if dt.date(year + 1, 7, 10) < today:
                actions.evaluate(actor=None, appointment=a, school_year=year,
                                 scores={k: rng.randint(85, 100) for k in ("staff", "students", "parents")},
                                 comment="按时到校授课，协助学校开展法治教育和矛盾纠纷化解，师生评价良好。",
                                 at=timezone.make_aware(dt.datetime(year + 1, 7, 10, 10)))
        made += 1
        tick(1)
    return {"legal_vp_appointments": made}


def special_school(rng: random.Random, bureau: Organisation, password: str, today: dt.date) -> dict[str, int]:
    """58 students released from the special school between May and December 2024, followed up
    every three months since, none reoffending; a dozen in correction now."""
    from edugov.accounts import actions as account_actions
    from edugov.accounts.models import Role
    from edugov.registries.models import SchoolLevel
    from edugov.schools import special

    from . import names

    school = School.objects.get(organisation__path__startswith=bureau.path, level=SchoolLevel.SPECIAL_SCHOOL)
    staff = account_actions.staff_create(actor=None, username="special", full_name=f"{school.name}·管理员",
                                         password=password, grants=[(Role.SCHOOL_ADMIN, school.organisation)])
    released = 0
    for i in range(70):
        admitted = dt.date(2023, 9, 1) + dt.timedelta(days=rng.randint(0, 200)) if i < 58 else \
            today - dt.timedelta(days=rng.randint(30, 300))
        case = special.admit(actor=staff, school=school, student_name=rng.choice(names.SURNAMES) + rng.choice(names.GIVEN),
                             admitted_on=admitted, assigned=[staff],
                             at=timezone.make_aware(dt.datetime(admitted.year, admitted.month, admitted.day, 9)))
        if i >= 58:
            continue
        out = dt.date(2024, 5, 20) if i == 0 else dt.date(2024, rng.randint(5, 12), rng.randint(21, 28))
        special.release(actor=staff, case=case, on=out, at=timezone.make_aware(dt.datetime(out.year, out.month, out.day, 15)))
        released += 1
        visit = out + dt.timedelta(days=90)
        while visit < today:
            special.follow_up(actor=staff, case=case, on=visit, method=rng.choice(["家访", "电话回访", "到校了解"]),
                              note="学习生活正常，行为习惯保持良好，家长反映亲子关系改善。",
                              at=timezone.make_aware(dt.datetime(visit.year, visit.month, visit.day, 10)))
            visit += dt.timedelta(days=90)
    return {"special_school_released": released}


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
