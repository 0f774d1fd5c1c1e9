"""The demo district's open-government and study registers for 2024 (and this year so far)."""

from __future__ import annotations

import datetime as dt
import random

from edugov.accounts.models import Organisation, User
from edugov.oversight import actions

PUBLISHED_2024, INQUIRIES_2024, SOLVED_2024, LECTURES_2024 = 183, 306, 34, 600
CATEGORIES = ["通知公告", "招生入学", "政策解读", "财政预决算", "人事信息", "督导动态"]
ASKED = ["入学报名材料", "转学手续", "校车安排", "课后服务收费", "教师资格认定", "民办学校退费"]


def _day(rng: random.Random, year: int, until: dt.date) -> dt.date:
    while True:
        day = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
        if day <= until:
            return day


def generate(rng: random.Random, bureau: Organisation, users: dict[str, User], today: dt.date) -> dict[str, int]:
    clerk = users["staff.basic"]
    for year, scale in ((2024, 1.0), (today.year, 0.5)):
        for i in range(int(PUBLISHED_2024 * scale)):
            actions.add_publication(actor=clerk, organisation=bureau, title=f"{rng.choice(CATEGORIES)}（{year}-{i + 1:03d}）",
                                    category=rng.choice(CATEGORIES), published_on=_day(rng, year, today),
                                    channel=rng.choice(["website", "wechat", "notice"]))
        solved = set(rng.sample(range(int(INQUIRIES_2024 * scale)), int(SOLVED_2024 * scale)))
        for i in range(int(INQUIRIES_2024 * scale)):
            day = _day(rng, year, today - dt.timedelta(days=3))
            if year == 2024 and day.month == 12 and day.day > 25:
                day = day.replace(day=20)  # answered within the year
            actions.add_inquiry(actor=clerk, organisation=bureau, received_on=day, channel=rng.choice(
                ["media", "wechat", "hotline"]), summary=f"咨询{rng.choice(ASKED)}", answered_on=day + dt.timedelta(days=2),
                problem_solved=i in solved)
        for _ in range(int(LECTURES_2024 * scale)):
            actions.add_lecture(actor=clerk, organisation=bureau, held_on=_day(rng, year, today),
                                title=rng.choice(["习近平法治思想进校园", "党的二十届三中全会精神宣讲", "宪法宣传周专题讲座"]),
                                place=f"第{rng.randint(1, 239)}号公办学校", audience=rng.randint(80, 600))
    return {"lectures_2024": LECTURES_2024}
