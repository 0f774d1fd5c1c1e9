"""Issue 30: a penalty case issues its documents as its acts happen (行政处罚法 arts. 44, 54, 59, 61,
64; 行政强制法 art. 54): the filing form, the prior notice with the rights and their periods from the
rules registry, the hearing notice, the decision with the remedies and the payment period, the proof
of service and the reminder; each dated by its act, however late it is downloaded; a revoked decision
shows revoked."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from edugov.accounts.models import Role
from edugov.cases import actions as engine
from edugov.documents.models import DocumentKind
from edugov.documents.selectors import documents_of
from edugov.enforcement import actions
from edugov.enforcement.models import EnforcementItem

pytestmark = pytest.mark.django_db


def at(day: str, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(day).replace(hour=hour))


def _text(doc) -> str:
    """The document's text as issued (its PDF rendering is tested in edugov/documents/tests)."""
    return doc.text.replace("\n", "")


def test_each_act_of_a_penalty_case_issues_its_document(tree, make_user):
    officer = make_user(Role.ENFORCEMENT_OFFICER, tree.dept)
    head = make_user(Role.DEPARTMENT_HEAD, tree.dept)
    item = EnforcementItem.objects.create(organisation=tree.bureau, code="X1", name="擅自举办校外培训",
                                          legal_basis="《民办教育促进法》第六十四条", fine_min=Decimal(100),
                                          fine_max=Decimal(1000), department=tree.dept)
    actions.item_claim(actor=None, item=item)
    p = actions.penalty_open(actor=officer, inspection=None, organisation=tree.bureau, item=item, is_major=False,
                             party_name="甲区星光培训部", facts="未经许可擅自开展学科类培训", act_on=dt.date(2024, 8, 30),
                             at=at("2024-09-02"))
    engine.case_transition(actor=officer, case=p.case, transition="investigate", at=at("2024-09-02", 11))
    engine.case_transition(actor=officer, case=p.case, transition="notify", data={"intended": "罚款500元"},
                           at=at("2024-09-03"))
    engine.case_transition(actor=officer, case=p.case, transition="request_hearing", at=at("2024-09-05"))
    engine.case_transition(actor=officer, case=p.case, transition="end_hearing", data={"record": "听证笔录"},
                           at=at("2024-09-20"))
    actions.penalty_decide(actor=head, penalty=p, types=["fine"], fine="500", decision_text="罚款500元",
                           at=at("2024-09-29"))
    actions.penalty_serve(actor=officer, penalty=p, served_on=dt.date(2024, 9, 30), at=at("2024-09-30"))
    actions.penalty_remind(actor=officer, penalty=p, reminder="催告缴纳罚款", served_on=dt.date(2024, 10, 21),
                           at=at("2024-10-21"))
    docs = {d.kind: d for d in documents_of(f"case:{p.case_id}")}
    assert list(docs) == [DocumentKind.PENALTY_FILING, DocumentKind.PENALTY_PRIOR_NOTICE,
                          DocumentKind.PENALTY_HEARING_NOTICE, DocumentKind.PENALTY_DECISION,
                          DocumentKind.SERVICE_RECEIPT, DocumentKind.PAYMENT_REMINDER]
    assert [d.issued_on for d in docs.values()] == [dt.date(2024, 9, 2), dt.date(2024, 9, 3), dt.date(2024, 9, 5),
                                                    dt.date(2024, 9, 29), dt.date(2024, 9, 30), dt.date(2024, 10, 21)]
    filing = _text(docs[DocumentKind.PENALTY_FILING])
    assert p.case.reference in filing and "未经许可擅自开展学科类培训" in filing
    notice = _text(docs[DocumentKind.PENALTY_PRIOR_NOTICE])
    assert "2024年9月3日" in notice and "罚款500元" in notice and "《民办教育促进法》第六十四条" in notice
    assert "5个工作日" in notice and "第四十四条" in notice  # the periods from the rules registry, with the law
    assert "2024年9月5日" in _text(docs[DocumentKind.PENALTY_HEARING_NOTICE])
    decision = _text(docs[DocumentKind.PENALTY_DECISION])
    assert "2024年9月29日" in decision and "500.00" in decision and "15日" in decision and "行政复议" in decision
    assert docs[DocumentKind.PENALTY_DECISION].number == p.case.reference
    assert "2024年9月30日" in _text(docs[DocumentKind.SERVICE_RECEIPT])
    reminder = _text(docs[DocumentKind.PAYMENT_REMINDER])
    assert "2024年10月21日" in reminder and "10个工作日" in reminder and "第五十四条" in reminder

    actions.penalty_revoke(actor=head, penalty=p, reason="复议决定撤销", at=at("2024-11-05"))
    client = Client()
    decided = client.get(f"/api/v1/public/documents/{docs[DocumentKind.PENALTY_DECISION].verify_code}").json()
    assert decided["status"] == "revoked" and decided["date"] == "2024-09-29"
    # the reminder recorded what happened; only the decision is revoked
    assert client.get(f"/api/v1/public/documents/{docs[DocumentKind.SERVICE_RECEIPT].verify_code}").json()[
        "status"] == "valid"
