"""Pages of the yearly report: the list, the editor with its live preview and review steps, the
downloads, and the public list of published reports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from edugov.accounts.decorators import staff_required
from edugov.accounts.http import AuthedRequest
from edugov.accounts.models import Organisation
from edugov.accounts.selectors import bureau_of
from edugov.documents.official import Heading, to_docx, to_pdf
from edugov.kernel.forms import submit
from edugov.kernel.replica import reads_replica

from . import actions, selectors
from . import render as text
from .forms import ApproveForm, CreateForm, PublishForm, ReviewForm, SaveForm, SubmitForm
from .models import AnnualReport, ReportState
from .permissions import can_approve, can_read_report, can_review_legality, can_write_report
from .workflow import REPORT

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _bureau(request: AuthedRequest) -> Organisation:
    bureau = bureau_of(request.user, lambda b: can_read_report(request.user, b))
    if bureau is None:
        raise PermissionDenied(_("The yearly report is for the bureau's leaders, departments, legal reviewers and "
                                 "auditors."))
    return bureau


@staff_required
@require_GET
def report_list(request: AuthedRequest) -> HttpResponse:
    return _list_page(request)


def _list_page(request: AuthedRequest, form: CreateForm | None = None, status: int = 200) -> HttpResponse:
    bureau = _bureau(request)
    return render(request, "reports/list.html", {
        "reports": selectors.reports_of(bureau), "bureau": bureau,
        "create_form": form or CreateForm(prefix="create", initial={"year": timezone.localdate().year - 1}),
        "can_write": can_write_report(request.user, bureau)}, status=status)


@staff_required
@require_POST
def report_create(request: AuthedRequest) -> HttpResponse:
    bureau = _bureau(request)
    form = CreateForm(request.POST, prefix="create")
    done, report = submit(form, lambda d: actions.report_create(actor=request.user, organisation=bureau, **d))
    return redirect(report) if done else _list_page(request, form, status=400)


@staff_required
@require_GET
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _page(request, selectors.access_report(request.user, pk))


def _write(request: AuthedRequest, pk: int, name: str, form_class: Any, act: Any, done: Any) -> HttpResponse:
    """One write on a report: its form, its action, then back to the report (or to the page with
    the form's errors and what was typed)."""
    report = selectors.access_report(request.user, pk)
    form = form_class(request.POST, prefix=name)
    ok, _result = submit(form, lambda d: act(report, d))
    if not ok:
        return _page(request, report, status=400, **{f"{name}_form": form})
    messages.success(request, done)
    return redirect(report)


@staff_required
@require_POST
def report_save(request: AuthedRequest, pk: int) -> HttpResponse:
    return _write(request, pk, "save", SaveForm, lambda r, d: actions.report_save(
        actor=request.user, report=r, title=d["title"], body=d["body"], expected_version=d["version"]),
        _("Saved."))


@staff_required
@require_POST
def report_submit(request: AuthedRequest, pk: int) -> HttpResponse:
    return _write(request, pk, "submit", SubmitForm, lambda r, d: actions.report_submit(
        actor=request.user, report=r, expected_version=d["version"]), _("Sent to the legal department."))


@staff_required
@require_POST
def report_legal_review(request: AuthedRequest, pk: int) -> HttpResponse:
    return _write(request, pk, "review", ReviewForm, lambda r, d: actions.report_legal_review(
        actor=request.user, report=r, agree=d["agree"], note=d["note"]), _("Your review has been recorded."))


@staff_required
@require_POST
def report_approve(request: AuthedRequest, pk: int) -> HttpResponse:
    return _write(request, pk, "approve", ApproveForm, lambda r, d: actions.report_approve(
        actor=request.user, report=r, agree=d["agree"], note=d["note"]), _("Your decision has been recorded."))


@staff_required
@require_POST
def report_publish(request: AuthedRequest, pk: int) -> HttpResponse:
    return _write(request, pk, "publish", PublishForm, lambda r, d: actions.report_publish(
        actor=request.user, report=r), _("Published on the public site."))


def _page(request: AuthedRequest, report: AnnualReport, status: int = 200, **bound: Any) -> HttpResponse:
    user = request.user
    forms = {"save_form": SaveForm(prefix="save", initial={"title": report.title, "body": report.body,
                                                            "version": report.version}),
             "submit_form": SubmitForm(prefix="submit", initial={"version": report.version}),
             "review_form": ReviewForm(prefix="review"), "approve_form": ApproveForm(prefix="approve"),
             "publish_form": PublishForm(prefix="publish"), **bound}
    missing: list[str] = []
    if report.frozen:
        figures = report.frozen_figures
    else:
        figures, missing = text.compute(text.placeholders(report.body), report.year, report.organisation)
    doc = text.document(report.title, report.body, report.organisation, figures,
                          timezone.localdate(report.frozen_at) if report.frozen_at else timezone.localdate())
    preview = [{"heading": isinstance(block, Heading), "level": getattr(block, "level", 0), "number": number,
                "text": getattr(block, "text", "")} for block, number in doc.numbered()]
    org = report.organisation
    return render(request, "reports/detail.html", {
        "report": report, "preview": preview, "missing": missing, "figures": figures,
        "steps": report.steps.select_related("actor"), "differences": actions.differences(report),
        "events": _events(report),
        "deadline": actions.publication_deadline(report), "State": ReportState,
        "can_write": report.state == ReportState.DRAFT and can_write_report(user, org),
        "can_legal": report.state == ReportState.LEGAL_REVIEW and can_review_legality(user, org),
        "can_approve": report.state == ReportState.LEADER_REVIEW and can_approve(user, org),
        "can_publish": report.state == ReportState.APPROVED and (can_approve(user, org) or can_write_report(user, org)),
        **forms,
    }, status=status)


def _events(report: AnnualReport) -> list[Any]:
    """The approval's events on the case engine, each with its step's name."""
    if report.case is None:
        return []
    events = list(report.case.events.select_related("actor"))
    for e in events:
        step = REPORT.transition(e.transition) if e.transition else None
        e.step_label = step.label if step else ""  # type: ignore[attr-defined]
    return events


@staff_required
def download(request: AuthedRequest, pk: int, fmt: str) -> HttpResponseBase:
    report = selectors.access_report(request.user, pk)
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


@reads_replica
def public_list(request: HttpRequest) -> HttpResponse:
    reports = selectors.published_reports()
    return render(request, "reports/public.html", {"reports": reports, "ogi_reports": selectors.ogi_reports_published()})


def public_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    report = selectors.access_published_report(pk)
    return FileResponse(report.pdf.open("rb"), filename=f"{report.organisation.code}-{report.year}-report.pdf",
                        content_type="application/pdf")


# ---- the yearly report on government information disclosure (reports.ogi) ----------------------------

@staff_required
@require_GET
def ogi(request: AuthedRequest) -> HttpResponseBase:
    """The report of a year (?year=, last year by default): as it would be published now, or as it was."""
    from edugov.kernel import query

    year = query.year(request, default=timezone.localdate().year - 1)
    return _ogi_page(request, year)


def _ogi_page(request: AuthedRequest, year: int, form: Any = None, status: int = 200) -> HttpResponseBase:
    from . import ogi as ogi_report
    from .forms import OgiPublishForm

    org = _bureau(request)
    published = selectors.ogi_report_of(org, year)
    data = published.tables if published else ogi_report.tables(org, year)
    if request.GET.get("export") == "docx":
        doc = ogi_report.document(org, year, data, published.problems if published else "",
                                  published.other if published else "",
                                  published.published_on if published else timezone.localdate())
        response = HttpResponse(to_docx(doc), content_type="application/vnd.openxmlformats-officedocument."
                                                           "wordprocessingml.document")
        response["Content-Disposition"] = f'attachment; filename="ogi-report-{year}.docx"'
        return response
    return render(request, "reports/ogi.html", {
        "year": year, "data": data, "headers": ogi_report.headers(), "published": published,
        "can_publish": published is None and can_approve(request.user, org) and timezone.localdate().year > year,
        "form": form or OgiPublishForm(prefix="ogi", initial={"year": year})}, status=status)


@staff_required
@require_POST
def ogi_publish(request: AuthedRequest) -> HttpResponseBase:
    from django.urls import reverse

    from .forms import OgiPublishForm

    org = _bureau(request)
    form = OgiPublishForm(request.POST, prefix="ogi")
    done, report = submit(form, lambda d: actions.ogi_report_publish(
        actor=request.user, organisation=org, year=d["year"], problems=d["problems"], other=d["other"]))
    if not done:
        year = form.cleaned_data.get("year") or timezone.localdate().year - 1
        return _ogi_page(request, year, form, status=400)
    messages.success(request, _("The %(year)d disclosure report is published.") % {"year": report.year})
    return redirect(f"{reverse('reports:ogi')}?year={report.year}")


@reads_replica
def public_ogi(request: HttpRequest, pk: int) -> HttpResponseBase:
    from . import ogi as ogi_report

    report = selectors.access_published_ogi_report(pk)
    if request.GET.get("export") == "docx":
        doc = ogi_report.document(report.organisation, report.year, report.tables, report.problems, report.other,
                                  report.published_on)
        response = HttpResponse(to_docx(doc), content_type="application/vnd.openxmlformats-officedocument."
                                                           "wordprocessingml.document")
        response["Content-Disposition"] = f'attachment; filename="ogi-report-{report.year}.docx"'
        return response
    return render(request, "reports/public_ogi.html", {"report": report, "data": report.tables,
                                                       "headers": ogi_report.headers()})
