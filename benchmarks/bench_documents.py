"""Issued documents: what an act pays to issue its document, what signing one costs, and a results
day's batch of admission notices, each against a baseline in the same run.

- issue (in the act's transaction: frozen text, number, code, ledger entry) vs the bare insert of
  one row of the same table: the act's added cost;
- seal (render the GB/T 9704 PDF with its QR code, then sign it as PAdES) vs rendering the same
  document unsigned: what the QR code, the signature, the file and the ledger entry add (goal: ratio
  >= 0.33, at most triple the render);
- 20,000 admission notices issued in one batch (the results day) vs bulk-inserting the same rows
  without the frozen text, numbers and ledger (goal: ratio >= 0.2, and under 30 s here)."""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness import report, save, setup_django, timeit  # noqa: E402

BATCH = 20_000


def main() -> None:
    setup_django()
    from django.db import transaction
    from django.utils import timezone

    from edugov.accounts.models import Organisation, OrgKind
    from edugov.documents import actions
    from edugov.documents.models import DocumentKind, IssuedDocument
    from edugov.documents.official import OfficialDocument, Paragraph, Table, to_pdf

    bureau = Organisation.objects.create(code="B", name="江州区教育委员会", kind=OrgKind.BUREAU, case_prefix="江教")

    def licence(n: int) -> OfficialDocument:
        return OfficialDocument(
            title="准予行政许可决定书", issuer=bureau.name, date=dt.date(2024, 9, 29), document_number=f"江教许准〔2024〕{n}号",
            recipients="江州区星光艺术培训学校有限公司",
            blocks=[Paragraph("你于2024年9月2日向本机关申请“校外培训机构设立审批”（申请编号江教审〔2024〕0001号）。" * 2),
                    Paragraph("经审查，你的申请符合法定条件、标准，本机关决定准予行政许可。" * 3),
                    Table(["项目", "内容"], [["持证者", "江州区星光艺术培训学校有限公司"], ["证书编号", "教民2024000123号"]])])

    counter = iter(range(1, 10**9))

    def issue_one() -> None:
        with transaction.atomic():
            actions.document_issue(actor=None, organisation=bureau, kind=DocumentKind.LICENSING_GRANT,
                                   doc=licence(next(counter)), subject="case:1", summary="准予")

    def bare_row() -> None:
        with transaction.atomic():
            IssuedDocument.objects.create(organisation=bureau, kind="licensing_refusal", title="t", number="n",
                                          issued_on=dt.date(2024, 9, 29), summary="s", subject="case:1",
                                          verify_code=f"BARE-{next(counter):014d}"[:20], content="{}",
                                          content_sha256="0" * 64, created_at=timezone.now())

    issue_one()
    issue_s, bare_s = timeit(issue_one, 50), timeit(bare_row, 50)
    report("documents_issue", bare_s / issue_s, "inserting one bare row of the same table",
           issue_ms=issue_s * 1000, bare_ms=bare_s * 1000)

    doc = licence(1)
    to_pdf(doc)  # fonts loaded once, as in a running worker
    docs = list(IssuedDocument.objects.filter(kind=DocumentKind.LICENSING_GRANT)[:8])
    t0 = time.perf_counter()
    for d in docs:
        actions.document_seal(d)
    seal_s = (time.perf_counter() - t0) / len(docs)
    render_s = timeit(lambda: to_pdf(doc), 8)
    report("documents_seal", render_s / seal_s, "rendering the same document unsigned",
           seal_ms=seal_s * 1000, render_ms=render_s * 1000, per_hour_one_core=3600 / seal_s)

    items = [actions.Batch(OfficialDocument(title="入学通知书", issuer=bureau.name, recipients="家长",
                                            blocks=[Paragraph(f"你的孩子{n}号已被江州区实验小学录取。")]),
                           f"case:{n}", "已被江州区实验小学录取", "孩*") for n in range(BATCH)]
    t0 = time.perf_counter()
    with transaction.atomic():
        actions.document_issue_many(actor=None, organisation=bureau, kind=DocumentKind.ADMISSION_NOTICE,
                                    items=items)
    batch_s = time.perf_counter() - t0
    rows = [IssuedDocument(organisation=bureau, kind="admission_notice", title="t", number=str(n),
                           issued_on=dt.date(2024, 7, 1), summary="s", subject=f"case:{n}",
                           verify_code=f"BULK-{n:014d}", content="{}", content_sha256="0" * 64,
                           created_at=timezone.now()) for n in range(BATCH)]
    t0 = time.perf_counter()
    with transaction.atomic():
        IssuedDocument.objects.bulk_create(rows, batch_size=2000)
    bulk_s = time.perf_counter() - t0
    report("documents_results_day", bulk_s / batch_s, "bulk-inserting the same rows bare",
           notices=BATCH, batch_s=batch_s, bulk_s=bulk_s, per_s=BATCH / batch_s)
    save()


if __name__ == "__main__":
    main()
