"""The oversight pages: the open-government and study registers, online patrols, the schools'
risk screening and the 三重一大 register. Each write has its own URL and form (issue 24)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from edugov.accounts.decorators import staff_required
from edugov.accounts.http import AuthedRequest
from edugov.accounts.models import Organisation
from edugov.accounts.selectors import bureau_of
from edugov.kernel import query
from edugov.kernel.calendar import month_start
from edugov.kernel.forms import first_error, submit
from edugov.kernel.xlsx import Column, write_workbook

from . import actions, screening, selectors
from . import forms as ovforms
from .permissions import can_keep_registers, can_screen


def _bureau(request: AuthedRequest) -> Organisation:
    bureau = bureau_of(request.user, lambda b: can_keep_registers(request.user, b))
    if bureau is None:
        raise PermissionDenied(_("The registers are kept by the bureau's departments."))
    return bureau


@staff_required
@require_GET
def registers(request: AuthedRequest) -> HttpResponse:
    kind = request.GET.get("kind") or "publication"
    return _registers_page(request, kind if kind in selectors.REGISTERS else "publication")


def _registers_page(request: AuthedRequest, kind: str, form: forms.Form | None = None, status: int = 200) -> HttpResponse:
    bureau = _bureau(request)
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
    today = timezone.localdate()
    if form is None:
        form = ovforms.REGISTER_FORMS[kind](prefix=kind, initial={date_field: today, "answered_on": today})
    return render(request, "oversight/registers.html", {"kind": kind, "page": page, "year": year, "count": qs.count(),
                                                        "form": form}, status=status)


@staff_required
@require_POST
def register_add(request: AuthedRequest, kind: str) -> HttpResponse:
    """One entry of a register: an item published or an inquiry answered."""
    if kind not in selectors.REGISTERS:
        raise Http404
    bureau = _bureau(request)
    adders: dict[str, Callable[..., object]] = {"publication": actions.add_publication, "inquiry": actions.add_inquiry}
    form_class = ovforms.REGISTER_FORMS[kind]
    form = form_class(request.POST, prefix=kind)
    done, _item = submit(form, lambda d: adders[kind](actor=request.user, organisation=bureau, **d))
    if not done:
        return _registers_page(request, kind, form, status=400)
    messages.success(request, _("Recorded."))
    return redirect(f"{reverse('oversight:registers')}?kind={kind}")


# ---- patrols, risk screening, 三重一大 ----------------------------------------------------------

@staff_required
@require_GET
def patrols(request: AuthedRequest) -> HttpResponse:
    return _patrols_page(request)


def _patrols_page(request: AuthedRequest, form: ovforms.PatrolForm | None = None, status: int = 200) -> HttpResponse:
    bureau = _screening_bureau(request)
    page = Paginator(selectors.patrols_of(bureau), settings.EDUGOV["PAGE_SIZE"]).get_page(request.GET.get("page"))
    form = form or ovforms.PatrolForm(actor=request.user, prefix="patrol", initial={"on": timezone.localdate()})
    return render(request, "oversight/patrols.html", {"page": page, "form": form}, status=status)


@staff_required
@require_POST
def patrol_record(request: AuthedRequest) -> HttpResponse:
    _screening_bureau(request)
    form = ovforms.PatrolForm(request.POST, actor=request.user, prefix="patrol")
    done, _record = submit(form, lambda d: screening.patrol(actor=request.user, **d))
    if not done:
        return _patrols_page(request, form, status=400)
    messages.success(request, _("Recorded."))
    return redirect("oversight:patrols")


def _screening_bureau(request: AuthedRequest) -> Organisation:
    bureau = bureau_of(request.user, lambda b: can_screen(request.user, b))
    if bureau is None:
        raise PermissionDenied(_("This is recorded by the bureau."))
    return bureau


@staff_required
def patrol_bulletin(request: AuthedRequest) -> HttpResponse:
    """The fortnightly bulletin, as a page or in the official layout (Word)."""
    from edugov.documents.official import OfficialDocument, Paragraph, Table, to_docx

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


def _month(request: AuthedRequest) -> dt.date:
    """The month a screening page shows: ?month=YYYY-MM, else last month."""
    last_month = month_start(timezone.localdate(), -1)
    try:
        return dt.date.fromisoformat((request.GET.get("month") or "") + "-01")
    except ValueError:
        return last_month


def _risks_url(month: dt.date) -> str:
    return f"{reverse('oversight:risks')}?month={month:%Y-%m}"


@staff_required
@require_GET
def risks(request: AuthedRequest) -> HttpResponse:
    """The bureau: last month's missing ledgers and the risks with their countermeasures. A school:
    its rectifications and risks to close, and the month's ledger to submit."""
    return _risks_page(request, _month(request))


