"""Issue 30 in Chromium: a licensing case's page lists the documents its acts issued; the signed
PDF downloads and validates; the head revokes the licence (refused until confirmed); on a phone,
the certificate's verification page says "revoked", and the PDF held is compared: the issued one
matches, a changed copy does not."""

import pytest
from playwright.sync_api import expect

from edugov.documents import signing
from edugov.documents.models import DocumentKind, IssuedDocument
from edugov.services import actions
from edugov.services.tests.support import submit

from .conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Pass-word-2024"


def test_a_licence_issued_downloaded_revoked_and_checked_on_a_phone(new_page, tree, staff, item, citizen, tmp_path):
    head, clerk = staff
    app = submit(item, citizen)
    actions.application_accept(actor=clerk, application=app)
    actions.application_decide(actor=head, application=app, approve=True, certificate_number="教民2024000123号")
    certificate = IssuedDocument.objects.get(kind=DocumentKind.LICENCE_CERTIFICATE)

    page = new_page(1280)
    login(page, "head", PASSWORD)
    page.goto(page.base + app.case.get_absolute_url())
    expect(page.get_by_role("heading", name="已出具的文书")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="行政许可证书")
    expect(row).to_contain_text("教民2024000123号")
    expect(page.get_by_role("row").filter(has_text="准予行政许可决定书")).to_be_visible()
    with page.expect_download() as got:
        row.get_by_role("link", name="PDF").click()
    pdf = (tmp_path / "licence.pdf")
    got.value.save_as(pdf)
    assert signing.validate(pdf.read_bytes()).valid
    shot(page, "documents-1-case-page")

    page.get_by_label("理由").last.fill("申请时提交的场所租赁合同系伪造")
    page.get_by_role("button", name="撤销许可").click()  # not confirmed: refused, nothing revoked
    expect(page.get_by_text("请勾选").first).to_be_visible()
    assert IssuedDocument.objects.get(pk=certificate.pk).revoked_on is None
    page.get_by_label("理由").last.fill("申请时提交的场所租赁合同系伪造")
    page.get_by_label("我确认撤销：许可自今日起失效。").check()
    page.get_by_role("button", name="撤销许可").click()
    expect(page.get_by_text("已撤销").first).to_be_visible()

    phone = new_page(390)
    phone.goto(phone.base + f"/verify/{certificate.verify_code}")
    expect(phone.get_by_role("heading", name="行政许可证书")).to_be_visible()
    expect(phone.get_by_role("status")).to_contain_text("撤销")
    expect(phone.get_by_text("场所租赁合同系伪造")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.get_by_label("你持有的 PDF 文件").set_input_files(str(pdf))
    phone.get_by_role("button", name="比对").click()
    expect(phone.get_by_text("该文件是签发的原件，电子签名有效。")).to_be_visible()
    shot(phone, "documents-2-verify-phone")
    changed = bytearray(pdf.read_bytes())
    changed[len(changed) // 2] ^= 1
    (tmp_path / "changed.pdf").write_bytes(bytes(changed))
    phone.get_by_label("你持有的 PDF 文件").set_input_files(str(tmp_path / "changed.pdf"))
    phone.get_by_role("button", name="比对").click()
    expect(phone.get_by_role("alert")).to_contain_text("不是签发的原件")
