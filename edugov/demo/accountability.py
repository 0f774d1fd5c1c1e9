"""The demo district's oversight and dispute parts (issue 32): the published channel for reports of
enforcement misconduct and 2024's reports, the discipline group's meetings and the decisions notified
to it, the mediations of disputes between families and schools; and each school's charter revision,
rule-of-law lessons, constitution week, and meetings and opinions of families. All in 2024 (the
report's year); the live layer adds nothing of these yet."""

from __future__ import annotations

import datetime as dt
import random

from edugov.accounts import actions as account_actions
from edugov.accounts.models import Organisation, OrgKind, User
from edugov.cases import actions as engine
from edugov.cases.models import Case
from edugov.oversight import disputes, misconduct
from edugov.oversight.models import Decision
from edugov.registries.models import School
from edugov.schools import governance as gv

from .clock import aware, day_between

# (received, channel, what, outcome: "upheld", "unfounded", "forwarded", "refused")
REPORTS_2024 = [
    ("2024-03-18", "phone", "检查校外培训机构时态度粗暴，未出示执法证件", "upheld"),
    ("2024-05-09", "letter", "对同类违规行为处理尺度不一", "unfounded"),
    ("2024-06-24", "web", "执法人员接受培训机构宴请", "forwarded"),
    ("2024-08-30", "phone", "检查时间过长影响正常经营", "unfounded"),
    ("2024-10-15", "visit", "反映与执法无关的个人纠纷", "refused"),
    ("2024-11-27", "web", "未告知陈述申辩权利即作出处理", "upheld"),
]
MEETINGS = ["党委会", "主任办公会", "干部选拔任用工作会", "招生工作领导小组会"]
TOPICS = ["宪法与我们的生活", "预防校园欺凌", "未成年人保护法", "网络安全与防诈骗", "禁毒教育", "交通安全与法律责任",
          "民法典进校园", "预防未成年人犯罪"]
DISPUTES = ["课间意外受伤赔偿", "学生间冲突处理", "收费退费争议", "教师管教方式", "校车接送安排", "午餐质量"]
COMMUNITIES = ["城东社区", "滨江社区", "龙都社区", "太白社区", "钟鼓楼社区", ""]


def history(rng: random.Random, bureau: Organisation, users: dict[str, User]) -> dict[str, int]:
    code = bureau.code
    policy = Organisation.objects.get(code=f"{code}-policy")
    squad = Organisation.objects.get(code=f"{code}-enforcement")
    group = account_actions.organisation_create(actor=None, code=f"{code}-discipline", name="驻区教委纪检监察组",
                                                kind=OrgKind.DEPARTMENT, parent=bureau, case_prefix="江教纪")
    leader, head, reviewer = users["leader"], users["head.policy"], users["reviewer"]
    misconduct.channel_set(actor=leader, organisation=bureau, phone="023-58123456",
                           address="江州区教委政策法规科（江州区北滨路1号）", receivers=[policy, group],
                           supervisor="江州区司法局", published_on=dt.date(2024, 1, 8), at=aware(dt.date(2024, 1, 8)))
    counts = {"misconduct_reports": 0}
    for n, (day, channel, what, outcome) in enumerate(REPORTS_2024):
        received = dt.date.fromisoformat(day)
        taken = misconduct.report_take(actor=reviewer, organisation=bureau, channel=channel, officer_named=f"执法证号{50010200 + n}", officer_unit=squad, what=what,
                                       receiver=policy, reporter_name="" if n % 3 == 2 else "举报人",
                                       anonymous=n % 3 == 2, reporter_phone="" if n % 3 == 2 else "13900000000",
                                       received_on=received, at=aware(received, 10))
        case = taken.report.case

        def step(name: str, days: int, case: Case = case, received: dt.date = received, **data: str) -> None:
            engine.case_transition(actor=reviewer, case=case, transition=name, data=data,
                                   at=aware(received + dt.timedelta(days=days), 15))

        if outcome == "refused":
            step("not_accept", 2, reason="不属于行政执法监督举报范围，已告知举报人向有关部门反映。")
        else:
            step("accept", 2)
            if outcome == "forwarded":
                step("forward", 6, agency="江州区司法局")
            step("close_upheld" if outcome == "upheld" else "close_unfounded", 20,
                 result="经核查属实，已对当事执法人员批评教育并责令整改。" if outcome == "upheld"
                 else "经核查，执法程序符合规定，已向举报人说明。")
        counts["misconduct_reports"] += 1
    del head
    # the discipline group: invited to a meeting a month, told of each executed 三重一大 decision
    for month in range(1, 13):
        misconduct.discipline_notice_add(actor=leader, organisation=bureau, kind="meeting",
                                         on=dt.date(2024, month, 12 + month % 5), subject=MEETINGS[month % 4],
                                         attended_by="纪检监察组组长", at=aware(dt.date(2024, month, 20)))
    for d in Decision.objects.filter(organisation=bureau, met_on__year=2024, executed_on__isnull=False).order_by("met_on"):
        misconduct.discipline_notice_add(actor=leader, organisation=bureau, kind="decision",
                                         on=d.executed_on + dt.timedelta(days=3), subject="", attended_by="纪检监察组",
                                         decision=d, at=aware(d.executed_on + dt.timedelta(days=3)))
    counts.update(_screening_2024(rng, bureau))
    counts.update(_mediations(rng, bureau, users))
    counts.update(_counsellors(rng, bureau, users))
    counts.update(_schools(rng, bureau, users))
    return counts