def _risks_page(request: AuthedRequest, month: dt.date, status: int = 200, **bound: Any) -> HttpResponse:
    school = selectors.school_of(request.user)
    if school is not None:
        rectifications = selectors.open_rectifications(school)
        failed = bound.get("rectification")
        return render(request, "oversight/risks_school.html", {
            "school": school, "month": month,
            "ledger_form": bound.get("ledger_form") or ovforms.MonthForm(prefix="ledger", initial={"month": month}),
            "rows": bound.get("rows") or ovforms.RiskRowFormSet(prefix="row"),
            "submitted": school.risk_ledgers.filter(month=month).exists(),
            "chased": school.ledger_chases.filter(month=month).first(),
            "risks": selectors.open_risks(school),
            "rectifications": [(r, failed[1] if failed and failed[0] == r.pk else
                                ovforms.CloseRectificationForm(prefix=f"rect{r.pk}")) for r in rectifications]},
            status=status)
    bureau = _screening_bureau(request)
    items = selectors.month_risks(bureau, month)
    return render(request, "oversight/risks.html", {
        "month": month, "missing": screening.missing_ledgers(bureau, month),
        "chase_form": ovforms.MonthForm(prefix="chase", initial={"month": month}),
        "analyse_form": bound.get("analyse_form") or ovforms.AnalyseForm(items=items, prefix="analyse",
                                                                          initial={"month": month})},
        status=status)


def _school(request: AuthedRequest) -> Any:
    school = selectors.school_of(request.user)
    if school is None:
        raise PermissionDenied(_("Only the school's administrators do this."))
    return school


@staff_required
@require_POST
def ledger_submit(request: AuthedRequest) -> HttpResponse:
    school = _school(request)
    form = ovforms.MonthForm(request.POST, prefix="ledger")
    rows = ovforms.RiskRowFormSet(request.POST, prefix="row")
    month = _month(request)
    if rows.is_valid():
        items = [r for r in rows.cleaned_data if r and str(r.get("category") or "").strip()]
        done, _ledger = submit(form, lambda d: screening.submit_ledger(actor=request.user, school=school, items=items, **d))
        if done:
            messages.success(request, _("Submitted."))
            return redirect(_risks_url(form.cleaned_data["month"]))
    else:
        form.is_valid()
        form.add_error(None, _("Please check the rows of the ledger."))
    return _risks_page(request, month, status=400, ledger_form=form, rows=rows)


@staff_required
@require_POST
def risk_close(request: AuthedRequest, pk: int) -> HttpResponse:
    school = _school(request)
    item = selectors.access_risk_item(school, pk)
    form = ovforms.CloseRiskForm(request.POST, prefix=f"risk{pk}")
    done, _item = submit(form, lambda d: screening.close_risk(actor=request.user, item=item))
    if not done:
        messages.error(request, first_error(form))
    else:
        messages.success(request, _("Recorded."))
    return redirect(_risks_url(_month(request)))


@staff_required
@require_POST
def rectification_close(request: AuthedRequest, pk: int) -> HttpResponse:
    school = _school(request)
    item = selectors.access_rectification(school, pk)
    form = ovforms.CloseRectificationForm(request.POST, prefix=f"rect{pk}")
    done, _item = submit(form, lambda d: screening.close_rectification(actor=request.user, item=item, **d))
    if not done:
        return _risks_page(request, _month(request), status=400, rectification=(pk, form))
    messages.success(request, _("Recorded."))
    return redirect(_risks_url(_month(request)))


@staff_required
@require_POST
def ledgers_chase(request: AuthedRequest) -> HttpResponse:
    bureau = _screening_bureau(request)
    form = ovforms.MonthForm(request.POST, prefix="chase")
    done, n = submit(form, lambda d: screening.chase(actor=request.user, bureau=bureau, **d))
    if not done:
        messages.error(request, first_error(form))
        return redirect(_risks_url(_month(request)))
    messages.info(request, _("%(n)d schools chased.") % {"n": n})
    return redirect(_risks_url(form.cleaned_data["month"]))


