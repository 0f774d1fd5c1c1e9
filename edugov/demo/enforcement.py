"""Enforcement history of the demo district: 2024 as the reference report tells it, and work in
progress now. Every record goes through the same actions officers use (draws, visits, findings,
penalty cases with legal review); the enforcement.* figures are counted from them afterwards."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal

from edugov.accounts import actions as account_actions
from edugov.accounts.models import Organisation, Role, User
from edugov.cases import actions as engine
from edugov.enforcement import actions
from edugov.enforcement.models import (
    Campaign,
    CampaignKind,
    EnforcementItem,
    Finding,
    FindingKind,
    Inspection,
    InspectionMatter,
    RiskLevel,
    TargetProfile,
)
from edugov.kernel.errors import ValidationFailed
from edugov.registries.models import Institution, InstitutionStatus, Person

from . import names
from .clock import HISTORY_END, Live, aware

# The 2024 work, in the report's numbers (counted back from the records in tests, never stored).
ITEMS_IN_CATALOGUE, ITEMS_CLAIMED, ITEMS_RELEASED = 110, 96, 2  # 96 − 2 = 94 at the year's end
SPECIAL_MONTHS = [3, 4, 5, 6, 9, 10, 11, 12]  # 8 双减 campaigns, each covering every operating institution
JOINT_OPERATIONS = 18
INSPECTIONS, ATTENDANCES = 1282, 346
NO_PERMIT, BEYOND_PERMIT, INTERVIEWS, NOTICES, PENALTIES = 13, 5, 23, 105, 8
HIGH_RISK = 12
SPECIAL_PER_OUTING, PLAN_PER_OUTING = 9, 6

TEMPLATES = [
    "对{o}未经批准擅自举办的处罚", "对{o}超出许可范围办学的处罚", "对{o}违规收费的处罚", "对{o}发布虚假招生广告的处罚",
    "对{o}未按规定公示办学信息的行政检查", "对{o}聘用无资质人员的处罚", "对{o}擅自变更办学地址的处罚",
    "对{o}抽逃办学资金的处罚", "对{o}违规开展学科类培训的处罚", "对{o}预收费超期的处罚", "对{o}安全管理的行政检查",
    "对{o}财务管理的行政检查", "对{o}教材及培训材料的行政检查", "对{o}伪造变造许可证的处罚", "对{o}违规招收学员的处罚",
    "对{o}未按规定年检的处罚", "对{o}违规颁发证书的处罚", "对{o}管理混乱严重影响教学的处罚",
    "对{o}违反国家规定开展境外培训的处罚", "对{o}拒不接受监督检查的处罚", "对{o}违规使用学员个人信息的处罚",
    "对{o}以欺骗手段招生的处罚",
]
OBJECTS = ["校外培训机构", "民办学校", "民办幼儿园", "中外合作办学机构", "非学历教育培训机构"]
CHECKLIST = ["办学许可证及营业执照公示", "收费项目及标准公示", "预收费资金监管", "从业人员资质", "消防及场所安全",
             "培训内容与材料"]
UNLICENSED = ["托管辅导班", "作业辅导中心", "一对一补习点", "艺术培训工作室", "学科辅导社"]


def history(rng: random.Random, bureau: Organisation, depts: dict[str, Organisation], users: dict[str, User],
            password: str, tick: Callable[[int], None]) -> dict[str, int]:
    enforcement, officer_user = depts["enforcement"], users["officer"]
    matters = _matters(bureau)
    items = _items(rng, bureau, enforcement, officer_user)
    officers = _officer_accounts(bureau, enforcement, officer_user, password, tick)
    institutions = list(Institution.objects.filter(organisation=bureau, status=InstitutionStatus.OPERATING)
                        .order_by("credit_code"))
    for inst in rng.sample(institutions, HIGH_RISK):
        TargetProfile.objects.create(institution=inst, risk=RiskLevel.HIGH)
    for inst in rng.sample(institutions, 6):  # declared conflicts: these officers never inspect these targets
        profile, _created = TargetProfile.objects.get_or_create(institution=inst)
        profile.conflicts.add(rng.choice(officers))
    state = _History(rng, bureau, users, officers, items, tick, HISTORY_END)

    # 2024: the campaigns and random inspections, then the joint operations filling the year
    plan = []
    for n, month in enumerate(SPECIAL_MONTHS, start=1):
        start = dt.date(2024, month, 4)
        plan.append(actions.campaign_create(
            actor=officer_user, organisation=bureau, kind=CampaignKind.SPECIAL, title=f"2024年第{n}次“双减”专项督查",
            matter=matters["doublereduction"], starts_on=start, ends_on=start + dt.timedelta(days=14), full_coverage=True,
            team_size=2, cap=5, per_outing=SPECIAL_PER_OUTING, at=_at(start - dt.timedelta(days=3), 9)))
    for title, start in (("2024年春季“双随机、一公开”抽查", dt.date(2024, 4, 15)),
                         ("2024年秋季“双随机、一公开”抽查", dt.date(2024, 10, 14))):
        plan.append(actions.campaign_create(
            actor=officer_user, organisation=bureau, kind=CampaignKind.PLAN, title=title, matter=matters["random"],
            starts_on=start, ends_on=start + dt.timedelta(days=11), ratio=Decimal("0.05"),
            high_risk_ratio=Decimal("0.2"), team_size=2, cap=3, per_outing=PLAN_PER_OUTING,
            at=_at(start - dt.timedelta(days=5), 9)))
    for campaign in sorted(plan, key=lambda c: c.starts_on):
        _commit_then_draw(rng, officer_user, campaign, campaign.starts_on)
    drawn = Inspection.objects.filter(campaign__in=plan).count()
    attended = sum(o.team.count() for c in plan for o in c.outings.all())
    joint = _joint_operations(rng, bureau, matters["joint"], officers, officer_user, institutions,
                              INSPECTIONS - drawn, ATTENDANCES - attended)
    state.visit_all(list(Inspection.objects.filter(campaign__organisation=bureau, campaign__starts_on__year=2024)
                         .select_related("outing", "campaign__matter", "institution").order_by("outing__on", "id")),
                    joint_unlicensed={c.pk for c in joint})
    return {"enforcement_inspections": Inspection.objects.count()}


def live(rng: random.Random, bureau: Organisation, users: dict[str, User], tick: Callable[[int], None],
         now: Live) -> dict[str, int]:
    """Certificates renewed, this autumn's random inspections half done, today's joint operation,
    penalty cases waiting for review and decision; expired publications taken down."""
    matters = {m.name: m for m in InspectionMatter.objects.filter(organisation=bureau)}
    officers = _serving(bureau)
    items = list(EnforcementItem.objects.filter(organisation=bureau, claimed_at__isnull=False, released_at__isnull=True,
                                                fine_max__isnull=False).order_by("code"))
    institutions = list(Institution.objects.filter(organisation=bureau, status=InstitutionStatus.OPERATING)
                        .order_by("credit_code"))
    _renew_certificates(officers, users["admin"], now)
    # an officer whose renewal waits (behind on training, or not competent) acts only while still valid
    officers = [p for p in officers if p.certificate_valid_until is None or p.certificate_valid_until >= now.today]
    state = _History(rng, bureau, users, officers, items, tick, now.today)
    before = Inspection.objects.count()
    _live(rng, state, bureau, {k: matters[name] for k, name in MATTERS.items()}, officers, users["officer"],
          institutions, now.today)
    actions.publication_take_down_expired(now.today)
    return {"enforcement_live": Inspection.objects.count() - before}


_at = aware


def _commit_then_draw(rng: random.Random, officer_user: User, campaign: Campaign, start: dt.date) -> None:
    """The commitment at 16:00 two days before the campaign, before that evening's 福彩3D result is
    announced; the draw the next morning with that result as the public value."""
    actions.campaign_commit(actor=officer_user, campaign=campaign, at=_at(start - dt.timedelta(days=2), 16))
    actions.campaign_draw(actor=officer_user, campaign=campaign, at=_at(start - dt.timedelta(days=1), 9),
                          public_value=f"{start - dt.timedelta(days=2)} 福彩3D {rng.randint(0, 999):03d}")


MATTERS = {"doublereduction": "校外培训机构“双减”落实情况检查", "random": "校外培训机构办学行为随机抽查",
           "joint": "无证无照办学联合整治"}


def _matters(bureau: Organisation) -> dict[str, InspectionMatter]:
    def make(name: str, content: str, method: str, frequency: str) -> InspectionMatter:
        return InspectionMatter.objects.create(
            organisation=bureau, name=name, content=content, method=method, frequency=frequency,
            legal_basis="《中华人民共和国民办教育促进法》《校外培训行政处罚暂行办法》", publication="区教委网站及执法公示平台",
            checklist=CHECKLIST)
    return {"doublereduction": make(MATTERS["doublereduction"], "学科类培训、收费、预收费监管、培训时间",
                                    "现场检查", "每年不少于8次，全覆盖"),
            "random": make(MATTERS["random"], "办学资质、收费公示、从业人员、场所安全",
                           "现场检查、书面核查", "每年2次，按比例抽取"),
            "joint": make(MATTERS["joint"], "无证无照、超许可经营", "联合执法现场检查", "根据线索随时开展")}


def _items(rng: random.Random, bureau: Organisation, dept: Organisation, officer: User) -> list[EnforcementItem]:
    items = []
    for i in range(ITEMS_IN_CATALOGUE):
        name = TEMPLATES[i % len(TEMPLATES)].format(o=OBJECTS[i // len(TEMPLATES)])
        penalty = "处罚" in name
        low, high = (Decimal(rng.choice([5000, 10000])), Decimal(rng.choice([50000, 100000]))) if penalty else (None, None)
        items.append(EnforcementItem.objects.create(
            organisation=bureau, code=f"SF-JY-{i + 1:03d}", name=name, department=dept,
            legal_basis=f"《校外培训行政处罚暂行办法》第{rng.randint(10, 30)}条" if penalty else "《中华人民共和国民办教育促进法》第六十一条",
            penalty_range=f"罚款{low}元以上{high}元以下" if penalty else "", fine_min=low, fine_max=high))
    for item in items[:ITEMS_CLAIMED]:
        actions.item_claim(actor=officer, item=item, at=_at(dt.date(2024, 1, 10), 10))
    for item in items[ITEMS_CLAIMED - ITEMS_RELEASED:ITEMS_CLAIMED]:
        actions.item_release(actor=officer, item=item, reason="事项划转至区综合行政执法局", at=_at(dt.date(2024, 7, 1), 10))
    return [i for i in items if i.claimed and i.fine_max is not None]


def _officer_accounts(bureau: Organisation, dept: Organisation, officer_user: User, password: str,
                      tick: Callable[[int], None]) -> list[Person]:
    """Every officer on the roster signs in (全员入驻); the demo's `officer` is the first of them."""
    officers = list(Person.objects.filter(kind="enforcement_officer", organisation__path__startswith=bureau.path)
                    .order_by("certificate_number"))
    first = next(p for p in officers if p.certificate_valid_until and p.certificate_valid_until.year > 2026)
    first.name, first.user = "周强", officer_user
    first.save(update_fields=["name", "user"])
    n = 0
    for person in officers:
        if person.user_id:
            continue
        n += 1
        person.user = account_actions.staff_create(actor=None, username=f"zf{n:02d}", full_name=f"执法队员·{person.name}",
                                                   password=password, grants=[(Role.ENFORCEMENT_OFFICER, dept)])
        person.save(update_fields=["user"])
        tick(1)
    return _serving(bureau)


