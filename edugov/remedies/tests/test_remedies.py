"""Issue 29: a reconsideration against the bureau answered in time with its evidence bundle, checked
by an implementation of RFC 9162 written apart from edugov's; a late answer refused without its
reason; a lawsuit's hearing with the head's appearance; a loss kept open until the correction."""

import datetime as dt
import hashlib
import io
import json
import zipfile
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from edugov.accounts.models import Role
from edugov.audit import evidence
from edugov.audit.tests import rfc9162
from edugov.cases.actions import case_attach, case_open, case_transition
from edugov.kernel.errors import ValidationFailed
from edugov.metrics import registry
from edugov.remedies import actions as a

CST = ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def at(y, m, d, h=10):
    return dt.datetime(y, m, d, h, tzinfo=CST)


def figure(key, org, year=2024):
    return registry.compute(registry.get(key), registry.Period.year(year), org).value


@pytest.fixture
def people(tree, make_user):
    return {"staff": make_user(Role.DEPARTMENT_STAFF, tree.dept), "legal": make_user(Role.LEGAL_REVIEWER, tree.dept),
            "leader": make_user(Role.BUREAU_LEADER, tree.bureau)}


@pytest.fixture
def contested(tree, people):
    """A disclosure reply the requester challenges, with a file attached (made through the engine: this
    app does not import the disclosure app)."""
    case = case_open(actor=people["staff"], kind="ogi_request", organisation=tree.bureau, department=tree.dept,
                     title="2023年校舍维修经费", at=at(2024, 3, 1))
    case_attach(actor=people["staff"], case=case, upload=SimpleUploadedFile("申请.pdf", PDF, "application/pdf"),
                at=at(2024, 3, 1))
    return case_transition(actor=people["staff"], case=case, transition="reply", at=at(2024, 3, 20),
                           data={"form": "refused", "refusal_reason": "process"})


def test_a_reconsideration_is_answered_in_time_with_a_bundle_anyone_can_check(tree, people, contested, tmp_path,
                                                                             capsys):
    c = a.challenge_register(actor=people["legal"], organisation=tree.bureau, kind="reconsideration",
                             contested=contested, contested_text="政府信息公开答复", applicant="张三",
                             body="甲区人民政府", received_on=dt.date(2024, 5, 6), at=at(2024, 5, 6))
    assert c.about_disclosure
    # 10 working days from Monday 6 May 2024; Saturday 11 May was worked (the May Day 调休)
    assert c.case.clocks.get(name="answer").due_on == dt.date(2024, 5, 17)
    with pytest.raises(ValidationFailed, match="2024-05-17"):  # late, and no reason given: refused
        a.challenge_answer(actor=people["legal"], challenge=c, answer="事实清楚", at=at(2024, 5, 20))
    c.refresh_from_db()
    assert c.case.state == "received" and not c.bundle
    a.challenge_answer(actor=people["legal"], challenge=c, answer="答复事实清楚、依据充分", at=at(2024, 5, 15))
    c.refresh_from_db()
    data = c.bundle.read()
    assert hashlib.sha256(data).hexdigest() == c.bundle_sha256
    assert evidence.check(data).ok and evidence.check(data).entries >= 3 and evidence.check(data).files == 1
    # checked apart from edugov's code: every entry's path leads to the signed head's root
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("manifest.json"))
    head = manifest["tree_head"]
    for e in manifest["entries"]:
        leaf = hashlib.sha256(b"\x00" + e["body"].encode()).digest()
        assert rfc9162.verify_inclusion(e["leaf_index"], head["tree_size"], leaf,
                                        [bytes.fromhex(h) for h in e["audit_path"]], bytes.fromhex(head["root_hash"]))
    assert {json.loads(e["body"])["action"] for e in manifest["entries"]} >= {"ogi_request.open", "ogi_request.reply",
                                                                               "ogi_request.attach"}
    # a changed entry no longer checks, nor a changed file
    def altered(change):
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
            for item in src.namelist():
                dst.writestr(item, change(item, src.read(item)))
        return out.getvalue()

    def body(item, content):
        if item != "manifest.json":
            return content
        m = json.loads(content)
        for e in m["entries"]:  # the reply said "refused": make it say "disclosed"
            e["body"] = e["body"].replace('"refused"', '"disclosed"')
        return json.dumps(m, ensure_ascii=False).encode()

    assert any("not in the tree" in p for p in evidence.check(altered(body)).problems)
    assert any("SHA-256" in p for p in evidence.check(
        altered(lambda item, content: content + b"x" if item.startswith("files/") else content)).problems)
    from django.core.management import call_command

    (tmp_path / "bundle.zip").write_bytes(data)
    call_command("audit", "verify-bundle", str(tmp_path / "bundle.zip"))
    assert capsys.readouterr().out.startswith("OK ")
    (tmp_path / "bad.zip").write_bytes(altered(body))
    with pytest.raises(SystemExit):
        call_command("audit", "verify-bundle", str(tmp_path / "bad.zip"))
    a.challenge_decide(actor=people["legal"], challenge=c, outcome="upheld", decided_on=dt.date(2024, 7, 1),
                       text="维持", at=at(2024, 7, 2))
    c.case.refresh_from_db()
    assert c.case.state == "closed"
    assert figure("reconsideration.cases", tree.bureau) == 1
    assert figure("reconsideration.correction_rate", tree.bureau) == 0.0
    assert figure("reconsideration.answered_in_time_rate", tree.bureau) == 1.0


