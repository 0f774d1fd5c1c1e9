"""The demo district's enforcement officers' training (issue 31): the 2024 and 2025 yearly plans with
their sessions, attendance, self-study and the year-end assessment, and this year's plan with the
sessions held so far. In 2025 one officer fell behind on hours and one was not found competent: the
head's workbench lists them and their certificates are not renewed (demo/enforcement.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from edugov.accounts.models import Organisation, User
from edugov.enforcement import actions
from edugov.enforcement.models import AssessmentResult, TrainingKind, TrainingPlan
from edugov.enforcement.selectors import training_roster
from edugov.registries.models import Person

from .clock import Live, aware

# (month, kind, topic, hours): the year's sessions, concentrated study first (48 hours in all)
SESSIONS = [
    (1, TrainingKind.CONCENTRATED, "《行政处罚法》及教育领域裁量基准", 6),
    (2, TrainingKind.CASE_EXCHANGE, "无证办学案件查处经验交流", 3),
    (3, TrainingKind.DOCUMENT_REVIEW, "行政处罚决定书、检查笔录点评", 3),
    (4, TrainingKind.CONCENTRATED, "《行政强制法》与查封扣押程序", 6),
    (5, TrainingKind.CASE_DISCUSSION, "超范围培训案例分析讨论", 3),
    (6, TrainingKind.CASE_EXCHANGE, "联合执法协作案例交流", 3),
    (7, TrainingKind.CONCENTRATED, "执法全过程记录与证据规则", 6),
    (8, TrainingKind.DOCUMENT_REVIEW, "送达回证与告知书点评", 3),
    (9, TrainingKind.CASE_DISCUSSION, "预收费监管案例讨论", 3),
    (10, TrainingKind.CONCENTRATED, "《行政复议法》《行政诉讼法》应诉要点", 6),
    (11, TrainingKind.DOCUMENT_REVIEW, "年度执法案卷评查", 3),
    (12, TrainingKind.CASE_EXCHANGE, "年度执法案例汇编交流", 3),
]
SELF_STUDY = ["学习《未成年人保护法》", "学习《民办教育促进法实施条例》", "学习《校外培训行政处罚暂行办法》",
              "学习行政执法典型案例"]  # one each quarter, 3 hours: 12 hours a year


def _year(bureau: Organisation, head: User, clerk: User, year: int, last: dt.date,
          skips: dict[int, set[int]] | None = None,
          now: dt.datetime | None = None) -> tuple[TrainingPlan, int, list[Person]]:
    """The year's plan and what was held up to `last`; `skips` maps an officer to the months they missed."""
    def at(day: dt.date, hour: int) -> dt.datetime:
        return min(aware(day, hour), now) if now is not None else aware(day, hour)

    approved = min(dt.date(year, 1, 8), now.date() if now is not None else dt.date(year, 1, 8))
    plan = actions.plan_create(actor=head, organisation=bureau, year=year, title=f"{year}年度行政执法人员学习培训计划",
                               approved_on=approved, required_hours=60,
                               content="以集中学习培训为主、自学为辅，穿插执法案例交流、执法文书点评、案例分析讨论；"
                                       "每人全年不少于60学时，年底考核。", at=at(approved, 9))
    roster = list(training_roster(bureau, year, last))
    skips = skips or {}
    made = 0
    for month, kind, topic, hours in SESSIONS:
        day = dt.date(year, month, 16)
        if day > last or not roster:
            break
        attendees = [p for p in roster if month not in skips.get(p.pk, set())]
        actions.session_record(actor=clerk, plan=plan, kind=kind, held_on=day, topic=topic, hours=Decimal(hours),
                               attendees=attendees, teacher="区司法局讲师" if kind == TrainingKind.CONCENTRATED
                               else "综合执法支队", at=at(day, 17))
        made += 1
    for quarter, topic in enumerate(SELF_STUDY):
        day = dt.date(year, quarter * 3 + 3, 25)
        if day > last:
            break
        for officer in roster:
            if quarter * 3 + 3 in skips.get(officer.pk, set()):
                continue
            actions.self_study_record(actor=clerk, plan=plan, officer=officer, studied_on=day, topic=topic,
                                      hours=Decimal(3), at=at(day, 18))
    return plan, made, roster


def history(bureau: Organisation, users: dict[str, User]) -> dict[str, int]:
    head, clerk = users["leader"], users["officer"]
    plan_2024, sessions, roster = _year(bureau, head, clerk, 2024, dt.date(2024, 12, 31))
    for i, officer in enumerate(roster):
        actions.assessment_record(
            actor=head, plan=plan_2024, officer=officer, assessed_on=dt.date(2024, 12, 27),
            result=AssessmentResult.EXCELLENT if i % 5 == 0 else AssessmentResult.COMPETENT, score=80 + i % 15,
            at=aware(dt.date(2024, 12, 27), 15))
    # 2025: the last two on the roster: one missed four concentrated sessions and a quarter's self-study
    # (30 of 60 hours); the other attended everything and was found not competent
    roster_2025 = list(training_roster(bureau, 2025, dt.date(2025, 12, 31)))
    behind, failing = roster_2025[-1], roster_2025[-2]
    plan_2025, more, roster = _year(bureau, head, clerk, 2025, dt.date(2025, 12, 31),
                                    skips={behind.pk: {1, 4, 7, 10, 12}})
    for i, officer in enumerate(roster):
        fail = officer.pk == failing.pk
        actions.assessment_record(actor=head, plan=plan_2025, officer=officer, assessed_on=dt.date(2025, 12, 26),
                                  result=AssessmentResult.FAIL if fail else
                                  AssessmentResult.BASIC if officer.pk == behind.pk else
                                  AssessmentResult.EXCELLENT if i % 5 == 0 else AssessmentResult.COMPETENT,
                                  score=55 if fail else 80 + i % 15,
                                  note="年度执法案卷评查两件不合格，法律知识测试未达标" if fail else "",
                                  at=aware(dt.date(2025, 12, 26), 15))
    return {"training_sessions": sessions + more}


def live(bureau: Organisation, users: dict[str, User], now: Live) -> dict[str, int]:
    """This year's plan and the sessions held before today (the history's years have theirs); the
    officer behind in 2025 misses this year's concentrated study too, and shows as behind."""
    if now.today.year <= 2025:
        return {}
    behind = list(training_roster(bureau, 2025, dt.date(2025, 12, 31)))[-1]
    _plan, made, _roster = _year(bureau, users["leader"], users["officer"], now.today.year,
                                 now.today - dt.timedelta(days=1), skips={behind.pk: {1, 4, 7, 10}},
                                 now=now.not_after(now.now))
    return {"training_sessions_live": made}
