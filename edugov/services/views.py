"""Service pages: the public guide with search, online applications and the applicant's own page,
published licensing decisions, counter rating; for staff the catalogue (edit, publish, XLSX),
counter applications, the case steps, commitment verification samples and the figures."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from edugov.accounts.decorators import staff_required
from edugov.accounts.models import Organisation, User
from edugov.accounts.selectors import bureau_of
from edugov.audit.ledger import record
from edugov.cases.models import Case
from edugov.cases.permissions import can_act_on_case
from edugov.kernel.cache import cached_for_the_public
from edugov.kernel.calendar import month_start
from edugov.kernel.errors import EdugovError, ValidationFailed
from edugov.kernel.ratelimit import limit_posts
from edugov.kernel.validators import as_date, as_pk
from edugov.kernel.xlsx import Column, write_workbook
from edugov.metrics.registry import Period

from . import actions, catalogue, selectors
from .forms import RATING_CHOICES, ApplicationForm, ItemForm
from .metrics import table
from .models import (
    Channel,
    ItemType,
    MaterialForm,
    ServiceItem,
    VerificationMethod,
)
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


def _bureau(request: HttpRequest, allowed: Any = can_read_services) -> Organisation:
    bureau = bureau_of(request.user, lambda b: allowed(request.user, b))  # type: ignore[arg-type]
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
    steps.append(_("Review and decision on the spot") if on_spot else
                 _("Review and decision within %(n)d working days (promised: %(p)d)")
                 % {"n": snap["statutory_days"], "p": snap["promised_days"]})
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
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.access_published_item(pk)
    return _application_form(request, item, Channel.ONLINE)


def _application_form(request: HttpRequest, item: ServiceItem, channel: str) -> HttpResponse:
    counter = channel == Channel.COUNTER
    form = ApplicationForm(request.POST or None, request.FILES or None, version=item.current, counter=counter)
    committable = [m["name"] for m in item.current.snapshot["materials"] if m["commitment_allowed"]]  # type: ignore[union-attr]
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        uploads = {m["id"]: request.FILES[f"m_{m['id']}"] for m in item.current.snapshot["materials"]  # type: ignore[union-attr]
                   if f"m_{m['id']}" in request.FILES}
        try:
            app = actions.application_submit(
                actor=request.user, item=item, channel=channel, applicant_kind=d["applicant_kind"],  # type: ignore[arg-type]
                name=d["name"], phone=d["phone"], id_number=d["id_number"], id_valid_until=d["id_valid_until"],
                institution_name=d["institution_name"], credit_code=d["credit_code"], uploads=uploads,
                received=form.material_ids("recv") if counter else (), commit=form.material_ids("commit"),
                signed=bool(d.get("signed")), idempotency_key=d["idempotency_key"])
        except EdugovError as exc:
            field = exc.field if exc.field in form.fields else None
            form.add_error(field, exc.message)
        else:
            messages.success(request, _("Application %(ref)s received.") % {"ref": app.case.reference})
            return redirect(app.case if counter else app)
    return render(request, "services/apply.html", {
        "item": item, "form": form, "counter": counter,
        "commitment": actions.commitment_text(item.current.snapshot, committable) if committable else ""})  # type: ignore[union-attr]


@login_required(login_url="accounts:phone_login")
@require_http_methods(["GET", "POST"])
def mine(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant's own page: progress, what is missing, supply it, withdraw, rate."""
    app = selectors.access_own_application(request.user, pk)  # type: ignore[arg-type]
    if request.method == "POST":
        what = request.POST.get("what", "")
        try:
            if what == "supply":
                uploads = {line.material_id: request.FILES[f"m_{line.material_id}"] for line in app.materials.all()
                           if f"m_{line.material_id}" in request.FILES}
                actions.supply(actor=request.user, application=app, uploads=uploads)  # type: ignore[arg-type]
                messages.success(request, _("Thank you: the materials were received and the time limit runs again."))
            elif what == "rate":
                actions.rate(actor=request.user, application=app, level=request.POST.get("level"),  # type: ignore[arg-type]
                             clerk_level=request.POST.get("clerk_level") or None,
                             comment=request.POST.get("comment", ""))
                messages.success(request, _("Thank you for your rating."))
            elif what == "withdraw" and request.POST.get("confirmed") == "on":
                actions.withdraw(actor=request.user, application=app)  # type: ignore[arg-type]
                messages.success(request, _("Your application was withdrawn."))
            elif what == "withdraw":
                messages.error(request, _("Please tick the box to confirm that you withdraw the application."))
        except EdugovError as exc:
            messages.error(request, exc.message)
        return redirect(app)
    app.refresh_from_db()
    events = app.case.events.filter(public=True)
    wf = app.case.workflow
    for e in events:
        e.to_label = wf.state_label(e.to_state)  # type: ignore[attr-defined]
    return render(request, "services/mine.html", {
        "app": app, "case": app.case, "events": events, "lines": app.materials.all(),
        "outstanding": [line for line in app.materials.all() if line.outstanding],
        "rating": getattr(app, "rating", None), "can_rate": app.case.state in COMPLETED,
        "levels": RATING_CHOICES, "clocks": app.case.clocks.all()})


