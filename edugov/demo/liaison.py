"""The demo district's leaders' areas and departments' linked schools (领导包片、科室联校, issue 31):
five leaders cover the schools in five areas and six departments are linked to them; in 2024 the
leaders visited most of their schools each term and each department each of its schools once; a
visit that found something opened a rectification, closed by the school. This term's visits so far
are placed before today, and the schools not yet visited are listed on the page."""

from __future__ import annotations

import datetime as dt
import random

from edugov.accounts.models import Organisation, OrgKind, User
from edugov.kernel.calendar import school_term
from edugov.oversight import liaison, screening
from edugov.oversight.models import LiaisonKind
from edugov.registries.models import School

from .clock import HISTORY_END, Live, aware, day_between

AREAS = [("城区一片", "陈明（主任）"), ("城区二片", "刘华（副主任）"), ("北部片区", "张伟（副主任）"),
         ("南部片区", "杨帆（纪检组长）"), ("东部片区", "周敏（副主任）")]
LINKED = ["policy", "supervision", "basic", "private", "safety", "approval"]
CHECKED = ["校园安全和食堂管理", "课后服务和收费公示", "法治副校长履职和法治课", "矛盾纠纷排查台账", "章程执行和依法治校"]
FOUND = ["消防通道堆放杂物", "收费公示未更新", "门卫登记不完整", "食堂留样记录缺页", "风险台账未按月填报"]


def _schools(bureau: Organisation) -> list[School]:
    return list(School.objects.filter(organisation__path__startswith=bureau.path).order_by("pk"))


def _visit(rng: random.Random, link: object, school: School, day: dt.date, who: str, clerk: User,
           close_by: dt.date | None, now: dt.datetime | None = None) -> None:
    at = aware(day, 15) if now is None else min(aware(day, 15), now)
    found = rng.choice(FOUND) if rng.random() < 0.05 else ""
    visit = liaison.liaison_visit(actor=clerk, liaison=link, school=school, visited_on=day, visitors=who,  # type: ignore[arg-type]
                                  checked=rng.choice(CHECKED), found=found, at=at)
    if visit.patrol is not None and close_by is not None:
        closed = day + dt.timedelta(days=rng.randint(2, 6))
        if closed <= close_by:
            screening.close_rectification(actor=None, item=visit.patrol.rectification, note="已整改到位，学校报送整改照片",
                                          on=closed, at=aware(closed, 16))


def history(rng: random.Random, bureau: Organisation, users: dict[str, User]) -> dict[str, int]:
    clerk = users["supervision"]
    schools = _schools(bureau)
    depts = {o.code.split("-", 1)[1]: o for o in Organisation.objects.filter(parent=bureau, kind=OrgKind.DEPARTMENT)}
    since = dt.date(2024, 1, 2)
    areas = [liaison.liaison_create(actor=clerk, organisation=bureau, kind=LiaisonKind.AREA, name=name, holder=holder,
                                    schools=schools[i::len(AREAS)], since=since, at=aware(since, 10))
             for i, (name, holder) in enumerate(AREAS)]
    links = [liaison.liaison_create(actor=clerk, organisation=bureau, kind=LiaisonKind.DEPARTMENT,
                                    name=f"{depts[key].name}联系学校", department=depts[key],
                                    schools=schools[i::len(LINKED)], since=since, at=aware(since, 10))
             for i, key in enumerate(LINKED)]
    visits = 0
    for term_start, term_end in (school_term(dt.date(2024, 3, 1)), school_term(dt.date(2024, 10, 1))):
        last = min(term_end, dt.date(2024, 12, 31))
        for area in areas:
            for school in area.schools.order_by("pk"):
                if rng.random() < 0.7:
                    _visit(rng, area, school, day_between(rng, term_start, last), area.holder, clerk, HISTORY_END)
                    visits += 1
    for link in links:
        for school in link.schools.order_by("pk"):
            _visit(rng, link, school, day_between(rng, dt.date(2024, 3, 1), dt.date(2024, 12, 20)),
                   f"{link.holder}工作人员", clerk, HISTORY_END)
            visits += 1
    return {"liaison_visits": visits}


def live(rng: random.Random, bureau: Organisation, users: dict[str, User], now: Live) -> dict[str, int]:
    """This term so far: the leaders have visited some of their schools, the departments a few."""
    clerk = users["supervision"]
    term_start, _term_end = school_term(now.today)
    first, last = max(term_start, now.since), now.today - dt.timedelta(days=1)
    if last < first:
        return {}
    share = min(1.0, (last - first).days / 150)
    visits = 0
    from edugov.oversight.models import Liaison

    for link in Liaison.objects.filter(organisation=bureau, until__isnull=True).order_by("kind", "pk"):
        chance = (0.6 if link.kind == LiaisonKind.AREA else 0.25) * share
        who = link.holder if link.kind == LiaisonKind.AREA else f"{link.holder}工作人员"
        for school in link.schools.order_by("pk"):
            if rng.random() < chance:
                day = day_between(rng, first, last)
                _visit(rng, link, school, day, who, clerk, close_by=last - dt.timedelta(days=3),
                       now=now.not_after(now.now))
                visits += 1
    return {"liaison_visits_live": visits}
