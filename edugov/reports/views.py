"""Pages of the yearly report: the list, the editor with its live preview and review steps, the
downloads, and the public list of published reports."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from edugov.accounts.decorators import staff_required
from edugov.accounts.models import Organisation
from edugov.accounts.selectors import bureau_of
from edugov.documents.official import Heading, to_docx, to_pdf
from edugov.kernel.errors import EdugovError
from edugov.kernel.validators import as_pk

from . import actions, selectors
from . import render as text
from .models import AnnualReport, ReportState
from .permissions import can_approve, can_read_report, can_review_legality, can_write_report

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _bureau(request: HttpRequest) -> Organisation:
    bureau = bureau_of(request.user, lambda b: can_read_report(request.user, b))  # type: ignore[arg-type]
    if bureau is None:
        raise PermissionDenied(_("The yearly report is for the bureau's leaders, departments, legal reviewers and "
                                 "auditors."))
    return bureau


@staff_required
@require_http_methods(["GET", "POST"])
def report_list(request: HttpRequest) -> HttpResponse:
    bureau = _bureau(request)
    if request.method == "POST":
        try:
            report = actions.report_create(actor=request.user, organisation=bureau,  # type: ignore[arg-type]
                                           year=int(request.POST.get("year") or 0))
            return redirect(report)
        except (EdugovError, ValueError) as exc:
            messages.error(request, getattr(exc, "message", _("Choose a year such as 2024.")))
    reports = selectors.reports_of(bureau)
    return render(request, "reports/list.html", {
        "reports": reports, "bureau": bureau, "next_year": timezone.localdate().year - 1,
        "can_write": can_write_report(request.user, bureau)})  # type: ignore[arg-type]


@staff_required
@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.access_report(request.user, pk)  # type: ignore[arg-type]
    user, post = request.user, request.POST
    if request.method == "POST":
        step = post.get("step", "")
        version = as_pk(post.get("version"))
        try:
            if step == "save":
                actions.report_save(actor=user, report=report, title=post.get("title", ""),  # type: ignore[arg-type]
                                    body=post.get("body", ""), expected_version=version)
                messages.success(request, _("Saved."))
            elif step == "submit":
                actions.report_submit(actor=user, report=report, expected_version=version)  # type: ignore[arg-type]
                messages.success(request, _("Sent to the legal department."))
            elif step == "legal":
                actions.report_legal_review(actor=user, report=report, agree=post.get("agree") == "yes",  # type: ignore[arg-type]
                                            note=post.get("note", ""))
                messages.success(request, _("Your review has been recorded."))
            elif step == "approve":
                if post.get("agree") == "yes" and post.get("confirmed") != "on":
                    raise EdugovError(_("Please tick the confirmation box: an approved report is frozen."))
                actions.report_approve(actor=user, report=report, agree=post.get("agree") == "yes",  # type: ignore[arg-type]
                                       note=post.get("note", ""))
                messages.success(request, _("Your decision has been recorded."))
            elif step == "publish":
                actions.report_publish(actor=user, report=report)  # type: ignore[arg-type]
                messages.success(request, _("Published on the public site."))
            else:
                raise EdugovError(_("Unknown step; please reload the page."))
        except EdugovError as exc:
            messages.error(request, exc.message)
            if step == "save":  # keep what was typed
                report.title, report.body = post.get("title", report.title), post.get("body", report.body)
                return _page(request, report)
        return redirect(report)
    return _page(request, report)


def _page(request: HttpRequest, report: AnnualReport) -> HttpResponse:
    user = request.user
    if report.frozen:
        figures, missing = report.frozen_figures, []
    else:
        figures, missing = text.compute(text.placeholders(report.body), report.year, report.organisation)
    doc = text.document(report.title, report.body, report.organisation, figures,
                          timezone.localdate(report.frozen_at) if report.frozen_at else timezone.localdate())
    preview = [{"heading": isinstance(block, Heading), "level": getattr(block, "level", 0), "number": number,
                "text": block.text} for block, number in doc.numbered()]
    org = report.organisation
    return render(request, "reports/detail.html", {
        "report": report, "preview": preview, "missing": missing, "figures": figures,
        "steps": report.steps.select_related("actor"), "differences": actions.differences(report),
        "deadline": actions.publication_deadline(report), "State": ReportState,
        "can_write": report.state == ReportState.DRAFT and can_write_report(user, org),  # type: ignore[arg-type]
        "can_legal": report.state == ReportState.LEGAL_REVIEW and can_review_legality(user, org),  # type: ignore[arg-type]
        "can_approve": report.state == ReportState.LEADER_REVIEW and can_approve(user, org),  # type: ignore[arg-type]
        "can_publish": report.state == ReportState.APPROVED and (can_approve(user, org) or can_write_report(user, org)),  # type: ignore[arg-type]
    })


@staff_required
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    report = selectors.access_report(request.user, pk)  # type: ignore[arg-type]
    if fmt not in ("docx", "pdf"):
        raise Http404
    name = f"{report.organisation.code}-{report.year}-report.{fmt}"
    if report.frozen:
        return FileResponse((report.docx if fmt == "docx" else report.pdf).open("rb"), as_attachment=True,
                            filename=name)
    figures, _missing = text.compute(text.placeholders(report.body), report.year, report.organisation)
    doc = text.document(report.title, report.body, report.organisation, figures, timezone.localdate())
    data = to_docx(doc) if fmt == "docx" else to_pdf(doc)
    response = HttpResponse(data, content_type=DOCX if fmt == "docx" else "application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def public_list(request: HttpRequest) -> HttpResponse:
    reports = selectors.published_reports()
    return render(request, "reports/public.html", {"reports": reports})


def public_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.access_published_report(pk)
    return FileResponse(report.pdf.open("rb"), filename=f"{report.organisation.code}-{report.year}-report.pdf",
                        content_type="application/pdf")
