"""The three registers on one page: add an entry, list the year's, export."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from edugov.accounts.decorators import staff_required
from edugov.accounts.models import Organisation
from edugov.accounts.selectors import bureau_of
from edugov.kernel import query
from edugov.kernel.calendar import month_start
from edugov.kernel.errors import EdugovError
from edugov.kernel.validators import as_date, as_pk
from edugov.kernel.xlsx import Column, write_workbook

from . import actions, selectors
from .models import Channel
from .permissions import can_keep_registers, can_screen


def _bureau(request: HttpRequest) -> Organisation:
    bureau = bureau_of(request.user, lambda b: can_keep_registers(request.user, b))  # type: ignore[arg-type]
    if bureau is None:
        raise PermissionDenied(_("The registers are kept by the bureau's departments."))
    return bureau


@staff_required
@require_http_methods(["GET", "POST"])
def registers(request: HttpRequest) -> HttpResponse:
    bureau = _bureau(request)
    kind = request.GET.get("kind") or request.POST.get("kind") or "publication"
    if kind not in selectors.REGISTERS:
        kind = "publication"
    if request.method == "POST":
        post = request.POST
        try:
            if kind == "publication":
                actions.add_publication(actor=request.user, organisation=bureau, title=post.get("title", ""),  # type: ignore[arg-type]
                                        category=post.get("category", ""), published_on=as_date(post.get("date")),
                                        channel=post.get("channel", ""))
            elif kind == "inquiry":
                actions.add_inquiry(actor=request.user, organisation=bureau, received_on=as_date(post.get("date")),  # type: ignore[arg-type]
                                    channel=post.get("channel", ""), summary=post.get("summary", ""),
                                    answered_on=as_date(post.get("answered_on")),
                                    problem_solved=post.get("problem_solved") == "on")
            else:
                actions.add_lecture(actor=request.user, organisation=bureau, held_on=as_date(post.get("date")),  # type: ignore[arg-type]
                                    title=post.get("title", ""), place=post.get("place", ""),
                                    audience=int(post.get("audience") or 0))
            messages.success(request, _("Recorded."))
            return redirect(f"{request.path}?kind={kind}")
        except (EdugovError, ValueError) as exc:
            messages.error(request, getattr(exc, "message", _("Please check the numbers you entered.")))
    year = query.year(request)
    date_field = selectors.REGISTERS[kind][1]
    qs = selectors.register_rows(bureau, kind, year)
    if request.GET.get("export") == "xlsx":
        rows = ([str(getattr(o, date_field)), str(o)] + ([o.get_channel_display()] if hasattr(o, "channel") else [])
                for o in qs[:50000])
        response = HttpResponse(write_workbook([Column("date", _("Date")), Column("what", _("Title")),
                                                Column("channel", _("Channel"))], rows, title=f"{kind}-{year}"),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="{kind}-{year}.xlsx"'
        return response
    page = Paginator(qs, settings.EDUGOV["PAGE_SIZE"]).get_page(request.GET.get("page"))
    return render(request, "oversight/registers.html", {"kind": kind, "page": page, "year": year, "count": qs.count(),
                                                        "channels": Channel.choices, "post": request.POST,
                                                        "today": timezone.localdate()})


# ---- patrols, risk screening, 三重一大 ----------------------------------------------------------

@staff_required
@require_http_methods(["GET", "POST"])
def patrols(request: HttpRequest) -> HttpResponse:

    from . import screening

    bureau = _screening_bureau(request)
    if request.method == "POST":
        try:
            school = selectors.access_school(bureau, request.POST.get("school"))
            screening.patrol(actor=request.user, school=school, on=as_date(request.POST.get("on")),  # type: ignore[arg-type]
                             checked=request.POST.get("checked", ""), finding=request.POST.get("finding", ""))
            messages.success(request, _("Recorded."))
            return redirect("oversight:patrols")
        except EdugovError as exc:
            messages.error(request, exc.message)
    page = Paginator(selectors.patrols_of(bureau), settings.EDUGOV["PAGE_SIZE"]).get_page(request.GET.get("page"))
    return render(request, "oversight/patrols.html", {
        "page": page, "schools": selectors.schools_of(bureau),
        "today": timezone.localdate()})


def _screening_bureau(request: HttpRequest) -> Organisation:
    bureau = bureau_of(request.user, lambda b: can_screen(request.user, b))  # type: ignore[arg-type]
    if bureau is None:
        raise PermissionDenied(_("This is recorded by the bureau."))
    return bureau


@staff_required
def patrol_bulletin(request: HttpRequest) -> HttpResponse:
    """The fortnightly bulletin, as a page or in the official layout (Word)."""
    from edugov.documents.official import OfficialDocument, Paragraph, Table, to_docx

    from . import screening

    bureau = _screening_bureau(request)
    try:
        end = dt.date.fromisoformat(request.GET.get("end") or "") if request.GET.get("end") else timezone.localdate()
    except ValueError:
        end = timezone.localdate()
    b = screening.bulletin(bureau, end)
    title = _("Online patrol bulletin, %(start)s to %(end)s") % {"start": b["start"], "end": b["end"]}
    summary = _("%(n)d patrols of %(s)d schools; %(f)d findings; %(o)d rectifications open, %(d)d of them overdue.") % {
        "n": b["patrols"], "s": b["schools"], "f": len(b["findings"]), "o": len(b["open"]), "d": len(b["overdue"])}
    if request.GET.get("export") == "docx":
        rows = [[str(r.on), r.school.name, r.finding] for r in b["findings"]]
        doc = OfficialDocument(title=title, issuer=bureau.name, date=b["end"], blocks=[
            Paragraph(summary), Table([_("Date"), _("School"), _("Finding")], rows)])
        response = HttpResponse(to_docx(doc), content_type="application/vnd.openxmlformats-officedocument."
                                                           "wordprocessingml.document")
        response["Content-Disposition"] = f'attachment; filename="patrol-bulletin-{b["end"]}.docx"'
        return response
    return render(request, "oversight/patrol_bulletin.html", {"b": b, "title": title, "summary": summary})


@staff_required
@require_http_methods(["GET", "POST"])
def risks(request: HttpRequest) -> HttpResponse:
    """The bureau: last month's missing ledgers and the risks with their countermeasures. A school:
    its rectifications and risks to close, and the month's ledger to submit."""
    from . import screening
    from .models import RiskLevel

    school = selectors.school_of(request.user)  # type: ignore[arg-type]
    today = timezone.localdate()
    last_month = month_start(today, -1)
    month = last_month
    if request.GET.get("month"):
        try:
            month = dt.date.fromisoformat(request.GET["month"] + "-01")
        except ValueError:
            month = last_month
    post = request.POST
    if request.method == "POST":
        try:
            step = post.get("step")
            if step == "ledger" and school is not None:
                items = [{"category": post.get(f"category_{i}", ""), "level": post.get(f"level_{i}", ""),
                          "people": post.get(f"people_{i}", ""), "measures": post.get(f"measures_{i}", ""),
                          "responsible": post.get(f"responsible_{i}", "")}
                         for i in range(5) if post.get(f"category_{i}", "").strip()]
                screening.submit_ledger(actor=request.user, school=school, month=month, items=items)  # type: ignore[arg-type]
            elif step == "close_risk" and school is not None:
                item = selectors.access_risk_item(school, post.get("item"))
                screening.close_risk(actor=request.user, item=item)  # type: ignore[arg-type]
            elif step == "close_rectification" and school is not None:
                rect = selectors.access_rectification(school, post.get("item"))
                screening.close_rectification(actor=request.user, item=rect, note=post.get("note", ""))  # type: ignore[arg-type]
            elif step == "chase":
                n = screening.chase(actor=request.user, bureau=_screening_bureau(request), month=month)  # type: ignore[arg-type]
                messages.info(request, _("%(n)d schools chased.") % {"n": n})
            elif step == "analyse":
                bureau = _screening_bureau(request)
                measures = {pk: post.get(f"cm_{pk}", "") for pk in
                            (as_pk(k[3:]) for k in post if k.startswith("cm_")) if pk is not None and post.get(f"cm_{pk}")}
                screening.analyse(actor=request.user, bureau=bureau, month=month, countermeasures=measures)  # type: ignore[arg-type]
            else:
                raise EdugovError(_("Unknown step; please reload the page."))
            messages.success(request, _("Recorded."))
        except EdugovError as exc:
            messages.error(request, exc.message)
        return redirect(f"{request.path}?month={month:%Y-%m}")
    if school is not None:
        return render(request, "oversight/risks_school.html", {
            "school": school, "month": month, "levels": RiskLevel.choices, "rows": range(5),
            "submitted": school.risk_ledgers.filter(month=month).exists(),
            "chased": school.ledger_chases.filter(month=month).first(),
            "risks": selectors.open_risks(school), "rectifications": selectors.open_rectifications(school)})
    bureau = _screening_bureau(request)
    items = selectors.month_risks(bureau, month)
    return render(request, "oversight/risks.html", {"month": month, "items": items,
                                                    "missing": screening.missing_ledgers(bureau, month)})