def test_a_lawsuit_records_the_heads_appearance_and_a_loss_stays_open_until_corrected(tree, people, contested):
    c = a.challenge_register(actor=people["legal"], organisation=tree.bureau, kind="litigation", contested=contested,
                             contested_text="政府信息公开答复", applicant="张三", body="示范市铁路运输法院",
                             received_on=dt.date(2024, 6, 3), at=at(2024, 6, 3))
    assert c.case.clocks.get(name="defence").due_on == dt.date(2024, 6, 18)  # 15 days: 18 June
    a.challenge_answer(actor=people["legal"], challenge=c, answer="答辩状", at=at(2024, 6, 14))
    with pytest.raises(ValidationFailed, match="art. 3|第三条|出庭"):
        a.challenge_hear(actor=people["legal"], challenge=c, hearing_on=dt.date(2024, 7, 10), head_appeared=False,
                         appeared="法制科工作人员", at=at(2024, 7, 10))
    a.challenge_hear(actor=people["legal"], challenge=c, hearing_on=dt.date(2024, 7, 10), head_appeared=True,
                     appeared="区教委副主任", at=at(2024, 7, 10))
    a.challenge_decide(actor=people["legal"], challenge=c, outcome="revoked", decided_on=dt.date(2024, 8, 1),
                       text="撤销答复，责令重新答复", at=at(2024, 8, 2))
    c.case.refresh_from_db()
    assert c.case.state == "decided" and c.case.is_open
    assert figure("litigation.correction_rate", tree.bureau) == 1.0
    assert figure("litigation.head_appearance_rate", tree.bureau) == 1.0
    a.challenge_correct(actor=people["legal"], challenge=c, correction="重新答复并修订答复审核流程", at=at(2024, 8, 20))
    c.case.refresh_from_db()
    assert c.case.state == "closed"


def test_the_register_page_and_the_case_page(tree, people, contested, client):
    client.force_login(people["legal"])
    assert client.get("/remedies/").status_code == 200
    response = client.post("/remedies/register/", {
        "challenge-kind": "reconsideration", "challenge-contested": "不存在的文号", "challenge-contested_text": "答复",
        "challenge-applicant": "张三", "challenge-body": "区政府", "challenge-received_on": "2024-05-06"})
    assert response.status_code == 400 and "文号" in response.content.decode()
    response = client.post("/remedies/register/", {
        "challenge-kind": "reconsideration", "challenge-contested": contested.reference,
        "challenge-contested_text": "答复", "challenge-applicant": "张三", "challenge-body": "区政府",
        "challenge-received_on": dt.date.today().isoformat()})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "/remedies/cases/" in page
