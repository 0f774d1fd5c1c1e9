from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from edugov.accounts.http import AuthedRequest
from edugov.accounts.models import Role
from edugov.accounts.permissions import has_role, is_staff_user
from edugov.audit.ledger import record
from edugov.audit.permissions import can_view_ledger
from edugov.kernel import attention, subjects
from edugov.kernel.calendar import years_missing_data
from edugov.kernel.errors import EdugovError
from edugov.kernel.forms import first_error, submit
from edugov.kernel.validators import as_pk
from edugov.kernel.xlsx import Column, write_workbook

from . import actions, presentation, selectors
from .forms import AssignForm, AttachmentForm, ClaimForm, CommentForm, ContactForm, TransitionForm
from .models import Case
from .permissions import can_act_on_case, can_assign, can_assign_case, can_claim_case, can_comment_on_case
from .workflow import all_workflows, party_clocks

VIEWS = [("todo", gettext_lazy("To do")), ("mine", gettext_lazy("Assigned to me")),
         ("department", gettext_lazy("My unit's queue")), ("today", gettext_lazy("Due today")),
         ("week", gettext_lazy("Due this week")), ("overdue", gettext_lazy("Overdue")),
         ("waiting", gettext_lazy("Waiting for the party")), ("open", gettext_lazy("All open")),
         ("closed", gettext_lazy("Closed"))]
COUNTED = [key for key, _label in VIEWS if key != "closed"]