@staff_required
@require_POST
def risks_analyse(request: AuthedRequest) -> HttpResponse:
    bureau = _screening_bureau(request)
    month = _month(request)
    month_form = ovforms.MonthForm(request.POST, prefix="analyse")
    if month_form.is_valid():
        month = month_form.cleaned_data["month"]
    form = ovforms.AnalyseForm(request.POST, items=selectors.month_risks(bureau, month), prefix="analyse")
    done, _items = submit(form, lambda d: screening.analyse(actor=request.user, bureau=bureau, month=d["month"],
                                                           countermeasures=form.countermeasures()))
    if not done:
        return _risks_page(request, month, status=400, analyse_form=form)
    messages.success(request, _("Recorded."))
    return redirect(_risks_url(month))


@staff_required
@require_GET
def decisions(request: AuthedRequest) -> HttpResponse:
    return _decisions_page(request)


def _decisions_page(request: AuthedRequest, status: int = 200, form: ovforms.DecisionForm | None = None,
                    failed: tuple[int, ovforms.ExecutionForm] | None = None) -> HttpResponse:
    bureau = _screening_bureau(request)
    today = timezone.localdate()
    page = Paginator(selectors.decisions_of(bureau), settings.EDUGOV["PAGE_SIZE"]).get_page(request.GET.get("page"))
    rows = [(d, failed[1] if failed and failed[0] == d.pk else
             ovforms.ExecutionForm(prefix=f"exec{d.pk}", initial={"on": today})) for d in page]
    return render(request, "oversight/decisions.html", {
        "page": page, "rows": rows,
        "form": form or ovforms.DecisionForm(actor=request.user, prefix="decision", initial={"met_on": today})}, status=status)


@staff_required
@require_POST
def decision_register(request: AuthedRequest) -> HttpResponse:
    bureau = _screening_bureau(request)
    form = ovforms.DecisionForm(request.POST, actor=request.user, prefix="decision")
    done, _item = submit(form, lambda d: screening.register_decision(actor=request.user, organisation=bureau, **d))
    if not done:
        return _decisions_page(request, status=400, form=form)
    messages.success(request, _("Recorded."))
    return redirect("oversight:decisions")


@staff_required
@require_POST
def decision_execute(request: AuthedRequest, pk: int) -> HttpResponse:
    item = selectors.access_decision(_screening_bureau(request), pk)
    form = ovforms.ExecutionForm(request.POST, prefix=f"exec{pk}")
    done, _item = submit(form, lambda d: screening.record_execution(actor=request.user, item=item, **d))
    if not done:
        return _decisions_page(request, status=400, failed=(pk, form))
    messages.success(request, _("Recorded."))
    return redirect("oversight:decisions")


# ---- leaders' areas and departments' linked schools (issue 31) -----------------------------------

def _term(request: AuthedRequest) -> tuple[dt.date, dt.date]:
    from edugov.kernel.calendar import school_term

    return school_term(query.date(request, "on", timezone.localdate()))


@staff_required
@require_GET
def liaison(request: AuthedRequest) -> HttpResponse:
    return _liaison_page(request)


def _liaison_page(request: AuthedRequest, bound: dict[str, forms.Form] | None = None,
                  status: int = 200) -> HttpResponse:
    bureau = _screening_bureau(request)
    start, end = _term(request)
    unvisited = selectors.unvisited_schools(bureau, start, end)
    if request.GET.get("export") == "unvisited":
        rows = ([s.code, s.name, "、".join(str(li) for li in s.liaisons.all() if li.until is None) or _("none")]
                for s in unvisited[:50000])
        body = write_workbook([Column("code", _("Code")), Column("school", _("School")),
                               Column("covered_by", _("Covered by"))], rows, title=f"unvisited-{start}")
        response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="unvisited-{start}.xlsx"'
        return response
    today = timezone.localdate()
    forms_ = {"area": ovforms.LiaisonForm(actor=request.user, prefix="area", initial={"since": today}),
              "visit": ovforms.VisitForm(actor=request.user, prefix="visit", initial={"visited_on": today}),
              **(bound or {})}
    visits = selectors.visits_of(bureau, start, end)
    size = settings.EDUGOV["PAGE_SIZE"]
    return render(request, "oversight/liaison.html", {
        "start": start, "end": end, "on": query.date(request, "on", today),
        "liaisons": selectors.liaisons_of(bureau), "forms": forms_,
        "visits": Paginator(visits, size).get_page(request.GET.get("page")),
        "visit_count": visits.count(), "schools_visited": visits.values("school").distinct().count(),
        "unvisited": Paginator(unvisited, size).get_page(request.GET.get("upage")),
        "unvisited_count": unvisited.count()}, status=status)