def _screening_2024(rng: random.Random, bureau: Organisation) -> dict[str, int]:
    """Every school's monthly risk and dispute ledger of 2024, a few naming a dispute between a family
    and the school (the mediations below start from them)."""
    from edugov.oversight import screening

    schools = list(School.objects.filter(organisation__path__startswith=bureau.path).order_by("code"))
    filed = 0
    for month in range(1, 13):
        first = dt.date(2024, month, 1)
        for school in schools:
            items = [] if rng.random() >= 0.008 else [{
                "category": "家校纠纷", "level": rng.choice(["low", "medium", "high"]), "people": "学生家长",
                "measures": "学校已与家长沟通，提请区教委组织调解", "responsible": "分管副校长"}]
            screening.submit_ledger(actor=None, school=school, month=first, items=items,
                                    at=aware(dt.date(2024, month, 25) if month < 12 else dt.date(2024, 12, 27), 16))
            filed += 1
    return {"risk_ledgers_2024": filed}


def _counsellors(rng: random.Random, bureau: Organisation, users: dict[str, User]) -> dict[str, int]:
    """Twenty of the people serving one school are appointed legal counsellors (法治辅导员) at the
    largest public schools as well, from September 2024, and teach there like the vice-principals:
    the district's 156 people are vice-principals and counsellors (the report counts both)."""
    from django.db.models import Count

    from edugov.registries.models import Person
    from edugov.schools import actions as school_actions
    from edugov.schools.models import AppointmentKind

    from . import schools as legal_vps
    from .clock import HISTORY_END

    singles = list(Person.objects.filter(organisation__path__startswith=bureau.path, appointments__isnull=False)
                   .annotate(n=Count("appointments")).filter(n=1).order_by("pk")[:20])
    large = list(School.objects.filter(organisation__path__startswith=bureau.path, is_private=False)
                 .order_by("-enrolled_students", "code")[:20])
    made = 0
    for person, school in zip(singles, large, strict=False):
        if person.appointments.filter(school=school).exists():
            continue
        a = school_actions.appoint(actor=users["staff.basic"], person=person, school=school,
                                   starts_on=dt.date(2024, 9, 1), kind=AppointmentKind.COUNSELLOR,
                                   at=aware(dt.date(2024, 8, 27), 10))
        for year in (2024, 2025):
            legal_vps._teach(rng, a, year, dt.date(year, 10, 15), 0, HISTORY_END)
        made += 1
    return {"legal_counsellors": made}