@login_required
def workbench(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if not is_staff_user(user):
        raise DjangoPermissionDenied(_("The workbench is for staff."))
    view = request.GET.get("view", "todo")
    if view not in dict(VIEWS):
        view = "todo"
    today = timezone.localdate()
    qs = selectors.workbench(user, view, today)
    qs = selectors.search(qs, request.GET.get("q", ""))
    kind = request.GET.get("kind", "")
    if kind:
        qs = qs.filter(kind=kind)
    unit = as_pk(request.GET.get("unit"))  # within the cases the person sees: another unit's lists nothing
    if unit is not None:
        qs = qs.filter(department_id=unit)
    if request.GET.get("export") == "xlsx":
        return _export(request, qs.select_related("department", "assignee"))
    listed: Any = selectors.as_list(qs)
    if view == "overdue" and unit is not None and not kind and not request.GET.get("q") \
            and unit in selectors.whole_units(user):  # a unit's overdue list (the leader's link): its own SQL
        listed = selectors.overdue_for_department(unit, today)
    page: Page[Case] = Paginator(listed, settings.EDUGOV["PAGE_SIZE"]).get_page(request.GET.get("page"))
    counts = selectors.workbench_counts(user, COUNTED, today)
    details = selectors.due_details(list(page), today)
    for case in page:
        case.due = details.get(case.pk, {})  # type: ignore[attr-defined]
    warnings = []
    if has_role(user, {Role.SYSADMIN}):
        provisional = selectors.provisional_years()
        for year in years_missing_data(today, provisional):
            warnings.append(_("Holiday data for %(year)d is not loaded: deadlines in %(year)d are counted Monday to "
                              "Friday and marked provisional. Load the State Council holiday notice under "
                              "Administration → Calendar days.") % {"year": year})
    reminders = selectors.unread_reminders(user)
    assigner = can_assign(user)
    return render(request, "cases/workbench.html", {
        "assign_form": AssignForm(actor=user) if assigner else None,
        "attention": attention.for_person(user, today),
        "page": page, "view": view, "views": VIEWS, "counts": counts, "today": today,
        "kinds": [(w.kind, w.title) for w in all_workflows()], "warnings": warnings, "reminders": reminders,
        "units": selectors.unit_month(user, today) if has_role(user, {Role.BUREAU_LEADER}) else [],
        "unit": unit, "unit_choices": selectors.unit_choices(user),
    })


def _export(request: AuthedRequest, qs: object) -> HttpResponse:
    cols = [Column("reference", _("Reference")), Column("kind", _("Kind")), Column("title", _("Title")),
            Column("state", _("State")), Column("department", _("Handling unit")), Column("assignee", _("Handler")),
            Column("opened", _("Opened")), Column("due", _("Next due date")), Column("contact", _("Contact"))]
    rows = ([c.reference, c.kind_label, c.title, c.state_label, str(c.department or ""), str(c.assignee or ""),
             timezone.localtime(c.opened_at).strftime("%Y-%m-%d %H:%M"), c.next_due_on, c.masked_contact_phone]
            for c in qs.iterator(chunk_size=2000))  # type: ignore[attr-defined]
    data = write_workbook(cols, rows, title=_("Cases"))
    record(actor=request.user, action="cases.export", after={"query": dict(request.GET.items())})
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="cases-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


def _case_or_403(request: AuthedRequest, pk: int) -> Case:
    case = selectors.access_case(request.user, pk)
    try:
        case.workflow  # noqa: B018 - a kind whose module is not installed cannot be handled here
    except LookupError:
        raise Http404(_("This kind of case is handled by a module that is not installed.")) from None
    return case


@login_required
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _detail_page(request, _case_or_403(request, pk))


def _detail_page(request: AuthedRequest, case: Case, status: int = 200,
                 bound: TransitionForm | None = None) -> HttpResponse:
    wf = case.workflow
    actions_here = [{"step": t, "note_required": "note" in t.required,
                     "fields": [(f, t.field_labels.get(f, f)) for f in t.required if f != "note"],
                     "form": bound if bound is not None and bound.transition.name == t.name else
                     TransitionForm(transition=t, initial={"version": case.version})}
                    for t in wf.available_from(case.state)
                    if can_act_on_case(request.user, case, t.roles, t.assignee_may)]
    if bound is not None and not any(a["form"] is bound for a in actions_here):
        messages.error(request, first_error(bound))  # its step is gone (someone acted first): say why here
    events = list(case.events.select_related("actor"))
    for e in events:
        e.from_label, e.to_label = wf.state_label(e.from_state), wf.state_label(e.to_state)  # type: ignore[attr-defined]
    shown = presentation.of(case.kind)
    return render(request, "cases/detail.html", {
        "case": case, "workflow": wf, "transitions": actions_here, "today": timezone.localdate(),
        "step_url": shown.step_url if shown else "",
        "events": events, "clocks": case.clocks.all(), "party_clocks": party_clocks().get(case.kind, frozenset()),
        "contacts": case.contacts.select_related("by"), "attachments": case.attachments.all(),
        "can_comment": can_comment_on_case(request.user, case),
        "can_claim": case.assignee_id is None and can_claim_case(request.user, case),
        "assign_form": AssignForm(actor=request.user, initial={"cases": [case.pk], "assignee": case.assignee_id})
        if case.is_open and can_assign_case(request.user, case) else None,
        "comment_form": CommentForm(), "contact_form": ContactForm(), "attachment_form": AttachmentForm(),
        "detail_template": shown.detail_template if shown else "",
        "can_view_ledger": can_view_ledger(request.user, case.organisation),
        "issued_documents": subjects.listing("documents", f"case:{case.pk}"),
        **(shown.context_for(case, request.user) if shown else {}),
    }, status=status)


@login_required
@require_POST
def transition(request: AuthedRequest, pk: int, name: str) -> HttpResponse:
    """One step of a case, at the step's own URL; a refusal comes back on the page with the form."""
    case = _case_or_403(request, pk)
    t = case.workflow.transition(name)
    if t is None:
        raise Http404(_("This case has no such step."))
    shown = presentation.of(case.kind)
    if shown is not None and shown.step_url:
        # the domain takes this kind's steps through its own actions (a licence's decision, a
        # penalty's review): the engine's generic step would skip what those actions check
        raise Http404(_("This case's steps are taken on its own page."))
    form = TransitionForm(request.POST, transition=t)
    done, _result = submit(form, lambda d: actions.case_transition(
        actor=request.user, case=case, transition=t.name, data=form.step_data(),
        expected_version=d["version"]))
    if not done:
        return _detail_page(request, case, status=400, bound=form)
    messages.success(request, _("Done: %(step)s.") % {"step": t.label})
    return redirect(case)


def _back(request: AuthedRequest, target: str) -> HttpResponse:
    """Back to the list or the case the form was on: a path of this site only (anything else, the
    workbench)."""
    from django.http import HttpResponseRedirect
    from django.utils.http import url_has_allowed_host_and_scheme

    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(target)
    return redirect("cases:workbench")


def _each(request: AuthedRequest, form: AssignForm | ClaimForm, act: object) -> HttpResponse:
    """Apply `act` to every ticked case, all or none: a refusal of any one writes nothing and names
    the case and the reason."""
    from django.db import transaction

    if not form.is_valid():
        messages.error(request, first_error(form))
        return _back(request, form.cleaned_data.get("next", ""))
    refused: list[str] = []
    with transaction.atomic():
        for case in form.cleaned_data["cases"]:
            try:
                act(case)  # type: ignore[operator]
            except EdugovError as exc:
                refused.append(f"{case.reference}：{exc.message}")
        if refused:
            transaction.set_rollback(True)
    if refused:
        messages.error(request, _("Nothing was changed. %(reasons)s") % {"reasons": "；".join(refused)})
    else:
        messages.success(request, _("Done for %(n)d cases.") % {"n": len(form.cleaned_data["cases"])})
    return _back(request, form.cleaned_data["next"])


@login_required
@require_POST
def assign(request: AuthedRequest) -> HttpResponse:
    """Give the ticked cases to a handler, or back to their unit's queue (派单/改派), recorded on
    each case's timeline and in the ledger."""
    form = AssignForm(request.POST, actor=request.user)
    return _each(request, form, lambda case: actions.case_assign(
        actor=request.user, case=case, department=None, assignee=form.cleaned_data["assignee"],
        reason=form.cleaned_data["reason"]))


@login_required
@require_POST
def claim(request: AuthedRequest) -> HttpResponse:
    """Take the ticked cases from the unit's queue (认领)."""
    form = ClaimForm(request.POST, actor=request.user)
    return _each(request, form, lambda case: actions.case_claim(actor=request.user, case=case))


@login_required
@require_POST
def comment(request: AuthedRequest, pk: int) -> HttpResponse:
    case = _case_or_403(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            actions.case_comment(actor=request.user, case=case, text=form.cleaned_data["text"])
        except EdugovError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("The comment is empty."))
    return redirect(case)


@login_required
@require_POST
def contact(request: AuthedRequest, pk: int) -> HttpResponse:
    case = _case_or_403(request, pk)
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            actions.case_log_contact(actor=request.user, case=case, **form.cleaned_data)
            messages.success(request, _("Contact logged."))
        except EdugovError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Please choose the channel and record the outcome."))
    return redirect(case)


@login_required
@require_POST
def attach(request: AuthedRequest, pk: int) -> HttpResponse:
    case = _case_or_403(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.case_attach(actor=request.user, case=case, upload=form.cleaned_data["file"])
            messages.success(request, _("File added."))
        except EdugovError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Please choose a file."))
    return redirect(case)


@login_required
def attachment_download(request: AuthedRequest, pk: int, att_pk: int) -> HttpResponse:
    case = _case_or_403(request, pk)
    att = selectors.access_attachment(request.user, case, att_pk)
    thumb = request.GET.get("thumb") == "1" and att.thumbnail
    fh = (att.thumbnail if thumb else att.file).open("rb")
    response = HttpResponse(fh.read(), content_type="image/jpeg" if thumb else att.content_type)
    fh.close()
    if not thumb:
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(att.name)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


@login_required
@require_POST
def reminder_read(request: AuthedRequest, pk: int) -> HttpResponse:
    actions.reminder_read(actor=request.user, pk=pk)
    return redirect("cases:workbench")


@login_required
def workflows(request: AuthedRequest) -> HttpResponse:
    if not is_staff_user(request.user):
        raise DjangoPermissionDenied
    units = {"working": _("working days"), "natural": _("days"), "months": _("months")}
    shown = [{"title": w.title, "mermaid": w.mermaid(),
              "steps": [{"label": t.label, "source": "、".join(w.state_label(s) for s in t.source),
                         "target": w.state_label(t.target),
                         "clocks": [f"{c.label}（{c.amount} {units.get(c.unit, c.unit)}）" for c in t.start_clocks]}
                        for t in w.transitions]} for w in all_workflows()]
    return render(request, "cases/workflows.html", {"workflows": shown})
