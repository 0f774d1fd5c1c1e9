"""Service pages: the public guide with search, online applications and the applicant's own page,
published licensing decisions, counter rating; for staff the catalogue (edit, publish, XLSX),
counter applications, the case steps, commitment verification samples and the figures."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from edugov.accounts.decorators import staff_required
from edugov.accounts.http import AuthedRequest
from edugov.accounts.models import Organisation, User
from edugov.accounts.selectors import bureau_of
from edugov.audit.ledger import record
from edugov.cases.models import Case
from edugov.cases.permissions import can_act_on_case
from edugov.documents.remedies import remedy_sentence
from edugov.documents.selectors import documents_of
from edugov.kernel import pages, rules
from edugov.kernel.cache import cached_for_the_public
from edugov.kernel.calendar import month_start
from edugov.kernel.forms import first_error, submit
from edugov.kernel.ratelimit import limit_posts
from edugov.kernel.xlsx import Column, write_workbook
from edugov.metrics.registry import Period

from . import actions, catalogue, letters, selectors
from .forms import (
    ApplicationForm,
    CounterVisitForm,
    DrawSampleForm,
    ImportForm,
    ItemForm,
    MaterialFormSet,
    PublishForm,
    RateForm,
    RateVisitForm,
    StepForm,
    SupplyForm,
    VerificationForm,
    WithdrawForm,
    WithdrawItemForm,
)
from .metrics import table
from .models import Channel, ItemType, MaterialForm, ServiceItem, StatutoryUnit
from .permissions import (
    can_edit_catalogue,
    can_edit_item,
    can_publish_item,
    can_read_services,
    can_take_counter,
    can_verify,
)
from .workflow import COMPLETED, SERVICE


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, settings.EDUGOV["PAGE_SIZE"]).get_page(request.GET.get("page"))


def _bureau(request: AuthedRequest, allowed: Any = can_read_services) -> Organisation:
    bureau = bureau_of(request.user, lambda b: allowed(request.user, b))
    if bureau is None:
        raise PermissionDenied(_("These pages are for the bureau's service staff."))
    return bureau


# -- public ------------------------------------------------------------------------------------

def guide_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:60]
    kind = request.GET.get("type", "")
    items = selectors.published_guides(q, kind)
    return render(request, "services/guide_list.html", {"page": _page(request, items), "q": q,
                                                        "type": kind, "types": ItemType.choices})


def _faq(text: str) -> list[tuple[str, str]]:
    out = []
    for block in [b.strip() for b in (text or "").split("\n\n") if b.strip()]:
        question, _sep, answer = block.partition("\n")
        out.append((question.strip(), answer.strip()))
    return out


def _flow(snap: dict[str, Any]) -> list[str]:
    """The flowchart's steps, from the item's workflow (the main path) and its own limits."""
    wf = SERVICE
    on_spot = snap["statutory_days"] == 0
    steps = [_("Apply online or at the counter"), str(wf.transition("accept").label)]  # type: ignore[union-attr]
    steps.append(_("If something is missing: one notice listing all of it; the clock waits for you"))
    unit = snap.get("statutory_unit", StatutoryUnit.WORKING_DAYS)
    steps.append(_("Review and decision on the spot") if on_spot else
                 _("Review and decision within %(n)d working days (promised: %(p)d)")
                 % {"n": snap["statutory_days"], "p": snap["promised_days"]} if unit == StatutoryUnit.WORKING_DAYS else
                 _("Review and decision within %(n)s (promised: %(p)d working days)")
                 % {"n": f"{snap['statutory_days']} {StatutoryUnit(unit).label}", "p": snap["promised_days"]})
    steps.append(_("Certificate or written decision delivered; licensing decisions published"))
    steps.append(_("Rate the service"))
    return steps


@cached_for_the_public(600)  # until the catalogue changes (catalogue.item_publish / item_withdraw)
def guide(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.access_published_item(pk)
    snap = item.current.snapshot  # type: ignore[union-attr]
    return render(request, "services/guide.html", {
        "item": item, "snap": snap, "version": item.current, "faq": _faq(snap.get("faq", "")), "flow": _flow(snap),
        "type_label": ItemType(snap["item_type"]).label, "forms": dict(MaterialForm.choices),
        "versions": item.versions.all()[:10]})


@login_required(login_url="accounts:phone_login")
@require_http_methods(["GET", "POST"])
def apply(request: AuthedRequest, pk: int) -> HttpResponse:
    item = selectors.access_published_item(pk)
    return _application_form(request, item, Channel.ONLINE)


def _application_form(request: AuthedRequest, item: ServiceItem, channel: str) -> HttpResponse:
    counter = channel == Channel.COUNTER
    version = item.current
    assert version is not None  # access_published_item and counter_items give published items only
    form = ApplicationForm(request.POST or None, request.FILES or None, version=version, counter=counter)
    committable = [m["name"] for m in version.snapshot["materials"] if m["commitment_allowed"]]
    if request.method == "POST":
        done, app = submit(form, lambda d: actions.application_submit(
            actor=request.user, item=item, channel=channel, applicant_kind=d["applicant_kind"],
            name=d["name"], phone=d["phone"], id_number=d["id_number"], id_valid_until=d["id_valid_until"],
            institution_name=d["institution_name"], credit_code=d["credit_code"], uploads=form.uploads(),
            received=form.material_ids("recv") if counter else (), commit=form.material_ids("commit"),
            signed=bool(d.get("signed")), idempotency_key=d["idempotency_key"]))
        if done:
            messages.success(request, _("Application %(ref)s received.") % {"ref": app.case.reference})
            return redirect(app.case if counter else app)
    return render(request, "services/apply.html", {
        "item": item, "form": form, "counter": counter,
        "commitment": actions.commitment_text(version.snapshot, committable, item.organisation)
        if committable else ""},
        status=400 if form.is_bound else 200)


@login_required(login_url="accounts:phone_login")
@require_GET
def mine(request: AuthedRequest, pk: int) -> HttpResponse:
    """The applicant's own page: progress, what is missing, supply it, withdraw, rate."""
    return _mine_page(request, selectors.access_own_application(request.user, pk))


