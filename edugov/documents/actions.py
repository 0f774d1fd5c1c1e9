"""Issuing documents: each act that the law says is made in writing calls `document_issue` inside
its own transaction, with the document built from the act's record. The document's date is the
act's, its number the act's (kernel.numbering or the case reference), its text frozen then.

Signing (`document_seal`) renders the frozen text to PDF with its verification code and QR code
and signs it (documents.signing); it runs once per document: in the worker's periodic task
(tasks.seal_pending), or at the first read when no worker has reached it yet (the demo, which has
no worker). The PDF's SHA-256 enters the ledger then; the bytes never change afterwards."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation, User
from edugov.audit.ledger import record
from edugov.kernel import ledger_port, numbering, querycodes
from edugov.kernel.errors import Conflict, ValidationFailed

from .models import DocumentKind, IssuedDocument
from .official import OfficialDocument, Verification, from_data, to_data, to_pdf
from .signing import sign

ledger_port.declare("document", ("kind", "number", "issued_on", "verify_code", "content_sha256", "pdf_sha256",
                                 "subject", "reason", "replaced_by", "replaces", "valid_until", "revoked_on",
                                 "count", "org", "first", "last", "digest"))


# The word of each kind's 文号 series (江教许受〔2024〕3号): one gapless series per kind, bureau and year.
SERIES = {
    DocumentKind.LICENSING_ACCEPTANCE: "许受", DocumentKind.LICENSING_NON_ACCEPTANCE: "许不受",
    DocumentKind.LICENSING_CORRECTION: "许补", DocumentKind.LICENSING_GRANT: "许准",
    DocumentKind.LICENSING_REFUSAL: "许不准", DocumentKind.PENALTY_FILING: "罚立",
    DocumentKind.PENALTY_PRIOR_NOTICE: "罚告", DocumentKind.PENALTY_HEARING_NOTICE: "罚听",
    DocumentKind.SERVICE_RECEIPT: "送", DocumentKind.PAYMENT_REMINDER: "催", DocumentKind.INSPECTION_RECORD: "检",
    DocumentKind.COMPLAINT_ACCEPTANCE: "信受", DocumentKind.COMPLAINT_NON_ACCEPTANCE: "信不受",
    DocumentKind.COMPLAINT_OPINION: "信意", DocumentKind.OGI_REPLY: "公开答",
    DocumentKind.ADMISSION_NOTICE: "录", DocumentKind.ADMISSION_REFUSAL: "不录",
}


def next_number(organisation: Organisation, kind: str, year: int) -> str:
    """The next 文号 of the kind's series for the bureau (call inside the act's transaction: a
    rolled-back act gives its number back)."""
    bureau = organisation.bureau or organisation
    n = numbering.next_number(f"document_{kind}", bureau, year)
    prefix = bureau.case_prefix or bureau.name[:2]
    return f"{prefix}{SERIES[DocumentKind(kind)]}〔{year}〕{n}号"


def verify_url(code: str) -> str:
    return f"{settings.EDUGOV['PUBLIC_BASE_URL'].rstrip('/')}/verify/{code}"


def _digest(data: dict[str, Any]) -> tuple[str, str]:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text, hashlib.sha256(text.encode()).hexdigest()


def document_issue(*, actor: User | None, organisation: Organisation, kind: str, doc: OfficialDocument, subject: str,
                   summary: str, recipient: str = "", valid_until: dt.date | None = None,
                   replaces: IssuedDocument | None = None, at: dt.datetime | None = None) -> IssuedDocument:
    """Record the document an act makes. Called inside the act's transaction: if the act fails, no
    document was issued. `doc.date` is the act's date and `doc.document_number` its number;
    `summary` says what it decides without naming a person (the public verification page shows it);
    `recipient` is the party as a public page may show them (a person masked)."""
    if doc.date is None or not doc.document_number:
        raise ValueError("an issued document has the date and the number of its act")
    if replaces is not None and replaces.replaced_by_id is not None:
        raise Conflict(_("Document %(n)s has been replaced already.") % {"n": replaces.number})
    now = at or timezone.now()
    content, digest = _digest(to_data(doc))
    for _attempt in range(5):  # a code is 60 random bits: a clash is all but impossible, and then retried
        try:
            with transaction.atomic():
                issued = IssuedDocument.objects.create(
                    organisation=organisation, kind=kind, title=doc.title[:100], number=doc.document_number[:80],
                    issued_on=doc.date, recipient=recipient[:120], summary=summary[:300], subject=subject,
                    verify_code=querycodes.new(12, 4), content=content, content_sha256=digest,
                    valid_until=valid_until, issued_by=actor, created_at=now)
            break
        except IntegrityError:
            continue
    else:  # pragma: no cover - five clashes of 60-bit random codes
        raise Conflict(_("No verification code could be given; please try again."))
    record(actor=actor, action="document.issue", target=issued, organisation=organisation, at=now,
           after={"kind": kind, "number": issued.number, "issued_on": doc.date.isoformat(),
                  "verify_code": issued.verify_code, "content_sha256": digest, "subject": subject,
                  "valid_until": valid_until.isoformat() if valid_until else ""})
    if replaces is not None:
        IssuedDocument.objects.filter(pk=replaces.pk).update(replaced_by=issued)
        record(actor=actor, action="document.amend", target=replaces, organisation=organisation, at=now,
               after={"replaced_by": issued.number, "verify_code": replaces.verify_code})
    return issued


@dataclass(frozen=True)
class Batch:
    """One document of a batch: its text without a number (the batch numbers them in order)."""
    doc: OfficialDocument
    subject: str
    summary: str
    recipient: str = ""


def document_issue_many(*, actor: User | None, organisation: Organisation, kind: str, items: list[Batch],
                        at: dt.datetime | None = None) -> int:
    """Issue the documents of one act done for many at once (an intake's results: thousands of
    admission notices), numbered consecutively in the kind's series, dated by the act. The ledger
    holds one entry for the batch: its count, first and last number, and the SHA-256 over every
    document's code and content digest in order, so that each document is covered as if recorded
    alone."""
    if not items:
        return 0
    now = at or timezone.now()
    day = timezone.localdate(now)
    bureau = organisation.bureau or organisation
    numbers = numbering.reserve(f"document_{kind}", bureau, day.year, len(items))
    prefix = bureau.case_prefix or bureau.name[:2]
    rows = []
    lines = []
    for n, item in zip(numbers, items, strict=True):
        item.doc.date, item.doc.document_number = day, f"{prefix}{SERIES[DocumentKind(kind)]}〔{day.year}〕{n}号"
        content, digest = _digest(to_data(item.doc))
        code = querycodes.new(12, 4)
        rows.append(IssuedDocument(organisation=organisation, kind=kind, title=item.doc.title[:100],
                                   number=item.doc.document_number, issued_on=day, recipient=item.recipient[:120],
                                   summary=item.summary[:300], subject=item.subject, verify_code=code,
                                   content=content, content_sha256=digest, issued_by=actor, created_at=now))
        lines.append(f"{code}:{digest}")
    IssuedDocument.objects.bulk_create(rows, batch_size=2000)
    record(actor=actor, action="document.issue_batch", organisation=organisation, at=now,
           target_type="document_kind", target_id=str(kind),
           after={"kind": kind, "count": len(rows), "issued_on": day.isoformat(), "first": rows[0].number,
                  "last": rows[-1].number, "digest": hashlib.sha256("\n".join(lines).encode()).hexdigest()})
    return len(rows)


def document_seal(document: IssuedDocument) -> IssuedDocument:
    """Render and sign the document once; a document already signed is returned as it is."""
    if document.pdf_sha256:
        return document
    with transaction.atomic():
        doc = IssuedDocument.objects.select_for_update().get(pk=document.pk)
        if doc.pdf_sha256:  # another process signed it while this one waited
            return doc
        official = from_data(json.loads(str(doc.content)))
        official.verification = Verification(doc.verify_code, verify_url(doc.verify_code))
        signed = sign(to_pdf(official), signer_name=doc.organisation.name, reason=doc.title,
                      location=doc.organisation.name)
        digest = hashlib.sha256(signed).hexdigest()
        # a random file name: the verification code opens the page, never the file (the demo serves media/)
        doc.pdf.save(f"{secrets.token_hex(16)}.pdf", ContentFile(signed), save=False)
        doc.pdf_sha256, doc.sealed_at = digest, timezone.now()
        doc.save(update_fields=["pdf", "pdf_sha256", "sealed_at"])
        record(actor=None, action="document.seal", target=doc, organisation=doc.organisation,
               after={"number": doc.number, "verify_code": doc.verify_code, "pdf_sha256": digest},
               files=[{"name": f"{doc.verify_code}.pdf", "sha256": digest}])
    return doc


def document_pdf(document: IssuedDocument) -> bytes:
    """The issued PDF, byte for byte (signed first if no one has yet)."""
    doc = document_seal(document)
    with doc.pdf.open("rb") as fh:
        data = fh.read()
    if hashlib.sha256(data).hexdigest() != doc.pdf_sha256:
        # the stored file is not what was issued: say so rather than hand out something else
        raise Conflict(_("The stored copy of %(n)s does not match the issued document; the administrator has been "
                         "told.") % {"n": doc.number})
    return data


def seal_pending(limit: int = 200) -> int:
    """Sign documents issued and not yet signed, oldest first (the worker's periodic task)."""
    done = 0
    for doc in IssuedDocument.objects.filter(pdf_sha256="").order_by("id")[:limit]:
        document_seal(doc)
        done += 1
    return done


def documents_revoke(*, actor: User | None, subject: str, reason: str, kinds: tuple[str, ...] = (),
                     at: dt.datetime | None = None) -> int:
    """The act a record's documents stood for was revoked (a licence revoked, a decision withdrawn):
    every document of the record still standing says so from that day. Called in the revoking act's
    transaction."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Please give the reason for the revocation."), field="reason")
    now = at or timezone.now()
    day = timezone.localdate(now)
    count = 0
    docs = IssuedDocument.objects.select_for_update().filter(subject=subject, revoked_on__isnull=True)
    if kinds:
        docs = docs.filter(kind__in=kinds)
    for doc in docs:
        doc.revoked_on, doc.revoked_reason = day, reason[:300]
        doc.save(update_fields=["revoked_on", "revoked_reason"])
        record(actor=actor, action="document.revoke", target=doc, organisation=doc.organisation, at=now,
               after={"number": doc.number, "verify_code": doc.verify_code, "revoked_on": day.isoformat(),
                      "reason": reason[:300]})
        count += 1
    return count


def document_export(*, actor: User | None, document: IssuedDocument) -> bytes:
    """The issued PDF for someone outside the platform (the command line's export): the ledger says
    who took a copy."""
    data = document_pdf(document)
    record(actor=actor, action="document.export", target=document, organisation=document.organisation,
           after={"number": document.number, "verify_code": document.verify_code})
    return data


def status_of(document: IssuedDocument, day: dt.date | None = None) -> str:
    return document.status_on(day or timezone.localdate())

