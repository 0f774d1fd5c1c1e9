"""Issue 30: the hotline's and petitions' written answers, each issued by its act: acceptance or
non-acceptance when triaged, the opinion when closed (with the review it allows, from the district's
legal settings); the complainant downloads them by query code; an answer given again after the
matter is reopened replaces the earlier one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from edugov.cases import actions as engine
from edugov.documents.actions import document_pdf
from edugov.documents.models import DocumentKind
from edugov.documents.selectors import documents_of
from edugov.petitions import actions, routing
from edugov.petitions.models import Petition

pytestmark = pytest.mark.django_db


def at(day: str, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(day).replace(hour=hour))


def _text(doc) -> str:
    """The document's text as issued (its PDF rendering is tested in edugov/documents/tests)."""
    return doc.text.replace("\n", "")


def _intake(tree, hotline, people, **kw):
    args = {"actor": people["operator"], "organisation": tree.bureau, "channel": "hotline",
            "category": hotline["违规补课"], "description": "周末在校外培训机构补课", "school": tree.school,
            "complainant_name": "张三", "complainant_phone": "13812345678", "at": at("2024-05-06")}
    args.update(kw)
    return actions.petition_intake(**args)


def test_a_petition_is_answered_in_writing_at_each_act(tree, hotline, people):
    from edugov.accounts.actions import legal_settings_set

    legal_settings_set(actor=None, organisation=tree.bureau, reconsideration_body="某区人民政府", court="某区人民法院",
                       review_body="某区人民政府信访工作机构", recheck_body="某市人民政府信访工作机构")
    got = _intake(tree, hotline, people, nature="petition")
    p = got.petition
    actions.petition_triage(actor=people["operator"], petition=p, decision="valid", at=at("2024-05-07"))
    routing.petition_route(actor=people["operator"], petition=p, unit=tree.sibling_dept, at=at("2024-05-08"))
    actions.petition_close(actor=people["head"], petition=p, result="经核查，已责令学校停止补课并退还费用",
                           override_reason="已书面答复", at=at("2024-06-03"))
    accepted, opinion = documents_of(f"case:{p.case_id}")
    assert accepted.kind == DocumentKind.COMPLAINT_ACCEPTANCE and opinion.kind == DocumentKind.COMPLAINT_OPINION
    text = _text(accepted)
    assert "2024年5月7日" in text and "张三" in text and "60日" in text and p.case.reference in text
    text = _text(opinion)
    assert "2024年6月3日" in text and "已责令学校停止补课并退还费用" in text
    assert "某区人民政府信访工作机构" in text and "30日" in text  # the review, its body and its period
    assert opinion.recipient == "张*"  # the verification page never shows the complainant's name

    # the complainant, without an account, downloads the opinion with the query code; a wrong code gets nothing
    client = Client()
    pdf = client.post("/complaints/track/document/", {"code": got.query_code, "document": opinion.verify_code})
    assert pdf.status_code == 200 and pdf.content == document_pdf(opinion)
    assert client.post("/complaints/track/document/", {"code": "AAAA-BBBB-CCCC",
                                                       "document": opinion.verify_code}).status_code == 404
    page = client.post("/complaints/track/", {"code": got.query_code}).content.decode()
    assert "信访事项处理意见书" in page and opinion.number in page


def test_not_accepted_says_why_and_a_reopened_matter_gets_a_new_answer(tree, hotline, people):
    refused = _intake(tree, hotline, people, description="咨询暑假放假时间").petition
    actions.petition_triage(actor=people["operator"], petition=refused, decision="invalid",
                            reason="属于政策咨询，已当场解答", at=at("2024-05-06", 15))
    doc = documents_of(f"case:{refused.case_id}").get()
    assert doc.kind == DocumentKind.COMPLAINT_NON_ACCEPTANCE and "属于政策咨询，已当场解答" in _text(doc)

    p = _intake(tree, hotline, people, complainant_phone="13812345679").petition
    actions.petition_triage(actor=people["operator"], petition=p, decision="valid", at=at("2024-05-06", 11))
    routing.petition_route(actor=people["operator"], petition=p, unit=tree.sibling_dept, at=at("2024-05-06", 12))
    for channel in ("phone", "phone"):
        engine.case_log_contact(actor=people["handler"], case=p.case, channel=channel, outcome="已沟通",
                                at=at("2024-05-07"))
    actions.petition_close(actor=people["handler"], petition=p, result="已责令停止补课", at=at("2024-05-08"))
    first = documents_of(f"case:{p.case_id}").get(kind=DocumentKind.COMPLAINT_OPINION)
    assert "重新办理" in _text(first)  # a hotline matter: reopened with the query code, not reviewed
    p = Petition.objects.get(pk=p.pk)
    actions.petition_reopen(petition=p, reason="仍在补课", at=at("2024-05-10"))
    p = Petition.objects.get(pk=p.pk)
    actions.petition_close(actor=people["handler"], petition=p, result="复查确认已停止补课", at=at("2024-05-14"))
    first.refresh_from_db()
    second = documents_of(f"case:{p.case_id}").filter(kind=DocumentKind.COMPLAINT_OPINION).last()
    assert second != first and first.replaced_by == second and first.status_on(dt.date(2024, 6, 1)) == "amended"
