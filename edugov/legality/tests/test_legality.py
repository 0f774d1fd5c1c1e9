"""Issue 28: a normative document from draft to filing and the in-force list, a major decision through
its steps, a contract reviewed before signing, the adviser's opinions, and the refusals the law asks
for (publish without review, decide without discussion, sign without review), with the figures."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from edugov.accounts.models import Role
from edugov.kernel.errors import ValidationFailed
from edugov.legality import actions as a
from edugov.legality.models import DocStatus, NormativeDocument
from edugov.metrics import registry

CST = ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def at(y, m, d, h=10):
    return dt.datetime(y, m, d, h, tzinfo=CST)


def figure(key, org, year=2024):
    return registry.compute(registry.get(key), registry.Period.year(year), org).value


@pytest.fixture
def people(tree, make_user):
    return {"staff": make_user(Role.DEPARTMENT_STAFF, tree.dept), "head": make_user(Role.DEPARTMENT_HEAD, tree.dept),
            "reviewer": make_user(Role.LEGAL_REVIEWER, tree.dept), "leader": make_user(Role.BUREAU_LEADER, tree.bureau)}


def _reviewed_doc(tree, p, market=False):
    doc = a.normative_draft(actor=p["staff"], organisation=tree.bureau, title="江州区校外培训机构管理办法",
                            summary="规范校外培训", body="第一条 为了……", market_related=market, at=at(2024, 3, 1))
    a.normative_consult(actor=p["staff"], doc=doc, channel="区政府网站“意见征集”栏目", at=at(2024, 3, 4))
    comment = a.comment_add(actor=p["staff"], case=doc.case, received_on=dt.date(2024, 3, 6), text="建议明确收费公示方式",
                            at=at(2024, 3, 6))
    a.comment_answer(actor=p["staff"], comment=comment, adoption="adopted", answer="已在第八条补充", at=at(2024, 4, 8))
    a.normative_submit_review(actor=p["staff"], doc=doc, fair_competition="不含限制经营、排除竞争的内容" if market else "",
                              at=at(2024, 4, 8))
    a.normative_review(actor=p["reviewer"], doc=doc, passed=True, opinion="权限、程序、内容合法", at=at(2024, 4, 12))
    return doc


def test_a_normative_document_goes_from_draft_to_filing_and_the_in_force_list(tree, people, client):
    doc = _reviewed_doc(tree, people)
    assert doc.case.clocks.get(name="comment").due_on == dt.date(2024, 3, 13)  # 7 working days from 4 March
    a.normative_discuss(actor=people["head"], doc=doc, meeting="区教委主任办公会", discussed_on=dt.date(2024, 4, 16),
                        at=at(2024, 4, 16))
    a.normative_issue(actor=people["leader"], doc=doc, effective_on=dt.date(2024, 5, 1), at=at(2024, 4, 18))
    doc.refresh_from_db()
    assert (doc.number, doc.status, doc.issued_on) == ("甲教规〔2024〕1号", DocStatus.IN_FORCE, dt.date(2024, 4, 18))
    filing = doc.case.clocks.get(name="filing")
    assert filing.due_on == dt.date(2024, 5, 20)  # 30 days: 18 May is a Saturday, so the next working day
    a.normative_file(actor=people["staff"], doc=doc, filed_on=dt.date(2024, 5, 10), filing_body="区人民政府",
                     at=at(2024, 5, 10))
    doc.case.refresh_from_db()
    assert doc.case.state == "filed" and not doc.case.is_open
    assert figure("normative_docs.issued", tree.bureau) == 1
    assert figure("normative_docs.filed_in_time_rate", tree.bureau) == 1.0
    assert figure("normative_docs.in_force", tree.bureau) == 1
    assert figure("normative_docs.public_comments", tree.bureau) == 1
    assert figure("publication.items", tree.bureau) == 1  # the portal's publication is counted by 政务公开
    page = client.get("/legality/public/documents/").content.decode()
    assert "江州区校外培训机构管理办法" in page and "甲教规〔2024〕1号" in page
    detail = client.get(f"/legality/public/documents/{doc.pk}/").content.decode()
    assert "建议明确收费公示方式" in detail and "已在第八条补充" in detail


def test_a_draft_goes_to_review_only_after_the_comment_period_with_every_comment_answered(tree, people):
    doc = a.normative_draft(actor=people["staff"], organisation=tree.bureau, title="办法", summary="s", body="b",
                            at=at(2024, 3, 1))
    with pytest.raises(ValidationFailed, match="Publish the draft for public comment first|征求意见"):
        a.normative_submit_review(actor=people["staff"], doc=doc, at=at(2024, 3, 1))
    a.normative_consult(actor=people["staff"], doc=doc, channel="网站", at=at(2024, 3, 4))
    with pytest.raises(ValidationFailed, match="2024-03-13"):
        a.normative_submit_review(actor=people["staff"], doc=doc, at=at(2024, 3, 13))
    comment = a.comment_add(actor=people["staff"], case=doc.case, received_on=dt.date(2024, 3, 5), text="意见",
                            at=at(2024, 3, 5))
    with pytest.raises(ValidationFailed):
        a.normative_submit_review(actor=people["staff"], doc=doc, at=at(2024, 3, 14))
    a.comment_answer(actor=people["staff"], comment=comment, adoption="not_adopted", answer="与上位法不符", at=at(2024, 3, 14))
    a.normative_submit_review(actor=people["staff"], doc=doc, at=at(2024, 3, 14))
    doc.case.refresh_from_db()
    assert doc.case.state == "review"


def test_a_document_close_to_businesses_gets_30_days_and_needs_its_fair_competition_review(tree, people):
    doc = a.normative_draft(actor=people["staff"], organisation=tree.bureau, title="办法", summary="s", body="b",
                            market_related=True, at=at(2024, 3, 1))
    a.normative_consult(actor=people["staff"], doc=doc, channel="网站", at=at(2024, 3, 4))
    assert doc.case.clocks.get(name="comment").due_on == dt.date(2024, 4, 3)
    with pytest.raises(ValidationFailed, match="fair-competition|公平竞争"):
        a.normative_submit_review(actor=people["staff"], doc=doc, at=at(2024, 4, 8))


def test_a_document_is_not_published_without_a_passed_review_and_a_collective_discussion(tree, people):
    doc = a.normative_draft(actor=people["staff"], organisation=tree.bureau, title="办法", summary="s", body="b",
                            at=at(2024, 3, 1))
    with pytest.raises(ValidationFailed, match="legality review|合法性审核"):
        a.normative_issue(actor=people["leader"], doc=doc, effective_on=dt.date(2024, 5, 1), at=at(2024, 3, 2))
    reviewed = _reviewed_doc(tree, people)
    with pytest.raises(ValidationFailed, match="collective discussion|集体"):
        a.normative_issue(actor=people["leader"], doc=reviewed, effective_on=dt.date(2024, 5, 1), at=at(2024, 4, 15))
    returned = a.normative_draft(actor=people["staff"], organisation=tree.bureau, title="办法二", summary="s", body="b",
                                 at=at(2024, 3, 1))
    a.normative_consult(actor=people["staff"], doc=returned, channel="网站", at=at(2024, 3, 4))
    a.normative_submit_review(actor=people["staff"], doc=returned, at=at(2024, 3, 20))
    a.normative_review(actor=people["reviewer"], doc=returned, passed=False, opinion="超越权限设定义务", at=at(2024, 3, 22))
    with pytest.raises(ValidationFailed):
        a.normative_discuss(actor=people["head"], doc=returned, meeting="主任办公会", discussed_on=dt.date(2024, 3, 25),
                            at=at(2024, 3, 25))
    for d in (doc, reviewed, returned):
        d.refresh_from_db()
        assert d.number == "" and d.status == DocStatus.DRAFT
    assert figure("normative_docs.issued", tree.bureau) == 0


def test_a_clean_up_repeals_and_the_citation_is_marked_wherever_it_is_shown(tree, people):
    from edugov.kernel.citations import mark

    doc = _reviewed_doc(tree, people)
    a.normative_discuss(actor=people["head"], doc=doc, meeting="主任办公会", discussed_on=dt.date(2024, 4, 16),
                        at=at(2024, 4, 16))
    a.normative_issue(actor=people["leader"], doc=doc, effective_on=dt.date(2024, 5, 1), at=at(2024, 4, 18))
    assert "repealed" not in mark("依据甲教规〔2024〕1号") and "废止" not in mark("依据甲教规〔2024〕1号")
    with pytest.raises(ValidationFailed):
        a.cleanup(actor=people["reviewer"], organisation=tree.bureau, note="年度清理", outcomes={}, at=at(2024, 11, 1))
    with pytest.raises(ValidationFailed, match="reason|理由"):
        a.cleanup(actor=people["reviewer"], organisation=tree.bureau, note="年度清理", outcomes={doc.pk: "repeal"},
                  at=at(2024, 11, 1))
    done = a.cleanup(actor=people["reviewer"], organisation=tree.bureau, note="年度清理", outcomes={doc.pk: "repeal"},
                     reasons={doc.pk: "上位法已修改"}, at=at(2024, 11, 1))
    assert (done.kept, done.repealed) == (0, 1)
    doc.refresh_from_db()
    assert doc.status == DocStatus.REPEALED and doc.ended_on == dt.date(2024, 11, 1)
    marked = str(mark("依据甲教规〔2024〕1号<script>"))
    assert 'class="withdrawn"' in marked and "&lt;script&gt;" in marked
    assert figure("normative_docs.repealed", tree.bureau) == 1 and figure("normative_docs.in_force", tree.bureau) == 0


def test_a_new_version_marks_the_old_one_amended(tree, people):
    old = _reviewed_doc(tree, people)
    a.normative_discuss(actor=people["head"], doc=old, meeting="会", discussed_on=dt.date(2024, 4, 16), at=at(2024, 4, 16))
    a.normative_issue(actor=people["leader"], doc=old, effective_on=dt.date(2024, 5, 1), at=at(2024, 4, 18))
    new = a.normative_draft(actor=people["staff"], organisation=tree.bureau, title="办法（修订）", summary="s", body="b",
                            replaces=old, at=at(2024, 6, 3))
    a.normative_consult(actor=people["staff"], doc=new, channel="网站", at=at(2024, 6, 3))
    a.normative_submit_review(actor=people["staff"], doc=new, at=at(2024, 6, 20))
    a.normative_review(actor=people["reviewer"], doc=new, passed=True, opinion="合法", at=at(2024, 6, 21))
    a.normative_discuss(actor=people["head"], doc=new, meeting="会", discussed_on=dt.date(2024, 6, 24), at=at(2024, 6, 24))
    a.normative_issue(actor=people["leader"], doc=new, effective_on=dt.date(2024, 7, 1), at=at(2024, 6, 25))
    old.refresh_from_db()
    assert old.status == DocStatus.AMENDED and "甲教规〔2024〕2号" in old.end_note


def test_a_major_decision_passes_its_steps_and_is_not_decided_without_review_or_discussion(tree, people):
    d = a.decision_catalogue(actor=people["staff"], organisation=tree.bureau, year=2024, title="中小学布局调整",
                             description="调整学校布局", at=at(2024, 1, 10))
    a.catalogue_publish(actor=people["leader"], organisation=tree.bureau, year=2024, at=at(2024, 1, 20))
    with pytest.raises(ValidationFailed):  # the catalogue is published: nothing slips in afterwards
        a.decision_catalogue(actor=people["staff"], organisation=tree.bureau, year=2024, title="另一项",
                             description="d", at=at(2024, 2, 1))
    a.decision_consult(actor=people["staff"], decision=d, channel="区政府网站", at=at(2024, 3, 1))
    assert d.case.clocks.get(name="comment").due_on == dt.date(2024, 4, 1)  # 30 days: 31 March is a Sunday
    with pytest.raises(ValidationFailed, match="2024-04-01"):
        a.decision_close_consultation(actor=people["staff"], decision=d, participation="p", at=at(2024, 3, 20))
    a.decision_close_consultation(actor=people["staff"], decision=d, participation="收到意见12条，采纳5条",
                                  at=at(2024, 4, 2))
    a.decision_assess(actor=people["staff"], decision=d, expert_argument="专家论证会认为可行",
                      risk_assessment="社会稳定风险低", at=at(2024, 4, 10))
    with pytest.raises(ValidationFailed, match="review|审查"):  # no decision before the review (art. 25)
        a.decision_decide(actor=people["leader"], decision=d, meeting="主任办公会", decided_on=dt.date(2024, 4, 11),
                          text="同意", at=at(2024, 4, 11))
    a.decision_submit_review(actor=people["staff"], decision=d, at=at(2024, 4, 11))
    a.decision_review(actor=people["reviewer"], decision=d, passed=True, opinion="合法", at=at(2024, 4, 19))
    with pytest.raises(ValidationFailed, match="collective|集体"):  # no decision without the meeting (art. 30)
        a.decision_decide(actor=people["leader"], decision=d, meeting="", decided_on=dt.date(2024, 4, 22), text="同意",
                          at=at(2024, 4, 22))
    d.case.refresh_from_db()
    assert d.case.state == "reviewed" and figure("major_decisions.decided", tree.bureau) == 0
    a.decision_decide(actor=people["leader"], decision=d, meeting="区教委主任办公会", decided_on=dt.date(2024, 4, 22),
                      text="同意调整", at=at(2024, 4, 22))
    a.decision_publish(actor=people["staff"], decision=d, at=at(2024, 4, 25))
    a.decision_evaluate(actor=people["staff"], decision=d, evaluation="实施效果良好", at=at(2024, 11, 5))
    assert figure("major_decisions.decided", tree.bureau) == 1
    assert figure("major_decisions.public_participation", tree.bureau) == 1
    assert figure("major_decisions.catalogued", tree.bureau) == 1


def test_a_contract_is_signed_only_after_its_review(tree, people):
    c = a.contract_draft(actor=people["staff"], organisation=tree.bureau, title="校舍维修工程施工合同",
                         counterparty="某建筑公司", amount=None, at=at(2024, 5, 6))
    text = SimpleUploadedFile("合同.pdf", PDF, "application/pdf")
    with pytest.raises(ValidationFailed, match="review|审查"):
        a.contract_sign(actor=people["leader"], contract=c, signed_on=dt.date(2024, 5, 6),
                        signed_copy=SimpleUploadedFile("s.pdf", PDF), at=at(2024, 5, 6))
    a.contract_submit_review(actor=people["staff"], contract=c, text=text, at=at(2024, 5, 6))
    # 5 working days from Monday 6 May 2024: Saturday 11 May was a working day (the May Day 调休)
    assert c.case.clocks.get(name="review").due_on == dt.date(2024, 5, 11)
    a.contract_review(actor=people["reviewer"], contract=c, passed=True, opinion="条款合法", at=at(2024, 5, 9))
    a.contract_sign(actor=people["leader"], contract=c, signed_on=dt.date(2024, 5, 10),
                    signed_copy=SimpleUploadedFile("签字盖章件.pdf", PDF, "application/pdf"), at=at(2024, 5, 10))
    c.refresh_from_db()
    assert c.case.state == "signed" and c.signed_copy.sha256 and c.text.sha256
    assert figure("contracts.reviewed", tree.bureau) == 1 and figure("contracts.signed", tree.bureau) == 1


def test_an_opinion_is_asked_of_a_serving_adviser_answered_and_its_following_counted(tree, people):
    firm = a.adviser_add(actor=people["reviewer"], organisation=tree.bureau, name="张律师", kind="firm", firm="某律师事务所",
                         term_start=dt.date(2024, 1, 1), term_end=dt.date(2024, 12, 31))
    with pytest.raises(ValidationFailed, match="2025-01-02"):
        a.opinion_ask(actor=people["staff"], organisation=tree.bureau, adviser=firm, subject_kind="contract",
                      question="合同条款是否合法？", at=at(2025, 1, 2))
    o = a.opinion_ask(actor=people["staff"], organisation=tree.bureau, adviser=firm, subject_kind="contract",
                      question="合同条款是否合法？", at=at(2024, 5, 6))
    assert o.case.clocks.get(name="opinion").due_on == dt.date(2024, 5, 11)  # Saturday 11 May 2024 was worked
    a.opinion_answer(actor=people["reviewer"], opinion=o, answer="建议删除第十条", answered_on=dt.date(2024, 5, 8),
                     at=at(2024, 5, 8))
    a.opinion_conclude(actor=people["staff"], opinion=o, followed=True, note="已删除第十条", at=at(2024, 5, 9))
    o2 = a.opinion_ask(actor=people["staff"], organisation=tree.bureau, adviser=firm, subject_kind="decision",
                       question="q", at=at(2024, 6, 3))
    a.opinion_answer(actor=people["reviewer"], opinion=o2, answer="a", answered_on=dt.date(2024, 6, 4), at=at(2024, 6, 4))
    a.opinion_conclude(actor=people["staff"], opinion=o2, followed=False, note="已另行论证", at=at(2024, 6, 5))
    assert figure("legal_adviser.opinions", tree.bureau) == 2
    assert figure("legal_adviser.followed_rate", tree.bureau) == 0.5


def test_the_case_page_offers_the_steps_and_a_refusal_is_said_there(tree, people, client):
    doc = a.normative_draft(actor=people["staff"], organisation=tree.bureau, title="办法", summary="s", body="b")
    client.force_login(people["leader"])
    page = client.get(f"/cases/{doc.case_id}/").content.decode()
    assert "/legality/cases/" in page
    client.force_login(people["staff"])
    response = client.post(f"/legality/cases/{doc.case_id}/steps/consult/", {"consult-channel": "", "consult-version":
                                                                              doc.case.version}, follow=True)
    assert response.status_code == 200
    doc.case.refresh_from_db()
    assert doc.case.state == "drafting"
    client.post(f"/legality/cases/{doc.case_id}/steps/consult/", {"consult-channel": "区政府网站",
                                                                   "consult-version": doc.case.version})
    doc.case.refresh_from_db()
    assert doc.case.state == "consultation"
    # a step the reviewer alone takes is refused to the drafter, and changes nothing
    client.post(f"/legality/cases/{doc.case_id}/steps/review/", {"review-passed": "yes", "review-opinion": "x"})
    doc.case.refresh_from_db()
    assert doc.case.state == "consultation"


def test_each_tab_of_the_page_opens_for_the_legal_office(tree, people, client):
    client.force_login(people["reviewer"])
    for tab in ("documents", "decisions", "contracts", "opinions", "advisers"):
        assert client.get(f"/legality/?tab={tab}").status_code == 200
    response = client.get("/legality/?tab=documents&export=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert NormativeDocument.objects.count() == 0
