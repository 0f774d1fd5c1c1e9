"""The download of an issued document, for a domain's page that has resolved the record it belongs
to through its own access function: the signed PDF as issued, or its Word master (the same frozen
text, for the bureau to edit into a corrected document; the PDF is what was issued)."""

from __future__ import annotations

import json

from django.http import HttpResponse

from .actions import document_pdf
from .models import IssuedDocument
from .official import from_data, to_docx

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def download(doc: IssuedDocument, fmt: str = "pdf") -> HttpResponse:
    if fmt == "docx":
        response = HttpResponse(to_docx(from_data(json.loads(str(doc.content)))), content_type=DOCX)
        response["Content-Disposition"] = f'attachment; filename="{doc.kind}-{doc.pk}.docx"'
        return response
    response = HttpResponse(document_pdf(doc), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{doc.kind}-{doc.pk}.pdf"'
    return response
