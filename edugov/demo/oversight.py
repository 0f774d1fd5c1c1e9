"""The demo district's open-government and study registers for 2024 (and this year so far)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.utils import timezone

from edugov.accounts.models import Organisation, User
from edugov.kernel.calendar import month_start
from edugov.leadership import actions as leadership
from edugov.oversight import actions
from edugov.registries.models import School

from .clock import Live, aware, day_between

# 183 items published in 2024 (180余条): 177 entered in the register for the website's, WeChat's and the
# media's posts, and 6 the portal published itself and announced (legality: 3 normative documents, 2
# major decisions, the catalogue), counted from the same register (kernel.publishing.announce)
PUBLISHED_2024, INQUIRIES_2024, SOLVED_2024, LECTURES_2024 = 177, 306, 34, 600
CATEGORIES = ["通知公告", "招生入学", "政策解读", "财政预决算", "人事信息", "督导动态"]
# who gave the lectures: the bureau's leaders in turn (所有委领导深入学校宣讲), then the legal office
LECTURERS = ["陈明（党委书记、主任）", "刘华（副主任）", "张伟（副主任）", "杨帆（纪检组长）", "政策法规科"]
ASKED = ["入学报名材料", "转学手续", "校车安排", "课后服务收费", "教师资格认定", "民办学校退费"]


def _day(rng: random.Random, year: int) -> dt.date:
    return dt.date(year, rng.randint(1, 12), rng.randint(1, 28))


def history(rng: random.Random, bureau: Organisation, users: dict[str, User]) -> dict[str, int]:
    """2024's registers in the report's numbers."""
    _registers(rng, bureau, users["staff.basic"], 1.0, lambda: _day(rng, 2024), lambda: _day(rng, 2024))
    return {"lectures_2024": LECTURES_2024}


def live(rng: random.Random, bureau: Organisation, users: dict[str, User], now: Live) -> dict[str, int]:
    """Half a year's worth of the registers, spread from the history's end to today (answers at most today)."""
    first, last = now.since, now.today
    _registers(rng, bureau, users["staff.basic"], 0.5, lambda: day_between(rng, first, last),
               lambda: day_between(rng, first, max(first, last - dt.timedelta(days=2))))
    return {"lectures_live": int(LECTURES_2024 * 0.5)}


def _registers(rng: random.Random, bureau: Organisation, clerk: User, scale: float,
               day: Callable[[], dt.date], asked: Callable[[], dt.date]) -> None:
    for i in range(int(PUBLISHED_2024 * scale)):
        heading, category, published_on = rng.choice(CATEGORIES), rng.choice(CATEGORIES), day()  # drawn in this order
        actions.add_publication(actor=clerk, organisation=bureau, title=f"{heading}（{published_on.year}-{i + 1:03d}）",
                                category=category, published_on=published_on,
                                channel=rng.choice(["website", "wechat", "notice"]))
    solved = set(rng.sample(range(int(INQUIRIES_2024 * scale)), int(SOLVED_2024 * scale)))
    for i in range(int(INQUIRIES_2024 * scale)):
        received = asked()
        if received.year == 2024 and received.month == 12 and received.day > 25:
            received = received.replace(day=20)  # answered within the year
        actions.add_inquiry(actor=clerk, organisation=bureau, received_on=received, channel=rng.choice(
            ["media", "wechat", "hotline"]), summary=f"咨询{rng.choice(ASKED)}", answered_on=received + dt.timedelta(days=2),
            problem_solved=i in solved)
    # the lectures are the leadership's records (issue 31); drawn here, in the same order as before
    schools = list(School.objects.filter(organisation__path__startswith=bureau.path, is_private=False).order_by("pk"))
    for i in range(int(LECTURES_2024 * scale)):
        held_on = day()
        title = rng.choice(["习近平法治思想进校园", "党的二十届三中全会精神宣讲", "宪法宣传周专题讲座"])
        school = schools[(rng.randint(1, 239) - 1) % len(schools)]
        leadership.lecture_add(actor=clerk, organisation=bureau, held_on=held_on, title=title, school=school,
                               given_by=LECTURERS[i % len(LECTURERS)], audience=rng.randint(80, 600),
                               at=min(aware(held_on, 16), timezone.now()))


def screening(rng: random.Random, bureau: Organisation, users: dict[str, User], live: Live) -> dict[str, int]:
    """Patrols of the last four weeks with a few findings (some rectified), last month's risk
    ledgers from all but a few schools with the bureau's countermeasures."""
    from edugov.oversight import screening as s
    from edugov.registries.models import School

    office = users["supervision"]
    schools = list(School.objects.filter(organisation__path__startswith=bureau.path).order_by("code"))
    admin = users["school1"]
    school_a = School.objects.get(organisation=admin.grants.first().organisation)
    for n in range(40):
        day = live.today - dt.timedelta(days=rng.randint(1, 27))
        school = school_a if n < 2 else rng.choice(schools)
        finding = rng.choice(["校门口上下学时段无人值守", "消防通道堆放杂物", "食堂留样记录不全"]) if n < 2 or rng.random() < 0.15 else ""
        record = s.patrol(actor=office, school=school, on=day, checked=rng.choice(["校园安全", "食堂管理", "课后服务"]),
                          finding=finding)
        if finding and school != school_a and rng.random() < 0.5:
            s.close_rectification(actor=None, item=record.rectification, note="已整改到位",
                                  on=min(day + dt.timedelta(days=3), live.today))
    month = month_start(live.today, -1)
    for school in schools[3:]:  # three schools have not submitted: the bureau chases them
        items = [] if rng.random() < 0.8 else [{"category": rng.choice(["校园欺凌", "家校纠纷", "安全隐患"]),
                                                 "level": rng.choice(["low", "medium", "high"]), "people": "学生及家长",
                                                 "measures": "已约谈并持续跟进", "responsible": "分管副校长"}]
        if school == school_a:
            items = [{"category": "家校纠纷", "level": "high", "people": "3名家长", "measures": "已组织沟通",
                      "responsible": "德育主任"}]
        s.submit_ledger(actor=None, school=school, month=month, items=items)
    s.chase(actor=office, bureau=bureau, month=month)  # the three missing schools are reminded
    from edugov.oversight.models import RiskItem

    high = list(RiskItem.objects.filter(ledger__month=month, level="high"))
    s.analyse(actor=office, bureau=bureau, month=month, countermeasures={i.pk: "法治副校长参与调解，每周报告进展" for i in high})
    return {"patrols": 40}