@staff_required
@require_POST
def liaison_add(request: AuthedRequest, kind: str) -> HttpResponse:
    """An area or a link (`area`), or a visit (`visit`)."""
    from . import liaison as li

    if kind not in ("area", "visit"):
        raise Http404
    bureau = _screening_bureau(request)
    form: forms.Form
    if kind == "area":
        form = ovforms.LiaisonForm(request.POST, actor=request.user, prefix="area")
        done, _item = submit(form, lambda d: li.liaison_create(actor=request.user, organisation=bureau, **d))
    else:
        form = ovforms.VisitForm(request.POST, actor=request.user, prefix="visit")
        done, _item = submit(form, lambda d: li.liaison_visit(actor=request.user, **d))
    if not done:
        return _liaison_page(request, {kind: form}, status=400)
    messages.success(request, _("Recorded."))
    return redirect("oversight:liaison")


# ---- accepting oversight and resolving disputes (issue 32): misconduct reports, the discipline group,
# mediation; and the public page that publishes how misconduct is reported ----------------------------

ACCOUNTABILITY_TABS = {"misconduct": ("report", "channel"), "discipline": ("notice",),
                       "mediation": ("mediation", "conclude", "follow_up")}


def _accountability_allowed(request: AuthedRequest, tab: str) -> Callable[[Organisation], bool]:
    from edugov.accounts.models import BUREAU_ROLES
    from edugov.accounts.permissions import can_read_within

    return {"discipline": lambda b: can_keep_registers(request.user, b),
            "mediation": lambda b: can_screen(request.user, b)}.get(
        tab, lambda b: can_read_within(request.user, b, set(BUREAU_ROLES)))


def _accountability_bureau(request: AuthedRequest, tab: str) -> Organisation:
    bureau = bureau_of(request.user, _accountability_allowed(request, tab))
    if bureau is None:
        raise PermissionDenied(_("This page is not among your duties."))
    return bureau


def _accountability_rows(bureau: Organisation, tab: str, year: int, request: AuthedRequest) -> Any:
    if tab == "misconduct":
        return selectors.misconduct_reports_for(request.user).filter(case__opened_at__year=year)
    if tab == "discipline":
        return selectors.discipline_notices_of(bureau, year)
    return selectors.mediations_of(bureau, year)


@staff_required
@require_GET
def accountability(request: AuthedRequest) -> HttpResponse:
    tab = request.GET.get("tab") or "misconduct"
    return _accountability_page(request, tab if tab in ACCOUNTABILITY_TABS else "misconduct")


def _accountability_page(request: AuthedRequest, tab: str, bound: dict[str, forms.Form] | None = None,
                         status: int = 200) -> HttpResponse:
    from edugov.accounts.models import Role
    from edugov.accounts.permissions import can_read_within

    bureau = _accountability_bureau(request, tab)
    year = query.year(request)
    rows = _accountability_rows(bureau, tab, year, request)
    if request.GET.get("export") == "xlsx" and tab != "misconduct":
        columns, values = _export_columns(tab)
        body = write_workbook(columns, (values(o) for o in rows[:50000]), title=f"{tab}-{year}")
        response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="{tab}-{year}.xlsx"'
        return response
    today = timezone.localdate()
    initial = {"received_on": today, "on": today, "started_on": today, "concluded_on": today,
               "followed_up_on": today, "published_on": today}
    shown = list(ACCOUNTABILITY_TABS[tab])
    if tab == "misconduct":
        shown = [k for k in shown if k != "report" or selectors.report_receivers_for(request.user).exists()]
        if not can_read_within(request.user, bureau, {Role.BUREAU_LEADER, Role.SYSADMIN}):
            shown.remove("channel")
    forms_: dict[str, forms.Form] = {k: ovforms.ACCOUNTABILITY_FORMS[k](actor=request.user, prefix=k, initial=initial) for k in shown}
    forms_.update({k: f for k, f in (bound or {}).items() if k in shown})
    return render(request, "oversight/accountability.html", {
        "tab": tab, "year": year, "forms": forms_, "count": rows.count(),
        "tabs": [t for t in ACCOUNTABILITY_TABS if bureau_of(request.user, _accountability_allowed(request, t))],
        "page": Paginator(rows, settings.EDUGOV["PAGE_SIZE"]).get_page(request.GET.get("page")),
        "channel": selectors.misconduct_channel_of(bureau) if tab == "misconduct" else None}, status=status)