def _mine_page(request: AuthedRequest, app: Any, status: int = 200, **bound: Any) -> HttpResponse:
    app.refresh_from_db()
    events = app.case.events.filter(public=True)
    wf = app.case.workflow
    for e in events:
        e.to_label = wf.state_label(e.to_state)
    outstanding = [line for line in app.materials.all() if line.outstanding]
    return render(request, "services/mine.html", {
        "app": app, "case": app.case, "events": events, "lines": app.materials.all(), "outstanding": outstanding,
        "rating": getattr(app, "rating", None), "can_rate": app.case.state in COMPLETED, "clocks": app.case.clocks.all(),
        "supply_form": bound.get("supply_form") or SupplyForm(lines=outstanding, prefix="supply"),
        "rate_form": bound.get("rate_form") or RateForm(prefix="rate"),
        "withdraw_form": bound.get("withdraw_form") or WithdrawForm(prefix="withdraw"),
        "issued_documents": documents_of(letters.subject(app))}, status=status)


def _own_write(request: AuthedRequest, pk: int, name: str, make: Any, act: Any, done_message: str) -> HttpResponse:
    app = selectors.access_own_application(request.user, pk)
    form = make(app)
    done, _result = submit(form, lambda d: act(app, form, d))
    if not done:
        return _mine_page(request, app, status=400, **{f"{name}_form": form})
    messages.success(request, done_message)
    return redirect(app)


@login_required(login_url="accounts:phone_login")
@require_POST
def mine_supply(request: AuthedRequest, pk: int) -> HttpResponse:
    return _own_write(
        request, pk, "supply",
        lambda app: SupplyForm(request.POST, request.FILES, prefix="supply",
                               lines=[line for line in app.materials.all() if line.outstanding]),
        lambda app, form, d: actions.application_supply(actor=request.user, application=app, uploads=form.uploads()),
        _("Thank you: the materials were received and the time limit runs again."))


@login_required(login_url="accounts:phone_login")
@require_POST
def mine_rate(request: AuthedRequest, pk: int) -> HttpResponse:
    return _own_write(
        request, pk, "rate", lambda app: RateForm(request.POST, prefix="rate"),
        lambda app, form, d: actions.application_rate(actor=request.user, application=app, level=d["level"],
                                          clerk_level=d["clerk_level"] or None, comment=d["comment"]),
        _("Thank you for your rating."))


