"""Legality review in the demo district (issue 28), written for the demo: the bureau's legal
advisers; its normative documents since 2019 (one repealed and one amended by the 2024 clean-up,
three issued in 2024 after comment, review and discussion, each filed); the 2024 catalogue of
major decisions and both decisions through every step; six contracts reviewed before signing; the
adviser's opinions on all of them. The live layer puts a draft on the legal reviewer's desk and
an opinion waiting for its answer."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from edugov.accounts.models import Organisation, User
from edugov.legality import actions as a
from edugov.legality.models import Adviser, Contract, MajorDecision, NormativeDocument

from .clock import Live, aware

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FILING_BODY = "江州区人民政府"

# title, summary, market-related, year, consulted, comments (text, adoption, answer)
DOCUMENTS = [
    ("江州区民办学校办学行为管理办法", "规范民办学校招生、收费和办学行为。", True, dt.date(2019, 3, 4),
     [("建议明确退费办法", "adopted", "已在第十二条补充退费办法。")]),
    ("江州区校外培训机构管理办法", "规范校外培训机构设立、培训内容和收费。", True, dt.date(2021, 9, 6),
     [("建议公开机构名单", "adopted", "已增加白名单公示条款。")]),
    ("江州区中小学生校服管理办法", "规范校服选用、采购和价格。", True, dt.date(2022, 3, 7),
     [("校服应由家长自愿购买", "adopted", "已明确自愿购买原则。"), ("建议统一指定供应商", "not_adopted",
                                                              "指定供应商排除竞争，与公平竞争审查要求不符，未采纳。")]),
]
DOCUMENTS_2024 = [
    ("江州区校外培训机构管理办法（2024年修订）", "落实校外培训监管新规定，修订设立条件、预收费监管和退费规则。", True,
     dt.date(2024, 3, 4), [("预收费不得超过三个月", "adopted", "已按上位规定写入第十五条。"),
                           ("建议取消线上培训备案", "not_adopted", "线上培训备案系上位规定要求，不予采纳。"),
                           ("建议明确投诉渠道", "adopted", "已写明督导服务热线。")]),
    ("江州区义务教育阶段学校招生入学工作细则", "明确入学条件、材料、电脑随机录取和信息公开。", False,
     dt.date(2024, 3, 11), [("多孩家庭希望同校就读", "partly", "对同一户籍多孩家庭在同一学校有学位时优先安排。"),
                            ("建议减少证明材料", "adopted", "取消居住证明以外的两项材料。")]),
    ("江州区学前教育资助管理办法", "规定家庭经济困难幼儿资助的对象、标准和程序。", False, dt.date(2024, 6, 3),
     [("资助标准应逐年调整", "partly", "标准随市级文件调整，在附件中列明。")]),
]
DECISIONS_2024 = [
    ("江州区中小学校布局规划（2024—2035年）", "根据学龄人口变化调整学校布局，涉及新建、改扩建和撤并学校。"),
    ("江州区学前教育第五期行动计划", "扩大普惠性学前教育资源，提高公办园在园幼儿占比。"),
]
CONTRACTS_2024 = [
    ("法律顾问服务合同", "示范市正衡律师事务所", "120000.00"),
    ("第三十七号公办学校校舍维修改造工程施工合同", "示范市建安建筑有限公司", "1860000.00"),
    ("中小学实验室教学装备采购合同", "示范市博学教育装备有限公司", "945000.00"),
    ("中小学生营养餐配送服务合同", "示范市安康餐饮管理有限公司", "3200000.00"),
    ("校园安保服务合同", "示范市平安保安服务有限公司", "780000.00"),
    ("教育政务服务平台运维服务合同", "示范市云帆信息技术有限公司", "260000.00"),
]


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return aware(day, hour)


def _next_weekday(day: dt.date, days: int) -> dt.date:
    out = day + dt.timedelta(days=days)
    while out.weekday() >= 5:
        out += dt.timedelta(days=1)
    return out


def _document(bureau: Organisation, users: dict[str, User], adviser: Adviser | None, title: str, summary: str,
              market: bool, start: dt.date, comments: list[tuple[str, str, str]],
              replaces: NormativeDocument | None = None) -> NormativeDocument:
    """One document through every step, dated from `start` (the day it goes out for comment)."""
    staff, reviewer, head, leader = users["staff.basic"], users["reviewer"], users["head.basic"], users["leader"]
    doc = a.normative_draft(actor=staff, organisation=bureau, title=title, summary=summary, market_related=market,
                            body=f"第一条 为了{summary.rstrip('。')}，根据有关法律、法规和规章，结合本区实际，制定本办法。\n"
                                 "第二条 本办法适用于本区行政区域内的有关活动。\n第三条 区教委负责组织实施。",
                            replaces=replaces, at=_at(start - dt.timedelta(days=14)))
    a.normative_consult(actor=staff, doc=doc, channel="区政府网站“意见征集”栏目、区教委微信公众号", at=_at(start))
    for n, (text, adoption, answer) in enumerate(comments):
        c = a.comment_add(actor=staff, case=doc.case, received_on=start + dt.timedelta(days=1 + n), text=text,
                          at=_at(start + dt.timedelta(days=1 + n), 15))
        a.comment_answer(actor=staff, comment=c, adoption=adoption, answer=answer,
                         at=_at(start + dt.timedelta(days=2 + n), 16))
    closes = doc.case.clocks.get(name="comment").due_on
    submitted = _next_weekday(closes, 1)
    a.normative_submit_review(actor=staff, doc=doc, at=_at(submitted),
                              fair_competition="经审查，不含设置不合理准入条件、限定经营或指定交易对象、排除或限制竞争的内容。"
                              if market else "")
    if adviser is not None:
        o = a.opinion_ask(actor=staff, organisation=bureau, adviser=adviser, subject_kind="normative",
                          subject=doc.case, question=f"《{title}》（送审稿）的合法性", at=_at(submitted, 14))
        a.opinion_answer(actor=reviewer, opinion=o, answer="制定主体、权限和程序合法，建议删除一项增设的证明材料。",
                         answered_on=_next_weekday(submitted, 3), at=_at(_next_weekday(submitted, 3), 11))
        a.opinion_conclude(actor=staff, opinion=o, followed=True, note="已删除该项材料要求。",
                           at=_at(_next_weekday(submitted, 4), 9))
    reviewed = _next_weekday(submitted, 5)
    a.normative_review(actor=reviewer, doc=doc, passed=True, at=_at(reviewed),
                       opinion="制定主体适格，未超越法定权限，未增设行政许可、行政处罚和证明事项，程序符合规定，同意提交集体审议。")
    discussed = _next_weekday(reviewed, 3)
    a.normative_discuss(actor=head, doc=doc, meeting="区教委主任办公会", discussed_on=discussed, at=_at(discussed, 17))
    issued = _next_weekday(discussed, 2)
    a.normative_issue(actor=leader, doc=doc, effective_on=issued + dt.timedelta(days=30), at=_at(issued))
    filed = _next_weekday(issued, 10)
    a.normative_file(actor=staff, doc=doc, filed_on=filed, filing_body=FILING_BODY, at=_at(filed))
    doc.refresh_from_db()
    return doc


def history(rng: random.Random, bureau: Organisation, users: dict[str, User]) -> dict[str, int]:
    reviewer, head = users["reviewer"], users["head.policy"]
    a.adviser_add(actor=reviewer, organisation=bureau, name="周婧", kind="internal", firm="",
                  term_start=dt.date(2019, 1, 1), term_end=dt.date(2028, 12, 31), scope="区教委公职律师")
    firm = a.adviser_add(actor=reviewer, organisation=bureau, name="示范市正衡律师事务所", kind="firm",
                         firm="示范市正衡律师事务所", term_start=dt.date(2024, 1, 1), term_end=dt.date(2025, 12, 31),
                         scope="重大行政决策、规范性文件、合同和重大执法决定的法律意见，行政复议和诉讼代理")
    old = [_document(bureau, users, None, title, summary, market, start, comments)
           for title, summary, market, start, comments in DOCUMENTS]
    made = [_document(bureau, users, firm, DOCUMENTS_2024[0][0], DOCUMENTS_2024[0][1], True, DOCUMENTS_2024[0][3],
                      DOCUMENTS_2024[0][4], replaces=old[1])]
    made += [_document(bureau, users, firm, title, summary, market, start, comments)
             for title, summary, market, start, comments in DOCUMENTS_2024[1:]]
    a.cleanup(actor=reviewer, organisation=bureau, note="根据上位法修改情况开展2024年度规范性文件清理",
              outcomes={d.pk: ("repeal" if d.pk == old[0].pk else "keep") for d in NormativeDocument.objects.filter(
                  organisation=bureau, status="in_force")},
              reasons={old[0].pk: "《中华人民共和国民办教育促进法实施条例》修订后相关规定已不适用"}, at=_at(dt.date(2024, 11, 15)))
    decisions = _decisions(bureau, users, firm)
    _contracts(bureau, users, firm)
    for n, (kind, question, followed, note) in enumerate([
            ("enforcement", "对无证办学机构拟作出的行政处罚决定是否合法", True, "已按意见补充调查取证。"),
            ("enforcement", "责令停止举办并退还所收费用的决定是否适当", True, "已按意见调整退费期限。"),
            ("dispute", "学生校内受伤的赔偿纠纷如何依法处理", True, "已组织调解并达成协议。"),
            ("dispute", "教师聘用合同争议的处理意见", False, "经班子研究，先行协商，暂未采纳提起仲裁的建议。")]):
        asked = dt.date(2024, 4 + 2 * n, 8)
        o = a.opinion_ask(actor=head, organisation=bureau, adviser=firm, subject_kind=kind, question=question,
                          at=_at(asked))
        a.opinion_answer(actor=reviewer, opinion=o, answer="依据相关法律规定提出处理意见。",
                         answered_on=_next_weekday(asked, 3), at=_at(_next_weekday(asked, 3)))
        a.opinion_conclude(actor=head, opinion=o, followed=followed, note=note, at=_at(_next_weekday(asked, 5)))
    return {"normative_documents": len(old) + len(made), "major_decisions_2024": len(decisions),
            "contracts_2024": len(CONTRACTS_2024)}


def _decisions(bureau: Organisation, users: dict[str, User], firm: Adviser) -> list[MajorDecision]:
    staff, reviewer, leader = users["head.basic"], users["reviewer"], users["leader"]
    out = []
    for title, description in DECISIONS_2024:
        out.append(a.decision_catalogue(actor=staff, organisation=bureau, year=2024, title=title,
                                        description=description, at=_at(dt.date(2024, 1, 8))))
    a.catalogue_publish(actor=leader, organisation=bureau, year=2024, at=_at(dt.date(2024, 1, 22)))
    for n, d in enumerate(out):
        start = dt.date(2024, 3 + 3 * n, 4)
        a.decision_consult(actor=staff, decision=d, channel="区政府网站、召开家长和学校代表座谈会", at=_at(start))
        for k, (text, adoption, answer) in enumerate([("建议保留村小教学点", "partly", "保留两个教学点，其余按规划调整。"),
                                                      ("新建学校应配足停车位", "adopted", "已纳入建设标准。")]):
            c = a.comment_add(actor=staff, case=d.case, received_on=start + dt.timedelta(days=3 + k), text=text,
                              at=_at(start + dt.timedelta(days=3 + k), 15))
            a.comment_answer(actor=staff, comment=c, adoption=adoption, answer=answer,
                             at=_at(start + dt.timedelta(days=5 + k), 16))
        closed = _next_weekday(d.case.clocks.get(name="comment").due_on, 1)
        a.decision_close_consultation(actor=staff, decision=d, at=_at(closed),
                                      participation="网上征求意见30日，收到意见建议2条，召开座谈会1场；采纳1条，部分采纳1条。")
        assessed = _next_weekday(closed, 7)
        a.decision_assess(actor=staff, decision=d, at=_at(assessed),
                          expert_argument="组织教育规划、建筑和财政方面专家5人论证，认为方案必要、可行。",
                          risk_assessment="开展社会稳定风险评估，评定为低风险，制定了学生分流和家长沟通预案。")
        a.decision_submit_review(actor=staff, decision=d, at=_at(assessed, 15))
        o = a.opinion_ask(actor=staff, organisation=bureau, adviser=firm, subject_kind="decision", subject=d.case,
                          question=f"{d.title}的合法性", at=_at(assessed, 16))
        a.opinion_answer(actor=reviewer, opinion=o, answer="决策权限和程序合法，内容与上位规划一致。",
                         answered_on=_next_weekday(assessed, 4), at=_at(_next_weekday(assessed, 4)))
        a.opinion_conclude(actor=staff, opinion=o, followed=True, note="提交主任办公会审议。",
                           at=_at(_next_weekday(assessed, 5)))
        reviewed = _next_weekday(assessed, 9)
        a.decision_review(actor=reviewer, decision=d, passed=True, at=_at(reviewed),
                          opinion="决策事项属于本机关法定权限，公众参与、专家论证和风险评估程序完备，内容合法。")
        decided = _next_weekday(reviewed, 3)
        a.decision_decide(actor=leader, decision=d, meeting="区教委主任办公会（集体讨论）", decided_on=decided,
                          text="同意，按程序报区政府并组织实施。", at=_at(decided, 17))
        a.decision_publish(actor=staff, decision=d, at=_at(_next_weekday(decided, 2)))
    return out


def _contracts(bureau: Organisation, users: dict[str, User], firm: Adviser) -> list[Contract]:
    staff, reviewer, leader = users["head.basic"], users["reviewer"], users["leader"]
    out = []
    for n, (title, counterparty, amount) in enumerate(CONTRACTS_2024):
        start = _next_weekday(dt.date(2024, 1 + 2 * n, 10), 0)
        c = a.contract_draft(actor=staff, organisation=bureau, title=title, counterparty=counterparty,
                             amount=Decimal(amount), at=_at(start))
        a.contract_submit_review(actor=staff, contract=c, at=_at(start, 11),
                                 text=SimpleUploadedFile(f"{title}（送审稿）.pdf", PDF, "application/pdf"))
        o = a.opinion_ask(actor=staff, organisation=bureau, adviser=firm, subject_kind="contract", subject=c.case,
                          question=f"《{title}》条款是否合法、权利义务是否对等", at=_at(start, 14))
        a.opinion_answer(actor=reviewer, opinion=o, answer="建议明确违约责任和争议解决方式。",
                         answered_on=_next_weekday(start, 2), at=_at(_next_weekday(start, 2)))
        a.opinion_conclude(actor=staff, opinion=o, followed=True, note="已补充违约责任条款。",
                           at=_at(_next_weekday(start, 3)))
        if n == 1:  # the works contract comes back once: the penalty clause was missing
            a.contract_review(actor=reviewer, contract=c, passed=False, opinion="缺少工期延误违约金条款，退回修改。",
                              at=_at(_next_weekday(start, 3), 15))
            a.contract_submit_review(actor=staff, contract=c, at=_at(_next_weekday(start, 4)),
                                     text=SimpleUploadedFile(f"{title}（修改稿）.pdf", PDF, "application/pdf"))
        reviewed = _next_weekday(start, 5)
        a.contract_review(actor=reviewer, contract=c, passed=True, at=_at(reviewed),
                          opinion="主体适格，条款合法，违约责任和争议解决明确，同意签订。")
        signed = _next_weekday(reviewed, 2)
        a.contract_sign(actor=leader, contract=c, signed_on=signed, at=_at(signed, 15),
                        signed_copy=SimpleUploadedFile(f"{title}（签订本）.pdf", PDF, "application/pdf"))
        out.append(c)
    return out


def live(rng: random.Random, bureau: Organisation, users: dict[str, User], live: Live) -> dict[str, int]:
    """A draft on the legal reviewer's desk and an opinion waiting for the adviser's answer."""
    staff, reviewer, head = users["staff.basic"], users["reviewer"], users["head.policy"]
    today = live.today
    adviser = Adviser.objects.filter(organisation=bureau, term_start__lte=today - dt.timedelta(days=30),
                                     term_end__gte=today).first()
    if adviser is None:  # the engagement is renewed for the years the demo runs in
        adviser = a.adviser_add(actor=reviewer, organisation=bureau, name="示范市正衡律师事务所（续聘）", kind="firm",
                                firm="示范市正衡律师事务所", term_start=today - dt.timedelta(days=200),
                                term_end=today + dt.timedelta(days=530), scope="法律顾问服务（续聘）")
    doc = a.normative_draft(actor=staff, organisation=bureau, title="江州区中小学校课后服务管理办法",
                            summary="规范课后服务的内容、收费和监管。", market_related=False,
                            body="第一条 为了规范中小学校课后服务，制定本办法。", at=live.days_ago(40))
    a.normative_consult(actor=staff, doc=doc, channel="区政府网站“意见征集”栏目", at=live.days_ago(35))
    c = a.comment_add(actor=staff, case=doc.case, received_on=timezone.localdate(live.days_ago(33)), text="建议课后服务坚持自愿参加",
                      at=live.days_ago(33, 15))
    a.comment_answer(actor=staff, comment=c, adoption="adopted", answer="已在第三条明确自愿原则。", at=live.days_ago(30))
    a.normative_submit_review(actor=staff, doc=doc, at=live.days_ago(3))
    a.opinion_ask(actor=head, organisation=bureau, adviser=adviser, subject_kind="normative", subject=doc.case,
                  question="《江州区中小学校课后服务管理办法》（送审稿）收费条款的合法性", at=live.days_ago(1))
    return {"legality_live": 2}
