"""Issue 30: licensing makes its documents when the acts happen (行政许可法 arts. 32, 38, 39):
the one-time notice, acceptance, the decision and the certificate, or the refusals with their
remedies; each dated by its act, numbered, and the certificate verifiable until it is revoked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from edugov.documents.models import DocumentKind
from edugov.documents.selectors import documents_of
from edugov.services import actions
from edugov.services.letters import subject
from edugov.services.tests.support import credit, mids, pdf, submit

pytestmark = pytest.mark.django_db


def at(day: str, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(day).replace(hour=hour))


def _text(doc) -> str:
    """The document's text as issued (its PDF rendering is tested in edugov/documents/tests)."""
    return doc.text.replace("\n", "")


def test_each_licensing_act_makes_its_document_dated_by_the_act(tree, staff, item, citizen):
    head, clerk = staff
    _a, b, _c = mids(item)
    app = submit(item, citizen, at=at("2024-09-02"))
    actions.application_notify_missing(actor=clerk, application=app, problems={b: "租赁合同已过期"}, missing=[b],
                                       at=at("2024-09-03"))
    actions.application_supply(actor=citizen, application=app, uploads={b: pdf("新合同.pdf")}, at=at("2024-09-05"))
    actions.application_accept(actor=clerk, application=app, at=at("2024-09-06"))
    actions.application_decide(actor=head, application=app, approve=True, certificate_number="教民150010124000009号",
                               at=at("2024-09-29"))
    docs = {d.kind: d for d in documents_of(subject(app))}
    assert list(docs) == [DocumentKind.LICENSING_CORRECTION, DocumentKind.LICENSING_ACCEPTANCE,
                          DocumentKind.LICENSING_GRANT, DocumentKind.LICENCE_CERTIFICATE]
    notice = _text(docs[DocumentKind.LICENSING_CORRECTION])
    assert "2024年9月3日" in notice and "租赁合同已过期" in notice and "江州区启航培训学校有限公司" in notice
    assert docs[DocumentKind.LICENSING_CORRECTION].number == "甲教许补〔2024〕1号"
    accepted = _text(docs[DocumentKind.LICENSING_ACCEPTANCE])
    assert "2024年9月6日" in accepted and "第三十二条" in accepted
    grant = _text(docs[DocumentKind.LICENSING_GRANT])
    assert "2024年9月29日" in grant and "《中华人民共和国民办教育促进法》第十二条" in grant
    assert "教民150010124000009号" in grant and "2027年9月28日" in grant  # three years, the last day included
    certificate = docs[DocumentKind.LICENCE_CERTIFICATE]
    assert certificate.number == "教民150010124000009号" and certificate.valid_until == dt.date(2027, 9, 28)
    assert certificate.issued_on == dt.date(2024, 9, 29)  # the act's day, however late it is downloaded
    assert certificate.recipient == "江州区启航培训学校有限公司" and "王芳" not in certificate.summary


def test_refusals_say_why_and_where_to_challenge_them(tree, staff, item, citizen):
    head, clerk = staff
    not_accepted = submit(item, citizen, at=at("2024-05-06"))
    actions.application_reject(actor=clerk, application=not_accepted, reason="申请事项不属于本机关职权范围",
                               at=at("2024-05-07"))
    doc = documents_of(subject(not_accepted)).get()
    text = _text(doc)
    assert doc.kind == DocumentKind.LICENSING_NON_ACCEPTANCE and "2024年5月7日" in text
    assert "不属于本机关职权范围" in text and "行政复议" in text and "行政诉讼" in text

    refused = submit(item, citizen, at=at("2024-05-06"), credit_code=credit("52500101MJ000002"))
    actions.application_accept(actor=clerk, application=refused, at=at("2024-05-08"))
    actions.application_decide(actor=head, application=refused, approve=False, reason="场所消防验收不合格",
                               at=at("2024-05-20"))
    doc = documents_of(subject(refused)).get(kind=DocumentKind.LICENSING_REFUSAL)
    text = _text(doc)
    assert "2024年5月20日" in text and "场所消防验收不合格" in text and "行政复议" in text
    assert not documents_of(subject(refused)).filter(kind=DocumentKind.LICENCE_CERTIFICATE).exists()


def test_a_revoked_licence_shows_revoked_to_whoever_scans_it(tree, staff, item, citizen):
    """A false commitment found on verification revokes the licence; the certificate's code, the
    public API and the agency API say so at once."""
    head, clerk = staff
    a, b, c = mids(item)
    app = submit(item, citizen, uploads={a: pdf()}, commit=[b, c], signed=True, at=at("2026-09-10"))
    actions.application_accept(actor=clerk, application=app)
    actions.application_decide(actor=head, application=app, approve=True, certificate_number="教民2026001号")
    certificate = documents_of(subject(app)).get(kind=DocumentKind.LICENCE_CERTIFICATE)
    acceptance = documents_of(subject(app)).get(kind=DocumentKind.LICENSING_ACCEPTANCE)
    client = Client()
    assert client.get(f"/api/v1/public/documents/{certificate.verify_code}").json()["status"] == "valid"
    actions.verification_sample_commit(actor=head, bureau=tree.bureau, year=2026, month=9,
                                       at=timezone.now() - dt.timedelta(hours=17))
    actions.verification_sample_draw(actor=head, bureau=tree.bureau, year=2026, month=9)
    from edugov.services.models import Verification

    actions.verification_record(actor=head, verification=Verification.objects.get(), method="onsite",
                                truthful=False, note="场所为住宅，与承诺不符")
    assert client.get(f"/api/v1/public/documents/{certificate.verify_code}").json()["status"] == "revoked"
    page = client.get(f"/verify/{certificate.verify_code}").content.decode()
    assert "撤销" in page and "与承诺不符" in page
    # the acceptance notice was a step of the procedure: it is not revoked with the licence
    assert client.get(f"/api/v1/public/documents/{acceptance.verify_code}").json()["status"] == "valid"

    from edugov.accounts.actions import api_key_create

    _key, token = api_key_create(actor=None, name="市场监管", organisation=tree.bureau)
    answer = client.get("/api/v1/agency/certificates/教民2026001号", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert answer.status_code == 200 and answer.json()["status"] == "revoked"
    other = client.get("/api/v1/agency/certificates/教民9999号", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert other.status_code == 404