@login_required(login_url="accounts:phone_login")
@require_POST
def mine_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    return _own_write(
        request, pk, "withdraw", lambda app: WithdrawForm(request.POST, prefix="withdraw"),
        lambda app, form, d: actions.application_withdraw(actor=request.user, application=app),
        _("Your application was withdrawn."))


def decisions(request: HttpRequest) -> HttpResponse:
    """Published licensing decisions (行政许可结果公开)."""
    q = request.GET.get("q", "").strip()[:60]
    qs = selectors.published_decisions(q)
    return render(request, "services/decisions.html", {"page": _page(request, qs), "q": q})


@require_http_methods(["GET", "POST"])
@limit_posts("lookup")
def rate_visit(request: HttpRequest) -> HttpResponse:
    """一次一评: the visitor rates a counter visit with the code on the receipt (no account needed)."""
    form = RateVisitForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    done = False
    if request.method == "POST":
        done, _rating = submit(form, lambda d: actions.visit_rate(**d))
    return render(request, "services/rate_visit.html", {"form": form, "done": done},
                  status=400 if form.is_bound and not done else 200)


# -- staff -------------------------------------------------------------------------------------

@staff_required
@require_GET
def catalogue_view(request: AuthedRequest) -> HttpResponse:
    return _catalogue_page(request)