def decisions(request: HttpRequest) -> HttpResponse:
    """Published licensing decisions (行政许可结果公开)."""
    q = request.GET.get("q", "").strip()[:60]
    qs = selectors.published_decisions(q)
    return render(request, "services/decisions.html", {"page": _page(request, qs), "q": q})


@require_http_methods(["GET", "POST"])
@limit_posts("lookup")
def rate_visit(request: HttpRequest) -> HttpResponse:
    """一次一评: the visitor rates a counter visit with the code on the receipt (no account needed)."""
    done = False
    if request.method == "POST":
        try:
            actions.rate_visit(code=request.POST.get("code", ""), level=request.POST.get("level"),
                               comment=request.POST.get("comment", ""))
            done = True
        except EdugovError as exc:
            messages.error(request, exc.message)
    return render(request, "services/rate_visit.html", {"levels": RATING_CHOICES, "done": done,
                                                        "code": request.GET.get("code", "")})


# -- staff -------------------------------------------------------------------------------------

@staff_required
@require_http_methods(["GET", "POST"])
def catalogue_view(request: HttpRequest) -> HttpResponse:
    bureau = _bureau(request)
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Please choose an .xlsx file."))
        else:
            try:
                done = catalogue.import_catalogue(actor=request.user, bureau=bureau, data=upload.read())  # type: ignore[arg-type]
                messages.success(request, _("Imported: %(c)d new, %(u)d updated. Publish each item to show it to the "
                                            "public.") % {"c": done["created"], "u": done["updated"]})
            except EdugovError as exc:
                messages.error(request, exc.message)
        return redirect("services:catalogue")
    if request.GET.get("export") == "xlsx":
        record(actor=request.user, action="service_item.export", target=bureau, organisation=bureau)
        response = HttpResponse(catalogue.export_catalogue(bureau),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="service-catalogue-{timezone.localdate():%Y%m%d}.xlsx"'
        return response
    q = request.GET.get("q", "").strip()[:60]
    items = selectors.catalogue_of(bureau, q)
    return render(request, "services/catalogue.html", {
        "bureau": bureau, "page": _page(request, items), "q": q,
        "can_edit": can_edit_catalogue(request.user, bureau)})  # type: ignore[arg-type]


def _departments(bureau: Organisation) -> list[tuple[str, str]]:
    return selectors.departments_of(bureau)


MAX_MATERIAL_ROWS = 100


def _material_rows(request: HttpRequest) -> list[dict[str, Any]]:
    rows = []
    # the form's own count of material rows: a number, and no more rows than a page can hold
    for n in range(min(as_pk(request.POST.get("material_count")) or 0, MAX_MATERIAL_ROWS)):
        rows.append({"id": as_pk(request.POST.get(f"mat-{n}-id")), "name": request.POST.get(f"mat-{n}-name", ""),
                     "form": request.POST.get(f"mat-{n}-form", ""), "copies": request.POST.get(f"mat-{n}-copies", "1"),
                     "required": request.POST.get(f"mat-{n}-required") == "on",
                     "commitment_allowed": request.POST.get(f"mat-{n}-commit") == "on",
                     "note": request.POST.get(f"mat-{n}-note", "")})
    return rows


@staff_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    bureau = _bureau(request, can_edit_catalogue)
    item = selectors.access_catalogue_item(request.user, pk) if pk else None  # type: ignore[arg-type]
    if item is not None and not can_edit_item(request.user, item):  # type: ignore[arg-type]
        raise PermissionDenied(_("Only the accepting department edits this item."))
    initial: dict[str, Any] = {}
    materials: list[dict[str, Any]] = []
    if item is not None:
        initial = {f: getattr(item, f) for f in catalogue.FIELDS if f != "department"}
        initial.update(department=item.department.code, edits=item.edits)
        materials = list(item.materials.values("id", "name", "form", "copies", "required", "commitment_allowed",
                                               "note"))
    form = ItemForm(request.POST or None, initial=initial, departments=_departments(bureau))
    if request.method == "POST":
        materials = _material_rows(request)
        if form.is_valid():
            values = dict(form.cleaned_data)
            try:
                saved = catalogue.item_save(actor=request.user, bureau=bureau, values=values, materials=materials,  # type: ignore[arg-type]
                                            item=item, expected_edits=values.pop("edits", None) if item else None)
            except EdugovError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Saved. The public guide changes when the item is published."))
                return redirect("services:catalogue_item", pk=saved.pk)
    blank = {"id": "", "name": "", "form": MaterialForm.ELECTRONIC, "copies": 1, "required": True,
             "commitment_allowed": False, "note": ""}
    rows = [*materials, *[dict(blank) for _n in range(3)]]
    return render(request, "services/item_edit.html", {"form": form, "item": item, "rows": rows,
                                                       "material_forms": MaterialForm.choices})


@staff_required
@require_http_methods(["GET", "POST"])
def catalogue_item(request: HttpRequest, pk: int) -> HttpResponse:
    """An item as staff see it: the working copy, the versions, publish or withdraw."""
    _bureau(request)  # the page is for the bureau's service staff
    item = selectors.access_catalogue_item(request.user, pk)  # type: ignore[arg-type]
    if request.method == "POST":
        if request.POST.get("confirmed") != "on":
            messages.error(request, _("Please tick the confirmation box."))
        else:
            try:
                if request.POST.get("what") == "withdraw":
                    catalogue.item_withdraw(actor=request.user, item=item, reason=request.POST.get("note", ""))  # type: ignore[arg-type]
                    messages.success(request, _("The item was withdrawn from the public guide."))
                else:
                    v = catalogue.item_publish(actor=request.user, item=item, note=request.POST.get("note", ""))  # type: ignore[arg-type]
                    messages.success(request, _("Version %(n)d is now on the public guide.") % {"n": v.number})
            except EdugovError as exc:
                messages.error(request, exc.message)
        return redirect("services:catalogue_item", pk=item.pk)
    return render(request, "services/catalogue_item.html", {
        "item": item, "materials": item.materials.all(), "versions": item.versions.all(),
        "can_edit": can_edit_item(request.user, item), "can_publish": can_publish_item(request.user, item)})  # type: ignore[arg-type]


@staff_required
@require_http_methods(["GET", "POST"])
def counter(request: HttpRequest) -> HttpResponse:
    """The window: choose the item, record the application (paper seen or scanned), or record a
    visit for the visitor to rate."""
    bureau = _bureau(request, can_take_counter)
    items = selectors.counter_items(bureau)
    pk = as_pk(request.GET.get("item") or request.POST.get("item"))
    item = items.filter(pk=pk).first() if pk else None
    if request.method == "POST" and request.POST.get("what") == "visit" and item is not None:
        visit = actions.visit_record(actor=request.user, item=item)  # type: ignore[arg-type]
        return render(request, "services/visit_receipt.html", {"visit": visit})
    if item is None:
        return render(request, "services/counter.html", {"items": items})
    return _application_form(request, item, Channel.COUNTER)


@staff_required
@require_POST
def step(request: HttpRequest, pk: int) -> HttpResponse:
    """The steps of a service application, each through its action (and so through the engine)."""
    app = selectors.access_application_case(request.user, pk)  # type: ignore[arg-type]
    user, post = request.user, request.POST
    name = post.get("transition", "")
    version = as_pk(post.get("version"))
    t = SERVICE.transition(name)
    needs_confirm = t is not None and t.confirm is not None
    if t is not None and not can_act_on_case(user, app.case, t.roles, t.assignee_may) and name != "supply":  # type: ignore[arg-type]
        raise PermissionDenied(_("You may not do this step on this case."))
    if needs_confirm and post.get("confirmed") != "on":
        messages.error(request, _("Please tick the confirmation box for “%(step)s”.") % {"step": t.label})  # type: ignore[union-attr]
        return redirect(app.case)
    try:
        if name == "accept":
            actions.accept(actor=user, application=app, expected_version=version)  # type: ignore[arg-type]
        elif name == "reject":
            actions.reject(actor=user, application=app, reason=post.get("reason", ""), expected_version=version)  # type: ignore[arg-type]
        elif name == "notify":
            ids = [as_pk(v) for v in post.getlist("material")]
            problems = {i: post.get(f"problem-{i}", "") for i in ids if i}
            actions.notify_missing(actor=user, application=app, problems=problems, missing=[i for i in ids if i],  # type: ignore[arg-type]
                                   expected_version=version)
        elif name == "supply":
            received = [i for i in (as_pk(v) for v in post.getlist("received")) if i]
            actions.supply(actor=user, application=app, received=received)  # type: ignore[arg-type]
        elif name in ("approve", "deny"):
            valid_from = as_date(post["valid_from"], "valid_from") if post.get("valid_from") else None
            valid_until = as_date(post["valid_until"], "valid_until") if post.get("valid_until") else None
            actions.decide(actor=user, application=app, approve=name == "approve", reason=post.get("reason", ""),  # type: ignore[arg-type]
                           certificate_number=post.get("certificate_number", ""), valid_from=valid_from,
                           valid_until=valid_until, late_reason=post.get("late_reason", ""), expected_version=version)
        elif name == "deliver":
            actions.deliver(actor=user, application=app, method=post.get("method", ""))  # type: ignore[arg-type]
        elif t is not None and name in ("hearing", "expert", "resume"):
            from edugov.cases.actions import case_transition

            case_transition(actor=user, case=app.case, transition=name, expected_version=version,  # type: ignore[arg-type]
                            data={"reason": post.get("reason", ""), "note": post.get("note", "")})
        else:
            raise ValidationFailed(_("“%(name)s” is not a step of this kind of case.") % {"name": name})
    except EdugovError as exc:
        messages.error(request, exc.message)
    else:
        label = t.label if t is not None else _("Decision delivered")
        messages.success(request, _("Done: %(step)s.") % {"step": label})
    return redirect(app.case)


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
            "remedies": actions.REMEDIES}


