"""The demo district's business environment (营商环境, issue 31): the support policies the bureau
brought to its private schools, kindergartens and training institutions in 2024, and the free
training it arranged for their founders, teachers, nursery staff and security guards; then the same
work since the history's end."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from edugov.accounts.models import Organisation, User
from edugov.registries.models import Institution, School, SchoolLevel
from edugov.services import actions
from edugov.services.models import InstitutionType, OutreachTopic, TraineeKind

from .clock import Live, aware, day_between

# (day, topic, what was sent, how, to: k = kindergartens, s = private schools, t = training institutions)
OUTREACH_2024 = [
    ("2024-03-12", OutreachTopic.TAX, "小规模纳税人增值税减免政策解读", "政策宣讲会", "kst"),
    ("2024-04-18", OutreachTopic.SOCIAL_SECURITY, "阶段性降低失业保险、工伤保险费率政策", "工作群推送并电话确认", "kst"),
    ("2024-05-21", OutreachTopic.SOCIAL_SECURITY, "吸纳高校毕业生就业社保补贴申领指引", "上门宣讲", "ks"),
    ("2024-06-13", OutreachTopic.SERVICES, "服务业市场主体稳岗纾困政策汇编", "工作群推送", "t"),
    ("2024-09-10", OutreachTopic.TAX, "房产税、城镇土地使用税减免申报提醒", "政策宣讲会", "ks"),
    ("2024-10-22", OutreachTopic.SOCIAL_SECURITY, "以工代训补贴和职业技能提升补贴政策", "上门宣讲", "kt"),
    ("2024-11-19", OutreachTopic.OTHER, "普惠性民办幼儿园认定和奖补政策", "专题会", "k"),
]
# (day, title, audience, from which institutions, people, institutions, hours)
TRAINING_2024 = [
    ("2024-03-26", "民办学校举办者依法办学专题培训", TraineeKind.FOUNDERS, InstitutionType.PRIVATE_SCHOOL, 9, 9, 4),
    ("2024-04-09", "民办幼儿园举办者、园长管理常识培训", TraineeKind.FOUNDERS, InstitutionType.KINDERGARTEN, 52, 52, 4),
    ("2024-04-25", "校外培训机构负责人规范办学培训", TraineeKind.FOUNDERS, InstitutionType.TRAINING, 118, 118, 3),
    ("2024-05-16", "民办幼儿园教师保教常规培训", TraineeKind.TEACHERS, InstitutionType.KINDERGARTEN, 236, 52, 6),
    ("2024-06-20", "民办学校教师教学研讨", TraineeKind.TEACHERS, InstitutionType.PRIVATE_SCHOOL, 84, 9, 6),
    ("2024-07-11", "保育员岗位能力培训", TraineeKind.NURSERY, InstitutionType.KINDERGARTEN, 148, 52, 8),
    ("2024-09-05", "民办学校、幼儿园保安员培训", TraineeKind.GUARDS, InstitutionType.KINDERGARTEN, 104, 52, 4),
    ("2024-09-06", "民办学校保安员培训", TraineeKind.GUARDS, InstitutionType.PRIVATE_SCHOOL, 27, 9, 4),
    ("2024-11-14", "校外培训机构安全员、保安员培训", TraineeKind.GUARDS, InstitutionType.TRAINING, 121, 104, 3),
]


def _recipients(bureau: Organisation, to: str) -> tuple[list[School], list[Institution]]:
    private = School.objects.filter(organisation__path__startswith=bureau.path, is_private=True).order_by("pk")
    schools = ([s for s in private if s.level == SchoolLevel.KINDERGARTEN] if "k" in to else []) + \
              ([s for s in private if s.level != SchoolLevel.KINDERGARTEN] if "s" in to else [])
    institutions = list(Institution.objects.filter(organisation=bureau, status="operating").order_by("pk")) \
        if "t" in to else []
    return schools, institutions


def history(rng: random.Random, bureau: Organisation, users: dict[str, User]) -> dict[str, int]:
    clerk = users["head.policy"]
    for day, topic, title, channel, to in OUTREACH_2024:
        on = dt.date.fromisoformat(day)
        schools, institutions = _recipients(bureau, to)
        actions.outreach_record(actor=clerk, organisation=bureau, sent_on=on, topic=topic, title=title, channel=channel,
                                schools=schools, institutions=institutions, at=aware(on, 10))
    for day, title, audience, kind, people, places, hours in TRAINING_2024:
        on = dt.date.fromisoformat(day)
        actions.training_record(actor=clerk, organisation=bureau, held_on=on, title=title, audience=audience,
                                institution_type=kind, trainees=people, institutions=places, hours=Decimal(hours),
                                at=aware(on, 16))
    return {"business_outreach": len(OUTREACH_2024), "business_trainings": len(TRAINING_2024)}


def live(rng: random.Random, bureau: Organisation, users: dict[str, User], now: Live) -> dict[str, int]:
    """Since the history's end: a policy sent each season and a training session every other month."""
    first, last = now.since, now.today - dt.timedelta(days=1)
    if last < first:
        return {}
    clerk = users["head.policy"]
    cap = now.not_after(now.now)
    span = (last - first).days
    sent = 0
    for i, (_day, topic, title, channel, to) in enumerate(OUTREACH_2024[: max(1, span // 90)]):
        on = first + dt.timedelta(days=min(span, i * 90 + rng.randint(0, 20)))
        schools, institutions = _recipients(bureau, to)
        actions.outreach_record(actor=clerk, organisation=bureau, sent_on=on, topic=topic, title=f"{title}（{on.year}年）",
                                channel=channel, schools=schools, institutions=institutions, at=min(aware(on, 10), cap))
        sent += 1
    held = 0
    for i, (_day, title, audience, kind, people, places, hours) in enumerate(TRAINING_2024[: max(1, span // 60)]):
        on = day_between(rng, first + dt.timedelta(days=min(span, i * 60)), first + dt.timedelta(days=min(span, i * 60 + 30)))
        actions.training_record(actor=clerk, organisation=bureau, held_on=on, title=f"{title}（{on.year}年）",
                                audience=audience, institution_type=kind, trainees=(trained := max(places, people - rng.randint(0, 5))),
                                institutions=min(places, trained), hours=Decimal(hours), at=min(aware(on, 16), cap))
        held += 1
    return {"business_outreach_live": sent, "business_trainings_live": held}
