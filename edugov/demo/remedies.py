"""Disclosure on request and the cases against the bureau in the demo district (issue 29), written for
the demo: 2024's requests for government information (one corrected, then put to a third party, then
answered in time; a refusal later revoked on reconsideration; one carried into 2025), a
reconsideration of a 2024 penalty answered in time with its evidence bundle, a lawsuit against
another penalty where the responsible head appeared, and the 2024 disclosure report published in
January 2025. The live layer puts a new request and a new reconsideration on the desks."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from edugov.accounts.models import Organisation, User
from edugov.disclosure import actions as ogi
from edugov.disclosure.models import DisclosureRequest
from edugov.enforcement.models import Penalty
from edugov.remedies import actions as remedies
from edugov.reports import actions as reports

from .clock import Live, aware

# received, channel, requester kind, name, what, how it ends
REQUESTS = [
    (dt.date(2024, 3, 12), "web", "person", "王女士", "2024年义务教育阶段学校招生划片范围", ("already_public", "", "已在区教委网站“招生入学”栏目公开，网址见附件。")),
    (dt.date(2024, 4, 8), "letter", "person", "刘先生", "学校食堂2023年收支情况", "walk"),
    (dt.date(2024, 5, 13), "web", "law_firm", "某律师事务所", "对某培训机构作出的行政处罚决定书", ("partly", "third_party", "公开决定书，当事人身份证号码等个人信息已作处理。")),
    (dt.date(2024, 6, 3), "web", "business", "某服装有限公司", "2024年中小学生校服采购招标文件", ("disclosed", "", "招标文件见附件。")),
    (dt.date(2024, 6, 17), "visit", "person", "赵先生", "2024年教师招聘面试评分的内部讨论记录", ("refused", "process", "所申请信息属于内部讨论记录，为过程性信息，不予公开。")),
    (dt.date(2024, 8, 5), "web", "person", "孙女士", "全区常住人口中适龄儿童人数统计", ("not_ours", "", "该信息由区统计局负责公开，联系电话023-00000000。")),
    (dt.date(2024, 9, 9), "web", "research", "某大学教育研究院", "2024年中小学校舍维修资金使用情况", "extend"),
    (dt.date(2024, 10, 14), "web", "person", "赵先生", "2024年教师招聘面试评分的内部讨论记录", ("repeat", "", "您已于6月申请公开相同信息，本机关已作出答复，不再重复处理。")),
    (dt.date(2024, 12, 27), "web", "person", "陈先生", "2025年寒假中小学校安全工作方案", "carry"),
]


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return aware(day, hour)


def _after(day: dt.date, days: int) -> dt.date:
    out = day + dt.timedelta(days=days)
    while out.weekday() >= 5:
        out += dt.timedelta(days=1)
    return out


def history(rng: random.Random, bureau: Organisation, users: dict[str, User]) -> dict[str, int]:
    staff, legal, leader = users["staff.basic"], users["reviewer"], users["leader"]
    head = users["head.basic"]
    made: dict[str, DisclosureRequest] = {}
    for received, channel, kind, name, what, end in REQUESTS:
        r = ogi.request_receive(actor=staff, organisation=bureau, channel=channel, requester_kind=kind, requester=name,
                                identity="", phone="", description=what, received_on=received, at=_at(received))
        made[what + str(received)] = r
        if end == "walk":  # unclear, corrected, a third party consulted, answered in time
            ogi.request_ask_correction(actor=staff, request=r, what="请明确学校名称和所需信息的时间范围",
                                       at=_at(_after(received, 2)))
            corrected = _after(received, 6)
            ogi.request_corrected(actor=staff, request=r, corrected_on=corrected,
                                  description="江州区第一实验小学2023年食堂收支明细", at=_at(corrected, 15))
            ogi.request_consult(actor=staff, request=r, third_party="江州区第一实验小学", at=_at(_after(corrected, 3)))
            ogi.request_consulted(actor=staff, request=r, opinion="学校同意公开，附2023年食堂收支明细表。",
                                  at=_at(_after(corrected, 10)))
            ogi.request_reply(actor=staff, request=r, form="disclosed", text="食堂收支明细见附件。",
                              at=_at(_after(corrected, 14)))
        elif end == "extend":  # a large file to gather: extended once, answered within the extension
            ogi.request_extend(actor=head, request=r, reason="涉及全区239所学校的维修台账，需逐校汇总",
                               at=_at(_after(received, 20)))
            ogi.request_reply(actor=staff, request=r, form="disclosed", text="校舍维修资金使用情况汇总表见附件。",
                              at=_at(_after(received, 30)))
        elif end == "carry":  # answered in January: carried into 2025
            ogi.request_reply(actor=staff, request=r, form="disclosed", text="方案见附件。", at=_at(dt.date(2025, 1, 8)))
        else:
            form, reason, text = end
            ogi.request_reply(actor=staff, request=r, form=form, refusal_reason=reason, text=text,
                              at=_at(_after(received, 9)))
    refused = next(r for r in made.values() if r.reply_form == "refused")
    # the refusal is challenged and revoked: answered in time with its evidence, then corrected
    c = remedies.challenge_register(actor=legal, organisation=bureau, kind="reconsideration", contested=refused.case,
                                    contested_text="政府信息公开申请答复（不予公开）", applicant="赵先生",
                                    body="示范市江州区人民政府", body_reference="江府复〔2024〕31号",
                                    received_on=dt.date(2024, 7, 22), at=_at(dt.date(2024, 7, 22)))
    remedies.challenge_answer(actor=legal, challenge=c, at=_at(dt.date(2024, 7, 29)),
                              answer="答复认定所申请信息属于过程性信息，事实清楚，程序合法，附证据材料。")
    remedies.challenge_decide(actor=legal, challenge=c, outcome="revoked", decided_on=dt.date(2024, 9, 20),
                              text="面试评分细则已经形成并对外适用，不属于过程性信息；撤销答复，责令重新答复。",
                              at=_at(dt.date(2024, 9, 23)))
    remedies.challenge_correct(actor=legal, challenge=c, at=_at(dt.date(2024, 10, 8)),
                               correction="重新答复并公开面试评分细则；修订依申请公开答复审核流程，"
                                          "对过程性信息的认定增加法律顾问审核环节。")
    penalties = list(Penalty.objects.filter(case__organisation=bureau, served_on__year=2024, served_on__month__lte=8)
                     .select_related("case").order_by("served_on", "pk")[:2])
    for n, p in enumerate(penalties):
        received = _after(p.served_on, 20 + 10 * n)
        kind = "reconsideration" if n == 0 else "litigation"
        c = remedies.challenge_register(
            actor=legal, organisation=bureau, kind=kind, contested=p.case, contested_text="行政处罚决定",
            applicant=p.party_name, body="示范市江州区人民政府" if n == 0 else "示范市铁路运输法院",
            body_reference="江府复〔2024〕47号" if n == 0 else "（2024）渝8601行初112号", received_on=received,
            at=_at(received))
        remedies.challenge_answer(actor=legal, challenge=c, at=_at(_after(received, 5)),
                                  answer="处罚决定认定事实清楚，证据确凿，适用依据正确，程序合法，内容适当。")
        if kind == "litigation":
            remedies.challenge_hear(actor=legal, challenge=c, hearing_on=_after(received, 40), head_appeared=True,
                                    appeared="区教委副主任（负责人）及法制科工作人员", at=_at(_after(received, 40), 16))
        decided = _after(received, 55)
        remedies.challenge_decide(actor=legal, challenge=c, outcome="upheld" if n == 0 else "dismissed",
                                  decided_on=decided, text="维持原处罚决定。" if n == 0 else "驳回原告的诉讼请求。",
                                  at=_at(_after(decided, 2)))
    reports.ogi_report_publish(actor=leader, organisation=bureau, year=2024, at=_at(dt.date(2025, 1, 20)),
                               problems="个别答复对过程性信息的认定不准确，已被复议机关纠正；答复文书的说理还需加强。",
                               other="本年度未收取信息处理费。")
    return {"disclosure_requests_2024": len(REQUESTS), "challenges_2024": 1 + len(penalties)}


def live(rng: random.Random, bureau: Organisation, users: dict[str, User], live: Live) -> dict[str, int]:
    """A request received two days ago and a reconsideration whose copy came three days ago."""
    staff, legal = users["staff.basic"], users["reviewer"]
    day = timezone.localdate(live.days_ago(2))
    ogi.request_receive(actor=staff, organisation=bureau, channel="web", requester_kind="person", requester="周女士",
                        identity="", phone="", description="本学期课后服务收费标准及依据", received_on=day,
                        at=live.days_ago(2))
    penalty = Penalty.objects.filter(case__organisation=bureau, served_on__isnull=False).order_by("-served_on").first()
    if penalty is not None:
        received = timezone.localdate(live.days_ago(3))
        remedies.challenge_register(actor=legal, organisation=bureau, kind="reconsideration", contested=penalty.case,
                                    contested_text="行政处罚决定", applicant=penalty.party_name,
                                    body="示范市江州区人民政府", received_on=received, at=live.days_ago(3))
    return {"remedies_live": 2}
