"""The demo district's first-responsible-person records (issue 31): the leadership's study sessions
of 2024 and 2025 with their attendance and 第一议题, the work committee's quarterly hearings, the
head's yearly account of rule-of-law duties (述法), and the same work since the history's end. (The
lectures in schools are drawn with the other registers, demo/oversight.py.)"""

from __future__ import annotations

import datetime as dt
import random

from edugov.accounts.models import Organisation, User
from edugov.leadership import actions
from edugov.leadership.models import SessionKind

from .clock import Live, aware

HEAD = "陈明（区委教育工委书记、区教委主任）"
# what each kind of meeting studied, the first item first
TOPICS = {
    SessionKind.CENTRAL_GROUP: ["习近平法治思想专题学习", "党的二十届三中全会精神", "《中国共产党章程》", "宪法及相关法",
                                "《未成年人保护法》《预防未成年人犯罪法》", "全面依法治区工作要求"],
    SessionKind.COMMITTEE: ["习近平总书记关于教育的重要论述", "会前学法：《行政处罚法》", "会前学法：《民办教育促进法实施条例》",
                            "会前学法：《信访工作条例》", "会前学法：《教师法》"],
    SessionKind.STAFF: ["《中华人民共和国行政复议法》修订解读", "《民法典》与校园安全", "《家庭教育促进法》", "执法全过程记录规范"],
    SessionKind.PRINCIPALS: ["依法治校与学校章程修订", "防范校园欺凌的法律责任", "法治副校长履职"],
}
# meetings a year: the study group monthly, the committee twice a month, the staff and principals less often
PER_YEAR = {SessionKind.CENTRAL_GROUP: 12, SessionKind.COMMITTEE: 24, SessionKind.STAFF: 10, SessionKind.PRINCIPALS: 4}
MEMBERS = {SessionKind.CENTRAL_GROUP: 11, SessionKind.COMMITTEE: 9, SessionKind.STAFF: 86, SessionKind.PRINCIPALS: 240}
SUBJECTS = ["行政执法工作", "信访和热线办理工作", "依法治校和法治副校长工作", "法治政府建设工作"]


def _sessions(rng: random.Random, bureau: Organisation, clerk: User, first: dt.date, last: dt.date,
              share: float = 1.0) -> int:
    made = 0
    span = (last - first).days
    for kind, per_year in PER_YEAR.items():
        count = max(1, round(per_year * share))
        for i in range(count):
            day = first + dt.timedelta(days=min(span, (span * i) // count + rng.randint(0, 6)))
            topics = TOPICS[kind]
            topic = topics[i % len(topics)]
            first_topic = kind in (SessionKind.CENTRAL_GROUP, SessionKind.COMMITTEE) and i % len(topics) == 0 \
                or kind == SessionKind.CENTRAL_GROUP
            expected = MEMBERS[kind]
            actions.session_add(actor=clerk, organisation=bureau, kind=kind, held_on=day, topic=f"{topic}（{i + 1}）",
                                chaired_by=HEAD if kind != SessionKind.STAFF or i % 2 == 0 else "刘华（副主任）",
                                first_topic=first_topic, on_law="法" in topic, expected=expected,
                                attended=expected - rng.choice([0, 0, 0, 1, 1, 2]), at=aware(day, 15))
            made += 1
    return made


def _year_of_committee(bureau: Organisation, clerk: User, year: int, last: dt.date | None = None) -> int:
    made = 0
    for quarter in range(4):
        day = dt.date(year, quarter * 3 + 2, 20)
        if last is not None and day > last:
            break
        if last is not None and day <= dt.date(2026, 1, 15):
            continue  # the history's
        for subject in SUBJECTS[quarter % 2::2]:
            actions.report_heard(actor=clerk, organisation=bureau, heard_on=day, subject=subject,
                                 reporter="政策法规科" if "法治" in subject else "分管副主任",
                                 follow_up="同意报告所提措施，由分管领导督促落实，下季度报告进展。", at=aware(day, 10))
            made += 1
    return made


def history(rng: random.Random, bureau: Organisation, users: dict[str, User]) -> dict[str, int]:
    clerk = users["head.policy"]
    sessions = _sessions(rng, bureau, clerk, dt.date(2024, 1, 8), dt.date(2024, 12, 20))
    sessions += _sessions(rng, bureau, clerk, dt.date(2025, 1, 6), dt.date(2025, 12, 19))
    reports = _year_of_committee(bureau, clerk, 2024) + _year_of_committee(bureau, clerk, 2025)
    for year, on in ((2023, dt.date(2024, 1, 23)), (2024, dt.date(2025, 1, 21)), (2025, dt.date(2026, 1, 13))):
        actions.account_add(actor=clerk, organisation=bureau, year=year, person=HEAD, delivered_on=on,
                            before="区委全面依法治区委员会述法会", assessment="好",
                            summary=f"{year}年履行推进法治建设第一责任人职责情况：主持学法、研究法治建设重要事项、"
                                    "听取执法和信访工作汇报、重大执法决定先审核后决定。", at=aware(on, 10))
    return {"study_sessions": sessions, "committee_reports": reports}


def live(rng: random.Random, bureau: Organisation, users: dict[str, User], now: Live) -> dict[str, int]:
    """The year so far since the history's end: the sessions of the months passed, the quarters heard."""
    first, last = now.since, now.today - dt.timedelta(days=1)
    if last < first:
        return {}
    share = (last - first).days / 365
    made = _sessions(rng, bureau, users["head.policy"], first, last, share)
    heard = _year_of_committee(bureau, users["head.policy"], now.today.year, last)
    return {"study_sessions_live": made, "committee_reports_live": heard}
