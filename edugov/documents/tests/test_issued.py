"""Issued documents: dated by the act, signed (PAdES), verifiable by code; tampered copies fail
pyHanko's validator (the bureau's CA as the only trust root) and the verification page."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from edugov.audit.models import Entry
from edugov.documents import actions, selectors, signing
from edugov.documents.models import DocumentKind, IssuedDocument
from edugov.documents.official import OfficialDocument, Paragraph

pytestmark = pytest.mark.django_db


def _issue(tree, *, day=dt.date(2024, 9, 29), number="甲教许〔2024〕7号", valid_until=None, subject="case:1",
           kind=DocumentKind.LICENCE_CERTIFICATE) -> IssuedDocument:
    doc = OfficialDocument(title="民办学校办学许可证", issuer=tree.bureau.name, date=day, document_number=number,
                           recipients="甲区星光培训学校",
                           blocks=[Paragraph("准予举办甲区星光培训学校，办学内容为文化艺术类培训。")])
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    return actions.document_issue(actor=None, organisation=tree.bureau, kind=kind, doc=doc, subject=subject,
                                  summary="准予举办民办学校（文化艺术类培训）", recipient="甲区星光培训学校",
                                  valid_until=valid_until, at=at)


def _text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_an_issued_pdf_is_dated_by_its_act_signed_and_the_same_bytes_every_time(tree):
    doc = _issue(tree)
    pdf = actions.document_pdf(doc)
    text = _text(pdf)
    assert "2024年9月29日" in text and "甲教许〔2024〕7号" in text
    assert doc.verify_code in text  # the code printed under the QR code
    assert signing.validate(pdf).valid
    doc.refresh_from_db()
    assert actions.document_pdf(doc) == pdf  # a later download is the issued bytes
    entries = Entry.objects.filter(action__in=["document.issue", "document.seal"], target_id=str(doc.pk))
    assert {e.action for e in entries} == {"document.issue", "document.seal"}
    sealed = entries.get(action="document.seal")
    assert hashlib.sha256(pdf).hexdigest() in json.dumps(sealed.body if hasattr(sealed, "body") else sealed.after)


def test_tampered_copies_fail_validation_and_the_verification_page(tree):
    doc = _issue(tree)
    pdf = actions.document_pdf(doc)
    flipped = bytearray(pdf)
    flipped[len(pdf) // 3] ^= 0x01
    assert not signing.validate(bytes(flipped)).valid
    # the date "edited" as a PDF editor does it: a text box over the date, saved as an update
    from pypdf import PdfWriter
    from pypdf.annotations import FreeText

    editor = PdfWriter(io.BytesIO(pdf), incremental=True)
    editor.add_annotation(page_number=0, annotation=FreeText(text="2025年1月1日", rect=(380, 200, 520, 230)))
    edited = io.BytesIO()
    editor.write(edited)
    assert edited.getvalue().startswith(pdf)  # the signed bytes are untouched; the update follows them
    assert not signing.validate(edited.getvalue()).valid
    # a page added by an incremental update after signing (the signature itself intact)
    writer = PdfWriter(io.BytesIO(pdf), incremental=True)
    writer.add_blank_page()
    out = io.BytesIO()
    writer.write(out)
    verdict = signing.validate(out.getvalue())
    assert not verdict.valid and "changed" in verdict.problem
    # a page replaced: the signed page removed and another put in its place
    swapper = PdfWriter(io.BytesIO(pdf), incremental=True)
    swapper.insert_blank_page(index=0)
    swapper.remove_page(1)
    swapped = io.BytesIO()
    swapper.write(swapped)
    assert not signing.validate(swapped.getvalue()).valid
    # another CA's certificate: not the bureau's
    assert not signing.validate(pdf, trust_roots=[]).valid

    client = Client()
    url = f"/verify/{doc.verify_code}"
    page = client.post(url, {"file": io.BytesIO(out.getvalue())})
    assert page.status_code == 200 and "不是签发的原件" in page.content.decode()
    good = client.post(url, {"file": _named(pdf)})
    assert "是签发的原件" in good.content.decode() and "签名有效" in good.content.decode()
    not_pdf = client.post(url, {"file": _named(b"hello", "x.txt")})
    assert "不是 PDF 文件" in not_pdf.content.decode()


def _named(data: bytes, name: str = "doc.pdf") -> io.BytesIO:
    f = io.BytesIO(data)
    f.name = name
    return f


def test_the_verification_page_and_api_say_whether_it_still_stands(tree, settings):
    today = timezone.localdate()
    doc = _issue(tree, valid_until=today + dt.timedelta(days=30))
    client = Client()
    page = client.get(f"/verify/{doc.verify_code.lower().replace('-', ' ')}")  # typed loosely
    body = page.content.decode()
    assert page.status_code == 200 and "甲教许〔2024〕7号" in body and "有效" in body and "甲区教委" in body
    api = client.get(f"/api/v1/public/documents/{doc.verify_code}").json()
    pdf = actions.document_pdf(IssuedDocument.objects.get(pk=doc.pk))
    assert api == {"number": "甲教许〔2024〕7号", "kind": "licence_certificate", "issuer": "甲区教委",
                   "date": "2024-09-29", "status": "valid", "sha256": hashlib.sha256(pdf).hexdigest()}

    actions.documents_revoke(actor=None, subject="case:1", reason="以欺骗手段取得许可")
    assert client.get(f"/api/v1/public/documents/{doc.verify_code}").json()["status"] == "revoked"
    assert "已于" in client.get(f"/verify/{doc.verify_code}").content.decode()

    expired = _issue(tree, number="甲教许〔2020〕1号", valid_until=today - dt.timedelta(days=1), subject="case:2")
    assert client.get(f"/api/v1/public/documents/{expired.verify_code}").json()["status"] == "expired"

    first = _issue(tree, number="甲教许〔2024〕8号", subject="case:3")
    corrected = actions.document_issue(
        actor=None, organisation=tree.bureau, kind=DocumentKind.LICENCE_CERTIFICATE,
        doc=OfficialDocument(title="民办学校办学许可证", date=today, document_number="甲教许〔2024〕8号",
                             blocks=[Paragraph("地址更正。")]),
        subject="case:3", summary="更正地址", replaces=first)
    assert client.get(f"/api/v1/public/documents/{first.verify_code}").json()["status"] == "amended"
    assert corrected.number in client.get(f"/verify/{first.verify_code}").content.decode()


def test_an_unknown_code_reveals_nothing_and_guessing_is_rate_limited(tree, settings):
    doc = _issue(tree)
    client = Client()
    for guess in ("AAAA-BBBB-CCCC", "short", doc.verify_code[:-1] + ("2" if doc.verify_code[-1] != "2" else "3")):
        page = client.get(f"/verify/{guess}")
        assert page.status_code == 404 and doc.number not in page.content.decode()
        assert client.get(f"/api/v1/public/documents/{guess}").status_code == 404
    settings.EDUGOV = {**settings.EDUGOV, "RATE_LIMITS": {**settings.EDUGOV["RATE_LIMITS"], "lookup": "3/m"}}
    from django.core.cache import cache

    cache.clear()
    codes = [client.get(f"/verify/AAAA-BBBB-CCC{n}").status_code for n in "2345"]
    assert codes[-1] == 429
    assert client.get(f"/verify/{doc.verify_code}").status_code == 429  # even the right one, until the window ends
    assert client.get(f"/api/v1/public/documents/{doc.verify_code}").status_code == 429


def test_the_certificates_are_served_leaf_first_and_validate_the_signature(tree):
    from cryptography import x509

    pem = Client().get("/verify/certificates.pem").content
    certs = x509.load_pem_x509_certificates(pem)
    assert len(certs) == 2 and certs[0].issuer == certs[1].subject
    pdf = actions.document_pdf(_issue(tree))
    assert signing.validate(pdf, trust_roots=[certs[1]]).valid


def test_documents_list_and_export_as_the_interface_says(tree, capsys, tmp_path):
    doc = _issue(tree, valid_until=dt.date(2020, 1, 1), number="甲教许〔2019〕3号")
    call_command("documents", "list", "--org", "B1", "--format", "json")
    rows = json.loads(capsys.readouterr().out)
    assert rows == [{"number": "甲教许〔2019〕3号", "kind": "licence_certificate", "date": "2024-09-29",
                     "verify_code": doc.verify_code, "status": "expired"}]
    out = tmp_path / "doc.pdf"
    call_command("documents", "export", doc.verify_code, "--out", str(out))
    doc.refresh_from_db()
    assert hashlib.sha256(out.read_bytes()).hexdigest() == doc.pdf_sha256
    with pytest.raises(SystemExit) as exc:
        from edugov.cli import main
        main(["documents", "export", "ZZZZ-ZZZZ-ZZZZ", "--out", str(tmp_path / "x.pdf")])
    assert exc.value.code == 1


def test_a_document_issued_inside_a_failed_act_is_not_issued(tree):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        _issue(tree)
        raise RuntimeError("the act failed after its document was made")
    assert not IssuedDocument.objects.exists()
    assert selectors.issued_by_code("AAAA-BBBB-CCCC") is None