def _serving(bureau: Organisation) -> list[Person]:
    """The roster but the two whose certificates lapsed in 2024."""
    return list(Person.objects.filter(kind="enforcement_officer", organisation__path__startswith=bureau.path,
                                      certificate_valid_until__gt=HISTORY_END).order_by("certificate_number"))


def _joint_operations(rng: random.Random, bureau: Organisation, matter: InspectionMatter, officers: list[Person],
                      actor: User, institutions: list[Institution], targets: int, attendances: int) -> list[Inspection]:
    """18 joint operations with market regulation and the police, named teams whose sizes add up
    to the attendances left, visiting the targets left; 13 of those targets are unlicensed."""
    sizes = [2] * JOINT_OPERATIONS
    for i in range(attendances - 2 * JOINT_OPERATIONS):
        sizes[i % JOINT_OPERATIONS] += 1
    per_op = [targets // JOINT_OPERATIONS + (1 if i < targets % JOINT_OPERATIONS else 0) for i in range(JOINT_OPERATIONS)]
    unlicensed_at = set(rng.sample(range(targets), NO_PERMIT))
    months = [2, 3, 3, 4, 5, 5, 6, 7, 8, 8, 9, 10, 10, 11, 11, 12, 12, 12]
    made, k = [], 0
    for n in range(JOINT_OPERATIONS):
        day = dt.date(2024, months[n], 5 + n)
        campaign = actions.campaign_create(
            actor=actor, organisation=bureau, kind=CampaignKind.JOINT, title=f"2024年联合执法行动第{n + 1}次",
            matter=matter, starts_on=day, ends_on=day, agencies="区市场监督管理局、区公安分局、属地街道",
            at=_at(day - dt.timedelta(days=2), 9))
        outing = actions.outing_create(actor=actor, campaign=campaign, on=day, team=rng.sample(officers, sizes[n]),
                                       at=_at(day - dt.timedelta(days=1), 9))
        lead = outing.team.order_by("pk").first().user  # type: ignore[union-attr]
        for _ in range(per_op[n]):
            if k in unlicensed_at:
                name = f"{rng.choice(names.PLACES)}{rng.choice(UNLICENSED)}"
                made.append(actions.inspection_add_unplanned(actor=lead, outing=outing, target_name=name,
                                                         address=f"江州区{rng.choice(names.PLACES)}小区{rng.randint(1, 30)}栋",
                                                         at=_at(day, 8)))
            else:
                inst = rng.choice(institutions)
                actions.inspection_add_unplanned(actor=lead, outing=outing, target_name=inst.name, address=inst.address,
                                             institution=inst, at=_at(day, 8))
            k += 1
    return made


class _History:
    """Walks the year's visits in date order and gives them their findings, in the report's counts."""

    def __init__(self, rng: random.Random, bureau: Organisation, users: dict[str, User], officers: list[Person],
                 items: list[EnforcementItem], tick: Callable[[int], None], today: dt.date) -> None:
        self.rng, self.bureau, self.users, self.items, self.tick = rng, bureau, users, items, tick
        self.today = today

    def visit_all(self, visits: list[Inspection], joint_unlicensed: set[int]) -> None:
        rng = self.rng
        registered = [i for i, v in enumerate(visits) if v.institution_id]
        unlicensed = [i for i, v in enumerate(visits) if v.pk in joint_unlicensed]
        special = [i for i in registered if visits[i].campaign.kind == CampaignKind.SPECIAL]
        beyond = set(rng.sample(special, BEYOND_PERMIT))
        notices = set(rng.sample([i for i in registered if i not in beyond], NOTICES - BEYOND_PERMIT)) | beyond
        early = [i for i in sorted(unlicensed) + sorted(beyond) if visits[i].outing.on.month <= 10]
        penalised = set(rng.sample(early, PENALTIES))
        interviews = set(rng.sample(sorted(notices | set(unlicensed)), INTERVIEWS))
        for i, visit in enumerate(visits):
            findings: list[dict[str, object]] = []
            if i in unlicensed:
                findings.append({"kind": FindingKind.NO_PERMIT, "note": "现场开展学科类培训，无营业执照和办学许可证"})
            if i in beyond:
                findings.append({"kind": FindingKind.BEYOND_PERMIT, "note": "超出许可范围开展学科类培训"})
            if i in notices:
                findings.append({"kind": FindingKind.RECTIFICATION, "note": rng.choice(
                    ["收费项目未公示", "预收费超过3个月", "消防通道堵塞", "从业人员资质材料不全"]),
                    "deadline": visit.outing.on + dt.timedelta(days=15)})
            if i in interviews:
                findings.append({"kind": FindingKind.INTERVIEW, "interviewee": rng.choice(names.SURNAMES) + "某"})
            self.visit(visit, findings or [{"kind": FindingKind.COMPLIANT}], i)
            if i in penalised:
                self.penalty(visit)
            self.tick(1)

    def visit(self, visit: Inspection, findings: list[dict[str, object]], i: int) -> None:
        member = visit.outing.team.order_by("pk").first()
        actor = member.user  # type: ignore[union-attr]
        start = _at(visit.outing.on, 9) + dt.timedelta(minutes=25 * (i % 12))
        actions.inspection_arrive(actor=actor, inspection=visit, place=visit.address or visit.target_name,
                                  certificates_shown=True, at=start)
        bad = any(f["kind"] == FindingKind.RECTIFICATION for f in findings)
        answers = dict.fromkeys(visit.campaign.matter.checklist, "yes")
        if bad:
            answers[self.rng.choice(list(answers))] = "no"
        actions.inspection_record(actor=actor, inspection=visit, checklist=answers, people_met="负责人及前台工作人员",
                                  at=start + dt.timedelta(minutes=10))
        actions.inspection_sign_off(actor=actor, inspection=visit, at=start + dt.timedelta(minutes=15))
        actions.inspection_decide(actor=actor, inspection=visit, findings=findings, at=start + dt.timedelta(minutes=20))
        for notice in Finding.objects.filter(inspection=visit, kind=FindingKind.RECTIFICATION):
            actions.finding_serve(actor=actor, finding=notice, at=start + dt.timedelta(minutes=22))
            if notice.reinspect_on and notice.reinspect_on < self.today:  # the re-inspection, on time
                actions.finding_reinspect(actor=actor, finding=notice, rectified=True, note="已按要求整改到位",
                                          at=_at(notice.reinspect_on, 15))

    def penalty(self, visit: Inspection, stop_at: str = "archived", days: tuple[int, ...] = (1, 2, 6, 13, 16, 20)) -> None:
        """立案 → 调查 → 告知 → 法制审核 → 决定 → 送达 → 执行 → 归档, `days` after the visit."""
        officer = visit.outing.team.order_by("pk").first().user  # type: ignore[union-attr]
        day = visit.outing.on
        item = self.rng.choice(self.items)
        p = actions.penalty_open(actor=officer, inspection=visit, organisation=self.bureau, item=item,
                                 party_name=visit.target_name, party_is_person=visit.institution_id is None,
                                 facts=f"{visit.target_name}未经审批擅自开展学科类校外培训，收取培训费用。",
                                 act_on=day, at=_at(day + dt.timedelta(days=days[0]), 10))
        for name, offset, data in (("investigate", days[1], {}),
                                   ("notify", days[2], {"intended": "拟责令停止违法行为，罚款20000元"}),
                                   ("submit_review", days[3], {})):
            engine.case_transition(actor=officer, case=p.case, transition=name, data=data,
                                   at=_at(day + dt.timedelta(days=offset), 10))
        if stop_at == "review":
            return
        checks = dict.fromkeys(("competence", "facts", "evidence", "law", "discretion", "procedure", "documents"), True)
        actions.penalty_legal_review(actor=self.users["reviewer"], penalty=p, checks=checks, outcome="agree",
                             opinion="主体合法，事实清楚，证据充分，适用依据正确，裁量适当，程序合法。",
                             at=_at(day + dt.timedelta(days=days[4]), 15))
        if stop_at == "reviewed":
            return
        fine = max(item.fine_min or 0, min(item.fine_max or 0, Decimal(20000)))
        actions.penalty_decide(actor=self.users["leader"], penalty=p, types=["warning", "fine"], fine=fine,
                               decision_text=f"给予警告，并处罚款{fine}元，责令立即停止违法办学行为。",
                               at=_at(day + dt.timedelta(days=days[5]), 10))
        # served on the day after the decision (送达回证), recorded the next day
        actions.penalty_serve(actor=officer, penalty=p, served_on=day + dt.timedelta(days=days[5] + 1),
                              at=_at(day + dt.timedelta(days=days[5] + 2), 10))
        for name, offset, data in (("execute", 35, {"how": "当事人已按期缴纳罚款"}), ("archive", 45, {})):
            engine.case_transition(actor=officer, case=p.case, transition=name, data=data,
                                   at=_at(day + dt.timedelta(days=offset), 10))


def _renew_certificates(officers: list[Person], registrar: User, live: Live) -> None:
    """The serving officers' certificates are renewed before they lapse: whatever day the demo is
    generated on, they can act for the next year (the two lapsed in 2024 stay lapsed)."""
    from edugov.registries.actions import person_update

    for person in officers:
        valid = person.certificate_valid_until
        if valid is None or valid >= live.today + dt.timedelta(days=365):
            continue
        years = live.today.year + 2 - valid.year
        try:
            renewed = person_update(actor=registrar, person=person,
                                    data={"certificate_valid_until": valid.replace(year=valid.year + years)})
        except ValidationFailed:  # the last year's training or assessment holds the renewal (demo/training.py)
            continue
        person.certificate_valid_until = renewed.certificate_valid_until


def _live(rng: random.Random, state: _History, bureau: Organisation, matters: dict[str, InspectionMatter],
          officers: list[Person], officer_user: User, institutions: list[Institution], today: dt.date) -> None:
    """Now: a random inspection drawn three days ago and half done; a joint operation today whose
    team includes the demo officer; penalty cases waiting for legal review and for a decision."""
    start = today - dt.timedelta(days=20)
    campaign = actions.campaign_create(
        actor=officer_user, organisation=bureau, kind=CampaignKind.PLAN, title=f"{today.year}年秋季“双随机、一公开”抽查",
        matter=matters["random"], starts_on=start, ends_on=today + dt.timedelta(days=10), ratio=Decimal("0.1"),
        high_risk_ratio=Decimal("0.3"), team_size=2, cap=3, per_outing=2, at=_at(start - dt.timedelta(days=2), 9))
    _commit_then_draw(rng, officer_user, campaign, start)
    visits = list(Inspection.objects.filter(campaign=campaign, outing__on__lt=today)
                  .select_related("outing", "campaign__matter").order_by("outing__on", "id"))
    for i, visit in enumerate(visits):
        state.visit(visit, [{"kind": FindingKind.COMPLIANT}], i)
    joint = actions.campaign_create(
        actor=officer_user, organisation=bureau, kind=CampaignKind.JOINT, title=f"{today.year}年冬季无证办学联合整治",
        matter=matters["joint"], starts_on=today, ends_on=today, agencies="区市场监督管理局、属地街道",
        at=_at(today - dt.timedelta(days=1), 9))
    me = Person.objects.get(user=officer_user)
    outing = actions.outing_create(actor=officer_user, campaign=joint, on=today,
                                   team=[me, rng.choice([p for p in officers if p != me])],
                                   at=_at(today - dt.timedelta(days=1), 10))
    for inst in rng.sample(institutions, 2):
        actions.inspection_add_unplanned(actor=officer_user, outing=outing, target_name=inst.name, address=inst.address,
                                     institution=inst, at=_at(today - dt.timedelta(days=1), 11))
    actions.inspection_add_unplanned(actor=officer_user, outing=outing, target_name="金桥托管辅导班",
                                 address="江州区金桥小区3栋", at=_at(today - dt.timedelta(days=1), 11))
    # penalty cases in progress from this campaign's first visits: one waits for legal review, one for the decision
    early = [v for v in visits if v.outing.on <= today - dt.timedelta(days=12)][:2]
    for visit, stop in zip(early, ("review", "reviewed"), strict=False):
        state.penalty(visit, stop_at=stop, days=(1, 2, 3, 9, 11, 99))