def decisions_2024(bureau: Organisation, users: dict[str, User]) -> None:
    """2024's 三重一大 register: a decision a month and its execution."""
    from edugov.legality.models import MajorDecision
    from edugov.oversight import screening as s

    head = users["leader"]
    # the two major administrative decisions of 2024 were decided at the May and September meetings
    major = {4 + 4 * k: m for k, m in enumerate(MajorDecision.objects.filter(organisation=bureau, year=2024)
                                                .select_related("case").order_by("id"))}
    for n in range(12):
        category = ["decision", "personnel", "project", "funds"][n % 4]
        linked = major.get(n)
        d = s.register_decision(actor=head, organisation=bureau, category=category, major_decision=linked.case if linked
                                else None,
                                matter=linked.title if linked else
                                ["年度招生工作方案", "中层干部任免", "校舍维修改造项目", "教育装备采购"][n % 4] + f"（{n + 1}）",
                                meeting="区教委主任办公会", met_on=dt.date(2024, 1 + n, 10), legal_opinion="经法律顾问审查，程序合法。",
                                decision="同意", fair_competition="不含排除、限制竞争内容" if category in ("project", "funds") else "")
        s.record_execution(actor=head, item=d, on=dt.date(2024, 1 + n, 25), execution="已按决定执行。")