@staff_required
@require_http_methods(["GET", "POST"])
def decisions(request: HttpRequest) -> HttpResponse:
    from . import screening
    from .models import DecisionCategory

    bureau = _screening_bureau(request)
    post = request.POST
    if request.method == "POST":
        try:
            if post.get("step") == "execute":
                item = selectors.access_decision(bureau, post.get("item"))
                screening.record_execution(actor=request.user, item=item, on=as_date(post.get("on")),  # type: ignore[arg-type]
                                           execution=post.get("execution", ""))
            else:
                screening.register_decision(
                    actor=request.user, organisation=bureau, category=post.get("category", ""),  # type: ignore[arg-type]
                    matter=post.get("matter", ""), meeting=post.get("meeting", ""), met_on=as_date(post.get("met_on")),
                    legal_opinion=post.get("legal_opinion", ""), decision=post.get("decision", ""),
                    fair_competition=post.get("fair_competition", ""))
            messages.success(request, _("Recorded."))
            return redirect("oversight:decisions")
        except EdugovError as exc:
            messages.error(request, exc.message)
    page = Paginator(selectors.decisions_of(bureau), settings.EDUGOV["PAGE_SIZE"]).get_page(
        request.GET.get("page"))
    return render(request, "oversight/decisions.html", {"page": page, "categories": DecisionCategory.choices,
                                                        "post": post, "today": timezone.localdate()})
