"""The supervision hotline's history for the demo district: 2024 from the hotline's opening in
March, and live cases this month in every state. Every case goes through the same actions staff
use; the petitions.* figures are then counted from these records, never typed in."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from edugov.accounts.models import Organisation, User
from edugov.cases import actions as engine
from edugov.petitions import actions, closure, routing
from edugov.petitions.models import Category, Hotline, Nature, Petition, RecontactCheck, Validity
from edugov.registries.models import Institution, School

from . import names
from .clock import Live, aware

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


# The live cases, one in every state, each received this many days before the demo is generated:
# a case's whole course (triage, routing, calls, closing, the complainant's rating) takes at most
# about 7 days and 4 hours, so the closed one is received 8 days back and everything ends before now.
LIVE_CASES = (("received", 0), ("triaged", 1), ("handling", 3), ("closed", 8), ("invalid", 1), ("transferred", 2),
              ("handling", 5), ("received", 1))


def _moment(rng: random.Random, day: dt.date, hour_from: int = 8, hour_to: int = 17) -> dt.datetime:
    return aware(day, rng.randint(hour_from, hour_to), rng.randint(0, 59))


def _weekday(rng: random.Random, year: int, month: int) -> dt.date:
    while True:
        d = dt.date(year, month, rng.randint(1, 28))
        if d.weekday() < 5:
            return d


def history(rng: random.Random, bureau: Organisation, office: Organisation, units: list[tuple[Organisation, User]],
            operator: User, tick: Callable[[int], None]) -> dict[str, int]:
    Hotline.objects.create(organisation=bureau, office=office, opened_on=dt.date(2024, 3, 1))
    for i, n in enumerate(CATEGORIES):
        Category.objects.create(organisation=bureau, name=n, position=i)
    cats, schools, institutions = _subjects(bureau)
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
    recontact_2024(bureau, operator, units)
    return {"hotline_2024": RECEIVED_2024}


def live(rng: random.Random, bureau: Organisation, units: list[tuple[Organisation, User]], operator: User,
         tick: Callable[[int], None], now: Live) -> dict[str, int]:
    """The cases of the last days, one in every state."""
    cats, schools, institutions = _subjects(bureau)
    for state, days_ago in LIVE_CASES:
        _one(rng, cats, schools, institutions, units, operator, bureau, now.today - dt.timedelta(days=days_ago),
             valid=state not in ("invalid", "transferred"), stop_at=state, live=now)
        tick(1)
    return {"hotline_live": len(LIVE_CASES)}


def _subjects(bureau: Organisation) -> tuple[list[Category], list[School], list[Institution]]:
    return (list(Category.objects.filter(organisation=bureau).order_by("position")),
            list(School.objects.filter(organisation__parent=bureau).order_by("pk")[:120]),
            list(Institution.objects.filter(organisation=bureau).order_by("pk")[:60]))


def _one(rng: random.Random, cats: list[Category], schools: list[School], institutions: list[Institution],
         units: list[tuple[Organisation, User]], operator: User, bureau: Organisation, day: dt.date, *,
         valid: bool, close_in_2025: bool = False, stop_at: str = "closed", live: Live | None = None) -> None:
    category = rng.choice(cats)
    subject: dict[str, object] = ({"institution": rng.choice(institutions)} if category.name.startswith("违规补课")
                                  else {"school": rng.choice(schools)})
    phone = rng.choice(["135", "138", "139", "158", "177"]) + f"{rng.randint(0, 10**8 - 1):08d}"
    nature = Nature.PETITION if rng.random() < 0.08 else (Nature.INQUIRY if not valid and rng.random() < 0.3
                                                          else Nature.COMPLAINT)
    at = _moment(rng, day)
    if live is not None:  # received today: at the latest a minute ago
        at = live.not_after(at)
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
    # 回避: the school complained of is never the unit that handles the complaint
    allowed = [u for u in units if not (subject.get("school") and u[0] == subject["school"].organisation)]
    # A case closed without its two calls needs the unit head's reason: units[0] is a department
    # whose head handles it.
    unit, handler = units[0] if calls < 2 else rng.choice(allowed)
    t += dt.timedelta(minutes=rng.randint(10, 90))
    routing.petition_route(actor=operator, petition=p, unit=unit, at=t)
    if calls >= 2 and rng.random() < 0.1:  # routed to the wrong unit: one send-back, sometimes a decision
        unit, handler, t = _bounce(rng, p, unit, handler, allowed, operator, t)
    if stop_at == "handling":
        return
    if rng.random() < 0.06:  # 联办: another unit answers a part
        helper, helper_user = rng.choice([u for u in units if u[0] != unit])
        routing.add_assisting_unit(actor=operator, petition=p, unit=helper, task="核实相关情况并提供书面意见",
                                   working_days=2, at=t + dt.timedelta(minutes=5))
        engine.case_answer_part(actor=helper_user, part=p.case.parts.get(), answer="已核实，情况属实，意见附后。",
                                at=t + dt.timedelta(hours=rng.randint(2, 6)))
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
        rated_at = close_at + dt.timedelta(hours=rng.randint(1, 48))
        actions.petition_rate(petition=p, rating=rating, resolution="solved" if rating >= 4 else rng.choice(
            ["partly", "unsolved"]), at=rated_at)
        if rating <= 2 and rng.random() < 0.5:  # the demand went beyond what the law allows
            closure.mark_unreasonable(actor=handler, petition=p, reason="要求开除涉事教师并登报道歉，超出法定处理范围",
                                      at=rated_at + dt.timedelta(hours=2))
            closure.review_unreasonable(actor=operator, petition=p, agree=True, note="诉求超出法定处理范围，同意标记",
                                        at=rated_at + dt.timedelta(hours=20))


def _bounce(rng: random.Random, p: Petition, unit: Organisation, handler: User, units: list[tuple[Organisation, User]],
            operator: User, t: dt.datetime) -> tuple[Organisation, User, dt.datetime]:
    """A send-back to the office and a re-routing; one time in four the second unit disagrees too
    and the office decides. Returns the unit that ends up handling the case."""
    better, better_user = rng.choice([u for u in units if u[0] != unit])
    t += dt.timedelta(minutes=rng.randint(30, 180))
    routing.petition_send_back(actor=handler, petition=p, reason=str(rng.choice(routing.SEND_BACK_REASONS)),
                               better_unit=better, at=t)
    t += dt.timedelta(minutes=rng.randint(10, 60))
    routing.petition_route(actor=operator, petition=p, unit=better, at=t)
    if rng.random() >= 0.25:
        return better, better_user, t
    t += dt.timedelta(minutes=rng.randint(30, 120))
    routing.petition_dispute(actor=better_user, petition=p, reason="该事项主要属原承办单位职责", better_unit=unit, at=t)
    t += dt.timedelta(minutes=rng.randint(30, 120))
    final, final_user = rng.choice([(unit, handler), (better, better_user)])
    routing.petition_rule(actor=operator, petition=p, unit=final, reason="根据职责分工审定承办单位", at=t)
    p.refresh_from_db()
    p.case.refresh_from_db()
    return final, final_user, t


def recontact_2024(bureau: Organisation, operator: User, units: list[tuple[Organisation, User]]) -> None:
    """The office's monthly re-contact samples for 2024. In May one closure is found untrue: the
    case is reopened and closed again in June after the school actually refunds."""
    for month in range(3, 13):
        first = dt.date(2024 + month // 12, month % 12 + 1, 3)
        drawn_at = aware(first, 9, 30)
        closure.recontact_sample_commit(actor=operator, bureau=bureau, year=2024, month=month,
                                        at=drawn_at - dt.timedelta(hours=17, minutes=30))  # the afternoon before
        draw = closure.draw_recontact_sample(actor=operator, bureau=bureau, year=2024, month=month, at=drawn_at)
        for i, check in enumerate(RecontactCheck.objects.filter(draw=draw).select_related("petition__case")):
            false = month == 5 and i == 0
            closure.record_recontact(actor=operator, check=check, closure_true=not false,
                                     note="学校尚未退还费用" if false else "投诉人确认问题已处理",
                                     at=drawn_at + dt.timedelta(days=2, hours=i))
            if false:
                p, handler = check.petition, dict(units).get(check.unit, operator)  # type: ignore[call-overload]
                again = drawn_at + dt.timedelta(days=4)
                for k in range(2):
                    engine.case_log_contact(actor=handler, case=p.case, channel="phone", counterpart="投诉人",
                                            outcome="重新核查并告知进展", at=again + dt.timedelta(hours=k))
                actions.petition_close(actor=handler, petition=p, result="经重新核查，学校已退还费用。",
                                       at=again + dt.timedelta(hours=3))
