"""Issue 29: a disclosure request answered within 20 working days after a correction and a third
party's consultation; the refusals (a late or second correction notice, a reply in no form of
art. 36, a refusal without its ground, a late reply without its reason, a second extension)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from edugov.accounts.models import Role
from edugov.disclosure import actions as a
from edugov.kernel.errors import Conflict, PermissionDenied, ValidationFailed
from edugov.metrics import registry

CST = ZoneInfo("Asia/Shanghai")


def at(y, m, d, h=10):
    return dt.datetime(y, m, d, h, tzinfo=CST)


def figure(key, org, year=2024):
    return registry.compute(registry.get(key), registry.Period.year(year), org).value


@pytest.fixture
def people(tree, make_user):
    return {"staff": make_user(Role.DEPARTMENT_STAFF, tree.dept), "head": make_user(Role.DEPARTMENT_HEAD, tree.dept),
            "leader": make_user(Role.BUREAU_LEADER, tree.bureau)}


def _request(tree, people, day=dt.date(2024, 4, 1), kind="person", identity="", description="某校2023年收费标准"):
    return a.request_receive(actor=people["staff"], organisation=tree.bureau, channel="web", requester_kind=kind,
                             requester="李四", identity=identity, phone="13900000002", description=description,
                             received_on=day, at=at(day.year, day.month, day.day))


def test_answered_in_time_after_a_correction_and_a_third_partys_consultation(tree, people, client):
    r = _request(tree, people)
    assert r.case.clocks.get(name="reply").due_on == dt.date(2024, 4, 29)  # 20 working days; 4–6 April Qingming
    a.request_ask_correction(actor=people["staff"], request=r, what="请明确学校名称", at=at(2024, 4, 3))
    with pytest.raises(ValidationFailed, match="once|一次性"):
        a.request_ask_correction(actor=people["staff"], request=r, what="again", at=at(2024, 4, 3))
    a.request_corrected(actor=people["staff"], request=r, corrected_on=dt.date(2024, 4, 8),
                        description="甲区第一小学2023年收费标准", at=at(2024, 4, 8))
    reply = r.case.clocks.get(name="reply")
    assert reply.due_on == dt.date(2024, 5, 8)  # anew from 8 April: Sunday 28 April worked, 1–5 May off
    a.request_consult(actor=people["staff"], request=r, third_party="甲区第一小学", at=at(2024, 4, 10))
    a.request_consulted(actor=people["staff"], request=r, opinion="同意公开", at=at(2024, 4, 15))
    reply.refresh_from_db()
    assert reply.due_on > dt.date(2024, 5, 8)  # the consultation's days are not counted
    with pytest.raises(ValidationFailed, match="art. 36|第三十六条"):
        a.request_reply(actor=people["staff"], request=r, form="", text="见附件", at=at(2024, 4, 20))
    with pytest.raises(ValidationFailed):
        a.request_reply(actor=people["staff"], request=r, form="partly", text="部分公开", at=at(2024, 4, 20))
    r.case.refresh_from_db()
    assert r.case.state == "received"
    a.request_reply(actor=people["staff"], request=r, form="disclosed", text="收费标准见附件", at=at(2024, 4, 20))
    r.refresh_from_db()
    assert r.case.state == "replied" and r.replied_on == dt.date(2024, 4, 20) and "行政复议" in r.remedy
    assert figure("ogi.requests", tree.bureau) == 1 and figure("ogi.replied_in_time_rate", tree.bureau) == 1.0
    client.force_login(people["staff"])
    response = client.get(f"/disclosure/cases/{r.case_id}/reply.docx")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_refusal_goes_to_reconsideration_first_and_names_its_ground(tree, people):
    r = _request(tree, people)
    a.request_reply(actor=people["staff"], request=r, form="refused", refusal_reason="process", text="过程性信息",
                    at=at(2024, 4, 10))
    r.refresh_from_db()
    assert "先" in r.remedy or "first" in r.remedy  # 行政复议法 art. 23: reconsideration before a lawsuit
    # issue 30: the reply is issued as a document dated by the reply, with its ground and the remedy
    import io

    from pypdf import PdfReader

    from edugov.documents.actions import document_pdf
    from edugov.documents.models import DocumentKind, IssuedDocument

    doc = IssuedDocument.objects.get(subject=f"case:{r.case_id}")
    assert doc.kind == DocumentKind.OGI_REPLY and doc.issued_on == dt.date(2024, 4, 10)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(document_pdf(doc))).pages).replace("\n", "")
    assert "2024年4月10日" in text and "第三十六条" in text and "过程性信息" in text and "行政复议" in text


def test_late_or_repeated_acts_are_refused(tree, people):
    r = _request(tree, people)
    with pytest.raises(ValidationFailed, match="2024-04-11"):  # 7 working days from 1 April (Qingming in between)
        a.request_ask_correction(actor=people["staff"], request=r, what="请明确", at=at(2024, 4, 15))
    with pytest.raises(PermissionDenied):
        a.request_extend(actor=people["staff"], request=r, reason="需检索档案", at=at(2024, 4, 20))
    a.request_extend(actor=people["head"], request=r, reason="需检索历年档案", at=at(2024, 4, 20))
    assert r.case.clocks.get(name="reply").due_on == dt.date(2024, 5, 29)
    with pytest.raises(Conflict):
        a.request_extend(actor=people["head"], request=r, reason="again", at=at(2024, 4, 22))
    with pytest.raises(ValidationFailed, match="2024-05-29"):
        a.request_reply(actor=people["staff"], request=r, form="disclosed", text="见附件", at=at(2024, 6, 3))
    a.request_reply(actor=people["staff"], request=r, form="disclosed", text="见附件", late_reason="档案调取延误",
                    at=at(2024, 6, 3))
    assert figure("ogi.replied_in_time_rate", tree.bureau) == 0.0
    with pytest.raises(ValidationFailed):
        _request(tree, people, identity="110101199001011234")  # a wrong check digit