def _mediations(rng: random.Random, bureau: Organisation, users: dict[str, User]) -> dict[str, int]:
    staff = users["staff.basic"]
    schools = list(School.objects.filter(organisation__path__startswith=bureau.path).order_by("code"))
    made = 0
    from edugov.oversight.models import RiskItem

    found = list(RiskItem.objects.filter(ledger__school__organisation__path__startswith=bureau.path,
                                         ledger__month__year=2024, category="家校纠纷")
                 .select_related("ledger__school").order_by("ledger__month", "pk"))
    for n in range(24):
        # most begin from a dispute the monthly screening found; the rest were brought by the family
        item = found[n] if n < len(found) else None
        school = item.ledger.school if item else schools[rng.randrange(len(schools))]
        start = (item.ledger.month + dt.timedelta(days=rng.randint(24, 30)) if item
                 else day_between(rng, dt.date(2024, 1, 8), dt.date(2024, 11, 29)))
        m = disputes.mediation_start(actor=staff, organisation=bureau, school=school, family=f"学生家长{n + 1}",
                                     subject=rng.choice(DISPUTES), started_on=start, mediator="安全稳定科调解员",
                                     community=COMMUNITIES[n % len(COMMUNITIES)], risk_item=item, at=aware(start))
        made += 1
        if n == 23:
            continue  # still under mediation at the year's end
        end = start + dt.timedelta(days=rng.randint(3, 20))
        agreed = n % 8 != 5
        disputes.mediation_conclude(actor=staff, mediation=m, outcome="agreed" if agreed else "failed",
                                    agreement="双方达成书面调解协议" if agreed else "家长不接受方案，引导其依法申请处理",
                                    concluded_on=end, at=aware(end))
        if agreed and n % 7 != 3:
            follow = end + dt.timedelta(days=rng.randint(10, 30))
            disputes.mediation_follow_up(actor=staff, mediation=m, followed_up_on=follow, follow_up="协议已履行，家长满意",
                                         at=aware(follow))
    return {"mediations": made}


def _schools(rng: random.Random, bureau: Organisation, users: dict[str, User]) -> dict[str, int]:
    """Every school gives its lessons (a few fall short in the autumn term), takes part in the
    constitution week, meets families; a sixth revise their charters (the 2025 plan asks all)."""
    staff = users["staff.basic"]
    schools = list(School.objects.filter(organisation__path__startswith=bureau.path).order_by("code"))
    lessons = 0
    for i, school in enumerate(schools):
        for term_first, term_last, n in ((dt.date(2024, 3, 4), dt.date(2024, 6, 28), 2 + i % 2),
                                         (dt.date(2024, 9, 9), dt.date(2024, 12, 27), 1 if i % 40 == 7 else 2)):
            for k in range(n):
                day = day_between(rng, term_first, term_last)
                gv.lesson_record(actor=staff, school=school, held_on=day, class_name=f"{k + 3}年级",
                                 topic=TOPICS[(i + k) % len(TOPICS)], teacher="法治副校长", at=aware(day))
                lessons += 1
        gv.constitution_week_record(actor=staff, school=school, year=2024, morning_reading=i % 50 != 9,
                                    participants=max(20, school.enrolled_students or 100),
                                    activities="观看宪法晨读直播、宪法主题班会", at=aware(dt.date(2024, 12, 6)))
        for day, kind, topic in ((dt.date(2024, 3, 15), "committee", "新学期家委会"),
                                 (dt.date(2024, 9, 20), "school", "家长学校：依法带娃")):
            gv.parent_meeting_add(actor=staff, school=school, kind=kind, held_on=day, topic=topic,
                                  attended=max(10, (school.enrolled_students or 100) // 5), at=aware(day))
        if i % 3 == 0:
            got = day_between(rng, dt.date(2024, 2, 20), dt.date(2024, 12, 10))
            answered = got + dt.timedelta(days=rng.randint(1, 10)) if i % 45 != 3 else None
            gv.parent_opinion_add(actor=staff, school=school, kind=rng.choice(["hotline", "committee", "online"]),
                                  received_on=got, summary=rng.choice(["放学接送拥堵", "课后服务时间安排", "食堂饭菜口味",
                                                                       "作业量偏多"]),
                                  response="已研究调整并向家长反馈" if answered else "", answered_on=answered,
                                  at=aware(answered or got))
        if i % 6 == 0:
            adopted = day_between(rng, dt.date(2024, 3, 1), dt.date(2024, 10, 31))
            rev = gv.charter_submit(actor=staff, school=school, summary="依据新修订法律完善学校治理结构和家校共育章节",
                                    adopted_on=adopted, submitted_on=adopted + dt.timedelta(days=5),
                                    at=aware(adopted + dt.timedelta(days=5)))
            decided = adopted + dt.timedelta(days=25)
            gv.charter_decide(actor=users["head.basic"], revision=rev, approve=i % 24 != 6, decided_on=decided,
                              note="" if i % 24 != 6 else "办学章程未体现家长委员会职责，请修改后重报", at=aware(decided))
            if i % 24 != 6 and i % 30 != 12:
                gv.charter_publish(actor=staff, revision=rev, published_on=decided + dt.timedelta(days=7),
                                   at=aware(decided + dt.timedelta(days=7)))
    return {"school_lessons": lessons}
