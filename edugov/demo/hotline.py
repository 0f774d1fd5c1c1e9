"""The supervision hotline's history for the demo district: 2024 from the hotline's opening in
March, and live cases this month in every state. Every case goes through the same actions staff
use; the petitions.* figures are then counted from these records, never typed in."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.utils import timezone

from edugov.accounts.models import Organisation, User
from edugov.cases import actions as engine
from edugov.petitions import actions
from edugov.petitions.models import Category, Hotline, Nature, Validity
from edugov.registries.models import Institution, School

from . import names

CATEGORIES = ["违规补课/有偿补课", "乱收费", "校园欺凌", "招生入学", "师德师风", "食品安全", "校园安全", "教师权益", "其他"]
INVALID_REASONS = ["不属于教育部门职责", "信息不全无法核实", "重复件", "咨询类，已当场答复"]
# How the 2024 intake is made up (the counts of the reference report come out of these records).
RECEIVED_2024, VALID_2024, OPEN_AT_YEAR_END = 282, 123, 2
DESCRIPTIONS = {
    "违规补课/有偿补课": "反映周末在校外场所组织学科类补课，按课时收费。",
    "乱收费": "反映学校以资料费名义向学生收取费用。",
    "校园欺凌": "家长反映孩子在校内多次被同学欺负，希望学校处理。",
    "招生入学": "咨询并反映片区学校入学材料审核问题。",
    "师德师风": "反映教师课堂上言语不当。",
    "食品安全": "反映学校食堂饭菜质量问题。",
    "校园安全": "反映校门口上下学时段交通秩序混乱。",
    "教师权益": "教师反映绩效工资发放问题。",
    "其他": "反映其他教育相关问题。",
}


def _moment(rng: random.Random, day: dt.date, hour_from: int = 8, hour_to: int = 17) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, rng.randint(hour_from, hour_to),
                                           rng.randint(0, 59)))


def _weekday(rng: random.Random, year: int, month: int) -> dt.date:
    while True:
        d = dt.date(year, month, rng.randint(1, 28))
        if d.weekday() < 5:
            return d


def generate(rng: random.Random, bureau: Organisation, office: Organisation, units: list[tuple[Organisation, User]],
             operator: User, tick: Callable[[int], None], today: dt.date) -> dict[str, int]:
    Hotline.objects.create(organisation=bureau, office=office, opened_on=dt.date(2024, 3, 1))
    cats = [Category.objects.create(organisation=bureau, name=n, position=i) for i, n in enumerate(CATEGORIES)]
    schools = list(School.objects.filter(organisation__parent=bureau)[:120])
    institutions = list(Institution.objects.filter(organisation=bureau)[:60])
    # 282 received over March–December; the valid ones spread the same way
    months = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
    plan = [months[i % len(months)] for i in range(RECEIVED_2024)]
    valid_idx = set(rng.sample(range(RECEIVED_2024 - 8), VALID_2024 - OPEN_AT_YEAR_END))
    late = {RECEIVED_2024 - 1, RECEIVED_2024 - 2}  # December, still open at year end
    plan[RECEIVED_2024 - 1] = plan[RECEIVED_2024 - 2] = 12
    for i, month in enumerate(sorted(plan)):
        day = _weekday(rng, 2024, month)
        if i in late:
            day = dt.date(2024, 12, 27)
        _one(rng, cats, schools, institutions, units, operator, bureau, day,
             valid=i in valid_idx or i in late, close_in_2025=i in late)
        tick(1)
    # live cases this month, one in every state
    live_day = today - dt.timedelta(days=min(today.day - 1, 5))
    for state in ("received", "triaged", "handling", "closed", "invalid", "transferred", "handling", "received"):
        _one(rng, cats, schools, institutions, units, operator, bureau, live_day, valid=state not in (
            "invalid", "transferred"), stop_at=state)
        tick(1)
    return {"hotline_2024": RECEIVED_2024}


def _one(rng: random.Random, cats: list[Category], schools: list[School], institutions: list[Institution],
         units: list[tuple[Organisation, User]], operator: User, bureau: Organisation, day: dt.date, *,
         valid: bool, close_in_2025: bool = False, stop_at: str = "closed") -> None:
    category = rng.choice(cats)
    subject: dict[str, object] = ({"institution": rng.choice(institutions)} if category.name.startswith("违规补课")
                                  else {"school": rng.choice(schools)})
    phone = rng.choice(["135", "138", "139", "158", "177"]) + f"{rng.randint(0, 10**8 - 1):08d}"
    nature = Nature.PETITION if rng.random() < 0.08 else (Nature.INQUIRY if not valid and rng.random() < 0.3
                                                          else Nature.COMPLAINT)
    at = _moment(rng, day)
    intake = actions.petition_intake(
        actor=operator, organisation=bureau, channel=rng.choice(["hotline"] * 6 + ["web", "letter", "visit", "platform"]),
        category=category, nature=nature, description=DESCRIPTIONS[category.name],
        complainant_name=rng.choice(names.SURNAMES) + rng.choice(names.GIVEN), complainant_phone=phone,
        is_key=valid and rng.random() < 0.1, at=at, **subject)  # type: ignore[arg-type]
    p = intake.petition
    if stop_at == "received":
        return
    t = at + dt.timedelta(minutes=rng.randint(20, 120))
    if not valid:
        decision = Validity.TRANSFERRED if stop_at == "transferred" or rng.random() < 0.15 else Validity.INVALID
        actions.petition_triage(actor=operator, petition=p, decision=decision, at=t,
                                reason=rng.choice(INVALID_REASONS), agency="区市场监督管理局")
        return
    actions.petition_triage(actor=operator, petition=p, decision=Validity.VALID, at=t)
    if stop_at == "triaged":
        return
    calls = 2 if rng.random() < 0.93 else 1
    # A case closed without its two calls needs the unit head's reason: units[0] is a department
    # whose head handles it.
    unit, handler = units[0] if calls < 2 else rng.choice(units)
    t += dt.timedelta(minutes=rng.randint(10, 90))
    actions.petition_route(actor=operator, petition=p, unit=unit, at=t)
    if stop_at == "handling":
        return
    for k in range(calls):
        t += dt.timedelta(hours=rng.randint(2, 20))
        engine.case_log_contact(actor=handler, case=p.case, channel="phone", counterpart="投诉人",
                                outcome=["已了解诉求", "已告知核查进展"][k % 2], at=t)
    if p.is_key:
        t += dt.timedelta(hours=rng.randint(2, 20))
        engine.case_log_contact(actor=handler, case=p.case, channel="visit", counterpart="投诉人",
                                outcome="当面约谈，说明处理意见", at=t)
    close_at = (_moment(rng, dt.date(2025, 1, rng.randint(6, 10))) if close_in_2025
                else t + dt.timedelta(hours=rng.randint(1, 30)))
    override = "" if calls >= 2 else "投诉人多次未接听电话，已短信告知"
    actions.petition_close(actor=handler, petition=p, result="经核查，已督促相关单位整改并向投诉人反馈。",
                           override_reason=override, at=close_at)
    if rng.random() < 0.9:
        rating = rng.choices([5, 4, 3, 2], [80, 12, 6, 2])[0]
        actions.petition_rate(petition=p, rating=rating, resolution="solved" if rating >= 4 else rng.choice(
            ["partly", "unsolved"]), at=close_at + dt.timedelta(hours=rng.randint(1, 48)))