def _catalogue_page(request: AuthedRequest, import_form: forms.Form | None = None, status: int = 200) -> HttpResponse:
    bureau = _bureau(request)
    if request.GET.get("export") == "xlsx":
        record(actor=request.user, action="service_item.export", target=bureau, organisation=bureau)
        response = HttpResponse(catalogue.export_catalogue(bureau),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="service-catalogue-{timezone.localdate():%Y%m%d}.xlsx"'
        return response
    q = request.GET.get("q", "").strip()[:60]
    items = selectors.catalogue_of(bureau, q)
    return render(request, "services/catalogue.html", {
        "bureau": bureau, "page": _page(request, items), "q": q, "import_form": import_form or ImportForm(prefix="import"),
        "can_edit": can_edit_catalogue(request.user, bureau)}, status=status)


@staff_required
@require_POST
def catalogue_import(request: AuthedRequest) -> HttpResponse:
    bureau = _bureau(request)
    return pages.write(
        request, ImportForm(request.POST, request.FILES, prefix="import"),
        lambda d: catalogue.import_catalogue(actor=request.user, bureau=bureau, data=d["file"].read()),
        refused=lambda form: _catalogue_page(request, form, status=400), then="services:catalogue",
        said=lambda counts: _("Imported: %(c)d new, %(u)d updated. Publish each item to show it to the public.")
        % {"c": counts["created"], "u": counts["updated"]})


def _departments(bureau: Organisation) -> list[tuple[str, str]]:
    return selectors.departments_of(bureau)


@staff_required
@require_http_methods(["GET", "POST"])
def item_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    """A catalogue item's working copy: its fields and its materials (a row set), saved together."""
    bureau = _bureau(request, can_edit_catalogue)
    item = selectors.access_catalogue_item(request.user, pk) if pk else None
    if item is not None and not can_edit_item(request.user, item):
        raise PermissionDenied(_("Only the accepting department edits this item."))
    initial: dict[str, Any] = {}
    materials: list[dict[str, Any]] = []
    if item is not None:
        initial = {f: getattr(item, f) for f in catalogue.FIELDS if f != "department"}
        initial.update(department=item.department.code, edits=item.edits)
        materials = [dict(m) for m in item.materials.values("id", "name", "form", "copies", "required",
                                                            "commitment_allowed", "note")]
    posted = request.method == "POST"  # an empty POST is still a submission (bound), never a blank form
    form = ItemForm(request.POST if posted else None, initial=initial, departments=_departments(bureau))
    rows = MaterialFormSet(request.POST if posted else None, initial=materials, prefix="mat")
    if request.method == "POST":
        if not rows.is_valid():
            form.is_valid()
            form.add_error(None, _("Please check the materials."))
        else:
            listed = [r for r in rows.cleaned_data if r]
            done, saved = submit(form, lambda d: catalogue.item_save(
                actor=request.user, bureau=bureau, values={k: v for k, v in d.items() if k != "edits"},
                materials=listed, item=item, expected_edits=d.get("edits") if item else None))
            if done:
                messages.success(request, _("Saved. The public guide changes when the item is published."))
                return redirect("services:catalogue_item", pk=saved.pk)
    return render(request, "services/item_edit.html", {"form": form, "item": item, "rows": rows},
                  status=400 if form.is_bound else 200)


@staff_required
@require_GET
def catalogue_item(request: AuthedRequest, pk: int) -> HttpResponse:
    """An item as staff see it: the working copy, the versions, publish or withdraw."""
    _bureau(request)  # the page is for the bureau's service staff
    return _catalogue_item_page(request, selectors.access_catalogue_item(request.user, pk))


def _catalogue_item_page(request: AuthedRequest, item: ServiceItem, status: int = 200, **bound: Any) -> HttpResponse:
    return render(request, "services/catalogue_item.html", {
        "item": item, "materials": item.materials.all(), "versions": item.versions.all(),
        "publish_form": bound.get("publish_form") or PublishForm(prefix="publish"),
        "withdraw_form": bound.get("withdraw_form") or WithdrawItemForm(prefix="withdraw"),
        "can_edit": can_edit_item(request.user, item), "can_publish": can_publish_item(request.user, item)},
        status=status)


def _item_write(request: AuthedRequest, pk: int, name: str, form: forms.Form, act: Any, done: Any) -> HttpResponse:
    _bureau(request)
    item = selectors.access_catalogue_item(request.user, pk)
    ok, result = submit(form, lambda d: act(item, d))
    if not ok:
        return _catalogue_item_page(request, item, status=400, **{f"{name}_form": form})
    messages.success(request, done(result))
    return redirect("services:catalogue_item", pk=item.pk)


@staff_required
@require_POST
def item_publish(request: AuthedRequest, pk: int) -> HttpResponse:
    return _item_write(request, pk, "publish", PublishForm(request.POST, prefix="publish"),
                       lambda item, d: catalogue.item_publish(actor=request.user, item=item, note=d["note"]),
                       lambda v: _("Version %(n)d is now on the public guide.") % {"n": v.number})


@staff_required
@require_POST
def item_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    return _item_write(request, pk, "withdraw", WithdrawItemForm(request.POST, prefix="withdraw"),
                       lambda item, d: catalogue.item_withdraw(actor=request.user, item=item, reason=d["reason"]),
                       lambda _item: _("The item was withdrawn from the public guide."))


@staff_required
@require_GET
def counter(request: AuthedRequest) -> HttpResponse:
    """The window: choose the item, then record the application (paper seen or scanned), or record
    a visit for the visitor to rate."""
    bureau = _bureau(request, can_take_counter)
    items = selectors.counter_items(bureau)
    chosen = request.GET.get("item")
    if chosen:
        return redirect("services:counter_apply", pk=selectors.access_counter_item(bureau, chosen).pk)
    return render(request, "services/counter.html", {"items": items})


@staff_required
@require_http_methods(["GET", "POST"])
def counter_apply(request: AuthedRequest, pk: int) -> HttpResponse:
    item = selectors.access_counter_item(_bureau(request, can_take_counter), pk)
    return _application_form(request, item, Channel.COUNTER)


@staff_required
@require_POST
def counter_visit(request: AuthedRequest, pk: int) -> HttpResponse:
    item = selectors.access_counter_item(_bureau(request, can_take_counter), pk)
    form = CounterVisitForm(request.POST)
    done, visit = submit(form, lambda d: actions.visit_record(actor=request.user, item=item))
    if not done:
        messages.error(request, first_error(form))
        return redirect("services:counter")
    return render(request, "services/visit_receipt.html", {"visit": visit})


@staff_required
@require_GET
def receipt(request: AuthedRequest, pk: int) -> HttpResponse:
    """受理回执: what the counter prints for a walk-in applicant: the 文号, the materials received,
    the day the answer is due and how to follow it."""
    app = selectors.access_application_case(request.user, pk)
    clocks = [c for c in app.case.clocks.all() if c.stopped_on is None]
    return render(request, "services/receipt.html", {
        "app": app, "case": app.case, "lines": app.materials.all(), "clocks": clocks,
        "bureau": app.item.organisation, "clerk": request.user})


@staff_required
@require_POST
def step(request: AuthedRequest, pk: int, name: str) -> HttpResponse:
    """One step of a service application, named by its URL, each through its action (and so
    through the engine)."""
    app = selectors.access_application_case(request.user, pk)
    user = request.user
    t = SERVICE.transition(name)
    if name not in STEP_ACTS or (t is None and name not in ("deliver", "extend")):
        raise Http404
    if t is not None and not can_act_on_case(user, app.case, t.roles, t.assignee_may) and name != "supply":
        raise PermissionDenied(_("You may not do this step on this case."))
    form = StepForm(request.POST, material_ids=[line.material_id for line in app.materials.all()])
    if t is not None and t.confirm is not None and not (form.is_valid() and form.cleaned_data["confirmed"]):
        messages.error(request, _("Please tick the confirmation box for “%(step)s”.") % {"step": t.label})
        return redirect(app.case)
    done, _app = submit(form, lambda d: STEP_ACTS[name](user, app, form, d))
    if not done:
        messages.error(request, first_error(form))
    else:
        done_label = t.label if t is not None else (_("Decision delivered") if name == "deliver" else
                                                    _("Time limit extended"))
        messages.success(request, _("Done: %(step)s.") % {"step": done_label})
    return redirect(app.case)


def _engine_step(name: str) -> Any:
    def act(user: User, app: Any, form: StepForm, d: dict[str, Any]) -> Any:
        from edugov.cases.actions import case_transition

        return case_transition(actor=user, case=app.case, transition=name, expected_version=d["version"],
                               data={"reason": d["reason"], "note": d["note"]})
    return act


def _decide(approve: bool) -> Any:
    def act(user: User, app: Any, form: StepForm, d: dict[str, Any]) -> Any:
        return actions.application_decide(actor=user, application=app, approve=approve, reason=d["reason"],
                              certificate_number=d["certificate_number"], valid_from=d["valid_from"],
                              valid_until=d["valid_until"], late_reason=d["late_reason"], expected_version=d["version"])
    return act


# Each step's action, by the name in its URL.
STEP_ACTS: dict[str, Any] = {
    "accept": lambda user, app, form, d: actions.application_accept(actor=user, application=app, expected_version=d["version"]),
    "reject": lambda user, app, form, d: actions.application_reject(actor=user, application=app, reason=d["reason"],
                                                        expected_version=d["version"]),
    "notify": lambda user, app, form, d: actions.application_notify_missing(
        actor=user, application=app, problems=form.problems(), missing=d["material"], expected_version=d["version"]),
    "supply": lambda user, app, form, d: actions.application_supply(actor=user, application=app, received=d["received"]),
    "approve": _decide(True), "deny": _decide(False),
    "deliver": lambda user, app, form, d: actions.application_deliver(actor=user, application=app, method=d["method"]),
    "extend": lambda user, app, form, d: actions.application_extend(actor=user, application=app, reason=d["reason"]),
    "hearing": _engine_step("hearing"), "expert": _engine_step("expert"), "resume": _engine_step("resume"),
    "offer_hearing": _engine_step("offer_hearing"),
    "revoke": lambda user, app, form, d: actions.application_revoke(actor=user, application=app, reason=d["reason"],
                                                                    expected_version=d["version"]),
}


def detail_context(case: Case, viewer: User) -> dict[str, Any]:
    """What the case page shows of an application, and the step forms this viewer may use."""
    app = selectors.application_of_case(case)
    allowed = {t.name for t in SERVICE.available_from(case.state) if can_act_on_case(viewer, case, t.roles,
                                                                                    t.assignee_may)}
    if case.state == "supplementing" and can_take_counter(viewer, case.organisation):
        allowed.add("supply")
    statutory = case.clocks.filter(name="statutory").first()
    today = timezone.localdate()
    return {"app": app, "lines": app.materials.select_related("attachment"),
            "commitment": getattr(app, "commitment", None), "rating": getattr(app, "rating", None),
            "verification": getattr(getattr(app, "commitment", None), "verification", None),
            "allowed": allowed, "late": statutory is not None and statutory.running and statutory.due_on < today,
            "can_deliver": case.state in ("approved", "denied", "rejected") and app.delivered_at is None and
            can_act_on_case(viewer, case, {"window_clerk", "department_staff", "department_head"}, True),
            "remedies": remedy_sentence(case.organisation),
            "can_extend": app.item.is_licence and statutory is not None and statutory.running
            and not statutory.extended_by and can_act_on_case(viewer, case, {"department_head", "bureau_leader"}, False),
            "extension_days": rules.get("licensing.decision_extension").count,
            "hearing_right": case.clocks.filter(name="hearing_request", stopped_on__isnull=True,
                                                due_on__gte=today).first()}


@staff_required
@require_GET
def verification(request: AuthedRequest) -> HttpResponse:
    return _verification_page(request)


def _verification_page(request: AuthedRequest, status: int = 200, draw_form: DrawSampleForm | None = None,
                       failed: VerificationForm | None = None) -> HttpResponse:
    bureau = _bureau(request, can_verify)
    pending, done = selectors.verifications_of(bureau)
    rows = [(v, VerificationForm(auto_id=f"v{v.pk}-%s", initial={"verification": v.pk})) for v in pending]
    if failed is not None:  # the row that was refused shows its errors and what was chosen
        failed_pk = str(failed.data.get("verification"))
        for n, (v, _form) in enumerate(rows):
            if str(v.pk) == failed_pk:
                failed.auto_id = f"v{v.pk}-%s"
                rows[n] = (v, failed)
    last_month = month_start(timezone.localdate(), -1)
    return render(request, "services/verification.html", {"waiting": selectors.waiting_samples(bureau),
        "rows": rows, "page": _page(request, done), "bureau": bureau,
        "draw_form": draw_form or DrawSampleForm(prefix="draw", initial={"month": last_month})}, status=status)


@staff_required
@require_POST
def verification_draw(request: AuthedRequest) -> HttpResponse:
    bureau = _bureau(request, can_verify)
    form = DrawSampleForm(request.POST, prefix="draw")

    def step(d: dict[str, Any]) -> Any:  # the commitment first; the draw, later, over what it froze
        year, month = d["month"].year, d["month"].month
        if not selectors.sample_committed(bureau, year, month):
            return actions.verification_sample_commit(actor=request.user, bureau=bureau, year=year, month=month)
        return actions.verification_sample_draw(actor=request.user, bureau=bureau, year=year, month=month,
                                                public_value=d.get("public_value", ""))

    done, draw = submit(form, step)
    if not done:
        return _verification_page(request, status=400, draw_form=form)
    if draw.state == "committed":
        messages.success(request, _("The sample's commitment %(id)s is published over %(n)d commitments; draw it "
                                    "once the public value you name is announced.")
                         % {"id": draw.draw_id, "n": len(draw.candidates)})
    else:
        messages.success(request, _("Sample %(id)s drawn: %(k)d of %(n)d commitments.")
                         % {"id": draw.draw_id, "k": len(draw.selected or []), "n": len(draw.candidates)})
    return redirect("services:verification")


@staff_required
@require_POST
def verification_record(request: AuthedRequest) -> HttpResponse:
    bureau = _bureau(request, can_verify)
    form = VerificationForm(request.POST)
    done, _v = submit(form, lambda d: actions.verification_record(
        actor=request.user, verification=selectors.resolve_verification(bureau, d["verification"]),
        method=d["method"], truthful=d["truthful"] == "yes", note=d["note"]))
    if not done:
        return _verification_page(request, status=400, failed=form)
    messages.success(request, _("Verification recorded."))
    return redirect("services:verification")


@staff_required
def stats(request: AuthedRequest) -> HttpResponse:
    bureau = _bureau(request)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    if not 2000 <= year <= today.year + 1:
        year = today.year
    by = request.GET.get("by", "item")
    by = by if by in ("item", "department", "clerk") else "item"
    rows = table(Period.year(year), bureau, by)
    if request.GET.get("export") == "xlsx":
        cols = [Column("label", {"item": _("Service item"), "department": _("Department"), "clerk": _("Clerk")}[by]),
                Column("received", _("Received")), Column("completed", _("Completed")),
                Column("completion_rate", _("Completion rate")), Column("on_time_rate", _("On-time rate")),
                Column("active_rate", _("Active rating rate")), Column("good_rate", _("Good-rating rate"))]

        def pct(x: float | None) -> str:
            return "—" if x is None else f"{100 * x:.1f}%"
        data = write_workbook(cols, ([r["label"], r["received"], r["completed"], pct(r["completion_rate"]),
                                      pct(r["on_time_rate"]), pct(r["active_rate"]), pct(r["good_rate"])]
                                     for r in rows), title=_("Service figures"))
        record(actor=request.user, action="services.export_figures", target=bureau, organisation=bureau,
               after={"year": year, "by": by})
        response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="service-figures-{year}-{by}.xlsx"'
        return response
    return render(request, "services/stats.html", {"rows": rows, "year": year, "by": by, "bureau": bureau,
                                                   "years": range(today.year, today.year - 5, -1)})



# -- the business environment (issue 31) ---------------------------------------------------------

BUSINESS_FIGURES = ["business_env.outreach", "business_env.reached.private_schools", "business_env.reached.kindergartens",
                    "business_env.reached.training_institutions", "business_env.trainings", "business_env.trainees",
                    "business_env.trainees.founders", "business_env.trainees.teachers", "business_env.trainees.nursery",
                    "business_env.trainees.guards"]


@staff_required
@require_GET
def business(request: AuthedRequest) -> HttpResponse:
    return _business_page(request)


def _business_page(request: AuthedRequest, bound: dict[str, forms.Form] | None = None,
                   status: int = 200) -> HttpResponse:
    """Policies sent to private institutions and free training for their staff, with the year's figures."""
    from edugov.kernel import query
    from edugov.metrics import registry

    from .forms import FreeTrainingForm, OutreachForm
    from .permissions import can_keep_business_env

    bureau = _bureau(request, can_keep_business_env)
    year = query.year(request)
    outreach = selectors.outreach_of(bureau, year)
    trainings = selectors.trainings_of(bureau, year)
    if request.GET.get("export") == "xlsx":
        cols = [Column("date", _("Date")), Column("what", _("What was sent")), Column("area", _("Policy area")),
                Column("how", _("How")), Column("schools", _("Private schools and kindergartens")),
                Column("institutions", _("Training institutions"))]
        rows = ([str(o.sent_on), o.title, o.get_topic_display(), o.channel, "、".join(s.name for s in o.schools.all()),
                 "、".join(i.name for i in o.institutions.all())]
                for o in outreach.prefetch_related("schools", "institutions")[:10000])
        response = HttpResponse(write_workbook(cols, rows, title=f"outreach-{year}"),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="business-outreach-{year}.xlsx"'
        return response
    period = Period.year(year)
    figures = [(registry.get(k).title, registry.compute(registry.get(k), period, bureau).display)
               for k in BUSINESS_FIGURES]
    today = timezone.localdate()
    made = {"outreach": OutreachForm(actor=request.user, prefix="outreach", initial={"sent_on": today}),
            "training": FreeTrainingForm(prefix="training", initial={"held_on": today, "hours": 3}), **(bound or {})}
    size = settings.EDUGOV["PAGE_SIZE"]
    return render(request, "services/business.html", {
        "year": year, "figures": figures, "forms": made,
        "outreach": Paginator(outreach, size).get_page(request.GET.get("page")),
        "trainings": Paginator(trainings, size).get_page(request.GET.get("tpage"))}, status=status)


@staff_required
@require_POST
def business_add(request: AuthedRequest, kind: str) -> HttpResponse:
    """A policy sent (`outreach`) or a free training session (`training`)."""
    from django.urls import reverse

    from .forms import FreeTrainingForm, OutreachForm
    from .permissions import can_keep_business_env

    if kind not in ("outreach", "training"):
        raise Http404
    bureau = _bureau(request, can_keep_business_env)
    form: forms.Form
    if kind == "outreach":
        form = OutreachForm(request.POST, actor=request.user, prefix="outreach")
        done, _item = submit(form, lambda d: actions.outreach_record(actor=request.user, organisation=bureau, **d))
    else:
        form = FreeTrainingForm(request.POST, prefix="training")
        done, _item = submit(form, lambda d: actions.training_record(actor=request.user, organisation=bureau, **d))
    if not done:
        return _business_page(request, {kind: form}, status=400)
    messages.success(request, _("Recorded."))
    return redirect(reverse("services:business"))