@staff_required
@require_http_methods(["GET", "POST"])
def verification(request: HttpRequest) -> HttpResponse:
    bureau = _bureau(request, can_verify)
    if request.method == "POST":
        try:
            if request.POST.get("what") == "draw":
                month = as_date(request.POST.get("month", "") + "-01", "month")
                draw = actions.draw_verification_sample(actor=request.user, bureau=bureau, year=month.year,  # type: ignore[arg-type]
                                                        month=month.month)
                messages.success(request, _("Sample %(id)s drawn: %(k)d of %(n)d commitments.")
                                 % {"id": draw.draw_id, "k": len(draw.selected or []), "n": len(draw.candidates)})
            else:
                v = selectors.resolve_verification(bureau, request.POST.get("verification"))
                truthful = request.POST.get("truthful")
                if truthful not in ("yes", "no"):
                    raise ValidationFailed(_("Please say whether the commitment was true."))
                actions.record_verification(actor=request.user, verification=v, method=request.POST.get("method", ""),  # type: ignore[arg-type]
                                            truthful=truthful == "yes", note=request.POST.get("note", ""))
                messages.success(request, _("Verification recorded."))
        except EdugovError as exc:
            messages.error(request, exc.message)
        return redirect("services:verification")
    pending, done = selectors.verifications_of(bureau)
    today = timezone.localdate()
    last_month = month_start(today, -1).strftime("%Y-%m")
    return render(request, "services/verification.html", {
        "pending": pending, "page": _page(request, done), "methods": VerificationMethod.choices,
        "last_month": last_month, "bureau": bureau})


@staff_required
def stats(request: HttpRequest) -> HttpResponse:
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

