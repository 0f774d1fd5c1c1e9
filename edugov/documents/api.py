"""GET /api/v1/public/documents/<code> (INTERFACES.md, "Issued documents"): what the verification
page says, as JSON, for programs (a school's or a market regulator's system checking a document it
was handed). Rate-limited per address like the page; an unknown code is a 404 that says no more."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError

from edugov.kernel import ratelimit

from . import selectors
from .actions import document_seal
from .models import IssuedDocument

router = Router(tags=["documents"])


class DocumentOut(Schema):
    number: str
    kind: str
    issuer: str
    date: str
    status: str
    sha256: str


def answer(doc: IssuedDocument) -> dict[str, Any]:
    doc = document_seal(doc)
    return {"number": doc.number, "kind": doc.kind, "issuer": doc.organisation.name,
            "date": doc.issued_on.isoformat(), "status": doc.status_on(timezone.localdate()),
            "sha256": doc.pdf_sha256}


@router.get("/{code}", response=DocumentOut, summary="An issued document by its verification code")
def document(request: HttpRequest, code: str) -> dict[str, Any]:
    verdict = ratelimit.check(request, "verify", ratelimit.rate("lookup"))
    if verdict.limited:
        raise ratelimit.Throttled(verdict.retry_after)
    doc = selectors.issued_by_code(code)
    if doc is None:
        raise HttpError(404, "no issued document has that code")
    return answer(doc)