def _export_columns(tab: str) -> tuple[list[Column], Callable[[Any], list[str]]]:
    if tab == "discipline":
        return ([Column("on", _("Date")), Column("kind", _("Kind")), Column("subject", _("Meeting or matter")),
                 Column("by", _("Who of the group")), Column("note", _("What the group said"))],
                lambda o: [str(o.on), o.get_kind_display(), o.subject, o.attended_by, o.note])
    return ([Column("school", _("School")), Column("family", _("Family party")), Column("subject", _("Dispute")),
             Column("started", _("Started on")), Column("mediator", _("Mediator")), Column("community", _("Community")),
             Column("outcome", _("Outcome")), Column("agreement", _("Agreement")),
             Column("followed", _("Followed up on"))],
            lambda o: [o.school.name, o.family, o.subject, str(o.started_on), o.mediator, o.community,
                       o.get_outcome_display(), o.agreement, str(o.followed_up_on or "")])


@staff_required
@require_POST
def accountability_add(request: AuthedRequest, kind: str) -> HttpResponse:
    """One write: a report entered, the channel published, a notice to the discipline group, a
    mediation begun, concluded or followed up."""
    from . import disputes, misconduct

    tab = next((t for t, kinds in ACCOUNTABILITY_TABS.items() if kind in kinds), None)
    if tab is None:
        raise Http404
    bureau = _accountability_bureau(request, tab)
    form_class = ovforms.ACCOUNTABILITY_FORMS[kind]
    form = form_class(request.POST, actor=request.user, prefix=kind)
    user = request.user
    acts: dict[str, Callable[[dict[str, Any]], Any]] = {
        "report": lambda d: misconduct.report_take(actor=user, organisation=bureau, **d),
        "channel": lambda d: misconduct.channel_set(actor=user, organisation=bureau, **d),
        "notice": lambda d: misconduct.discipline_notice_add(actor=user, organisation=bureau, **d),
        "mediation": lambda d: disputes.mediation_start(actor=user, organisation=bureau, **d),
        "conclude": lambda d: disputes.mediation_conclude(actor=user, **d),
        "follow_up": lambda d: disputes.mediation_follow_up(actor=user, **d),
    }
    done, result = submit(form, acts[kind])
    if not done:
        return _accountability_page(request, tab, {kind: form}, status=400)
    if kind == "report":
        messages.success(request, _("Recorded as %(ref)s; the unit reported is recused from it.")
                         % {"ref": result.report.case.reference} if not result.existing
                         else _("This report was recorded already (%(ref)s).") % {"ref": result.report.case.reference})
        return redirect("cases:detail", pk=result.report.case.pk)
    messages.success(request, _("Recorded."))
    return redirect(f"{reverse('oversight:accountability')}?tab={tab}&year={query.year(request)}")


def public_misconduct(request: Any) -> HttpResponse:
    """How misconduct is reported, published by each bureau; a signed-in member of the public reports
    online here (an anonymous visitor is asked to sign in, or to call or write)."""
    from . import misconduct

    channels = list(selectors.published_channels())
    if not channels:  # nothing published yet: the page says so (the portal links here)
        return render(request, "oversight/public_misconduct.html", {"channels": [], "channel": None})
    code = request.GET.get("bureau") or ""  # the form posts to its page's own address, bureau included
    channel = next((c for c in channels if c.organisation.code == code), channels[0])
    bureau = channel.organisation
    user = request.user if request.user.is_authenticated else None
    form = None
    status = 200
    if user is not None and user.is_public:
        form = ovforms.PublicMisconductForm(request.POST or None, bureau=bureau)
        if request.method == "POST":
            done, result = submit(form, lambda d: misconduct.report_take(
                actor=user, organisation=bureau, channel="web", applicant=user, **d))
            if done:
                messages.success(request, _("Your report has been received as %(ref)s. The result will be sent to "
                                            "you by the deadline the bureau publishes.")
                                 % {"ref": result.report.case.reference})
                return redirect(f"{reverse('oversight:public_misconduct')}?bureau={bureau.code}")
            status = 400
    elif request.method == "POST":
        return redirect(f"{reverse('accounts:phone_login')}?next={reverse('oversight:public_misconduct')}")
    from edugov.kernel import rules

    return render(request, "oversight/public_misconduct.html", {
        "channels": channels, "channel": channel, "form": form,
        "accept_rule": rules.get("misconduct_report.acceptance"),
        "result_rule": rules.get("misconduct_report.result")}, status=status)
