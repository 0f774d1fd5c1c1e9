"""The public verification of issued documents (INTERFACES.md, "Issued documents"): anyone holding
a document opens /verify/<code> from its QR code or types the code, and sees what it is and
whether it still stands; they may also compare the PDF they hold with the one issued. Nothing
else about the parties is shown, and look-ups are rate-limited like query codes (a guessed code
is a 404 that says no more than "not found")."""

from __future__ import annotations

import hashlib

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from edugov.kernel import querycodes, ratelimit

from . import responses, selectors, signing
from .actions import document_seal
from .forms import CheckFileForm, LookupForm
from .models import DocumentStatus
from .selectors import access_document


def _limited(request: HttpRequest) -> HttpResponse | None:
    verdict = ratelimit.check(request, "verify", ratelimit.rate("lookup"))
    return ratelimit.too_many(request, verdict) if verdict.limited else None


@require_http_methods(["GET"])
def lookup(request: HttpRequest) -> HttpResponse:
    """The page behind "验证文书": type the code printed under the QR code."""
    form = LookupForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect("documents:verify", code=querycodes.canonical(form.cleaned_data["code"]) or "-")
    return render(request, "documents/lookup.html", {"form": form})


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest, code: str) -> HttpResponse:
    limited = _limited(request)
    if limited is not None:
        return limited
    doc = selectors.issued_by_code(code)
    if doc is None:
        raise Http404

    doc = document_seal(doc)  # the digest of the issued PDF: signed now if no worker has yet
    today = timezone.localdate()
    form = CheckFileForm(request.POST or None, request.FILES or None)
    check = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data["file"]
        same = hashlib.sha256(data).hexdigest() == doc.pdf_sha256
        check = {"same": same, "signature": signing.validate(data)}
    return render(request, "documents/verify.html", {
        "doc": doc, "status": doc.status_on(today), "statuses": DocumentStatus, "today": today,
        "form": form, "check": check})


@login_required
def download(request: HttpRequest, pk: int) -> HttpResponse:
    """A document of a record the signed-in person may read (kernel.subjects: the staff who see the
    case, or its applicant): the signed PDF; the bureau's staff may take the Word master."""
    doc = access_document(request.user, pk)
    fmt = "docx" if request.GET.get("format") == "docx" and not request.user.is_public else "pdf"
    return responses.download(doc, fmt)


def certificates(request: HttpRequest) -> HttpResponse:
    """The document-signing certificate and the CA above it, PEM, leaf first."""
    response = HttpResponse(signing.certificates_pem(), content_type="application/x-pem-file")
    response["Content-Disposition"] = 'inline; filename="certificates.pem"'
    return response
