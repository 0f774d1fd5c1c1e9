"""Enrollment pages: the published policy, the application on a phone (drafts, documents, the
receipt), the parent's own page (corrections, the result, accept or appeal, the survey), the
published results; for staff the review steps and the intake's lottery, assignment and publication."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from edugov.accounts.decorators import staff_required
from edugov.accounts.models import User
from edugov.cases.models import Case
from edugov.cases.permissions import can_act_on_case
from edugov.kernel.errors import EdugovError, ValidationFailed
from edugov.kernel.masking import mask_name
from edugov.kernel.ratelimit import limit_posts
from edugov.kernel.validators import as_date, as_pk
from edugov.metrics.registry import Period

from . import actions, selectors, tasks
from .metrics import returns_by_reason
from .models import (
    DOCUMENT_PAGES,
    REQUIRED_DOCUMENTS,
    Category,
    DocumentKind,
    Intake,
    IntakeState,
    Rating,
    SpecialKind,
)
from .workflow import ENROLLMENT


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, settings.EDUGOV["PAGE_SIZE"]).get_page(request.GET.get("page"))


def intakes(request: HttpRequest) -> HttpResponse:
    qs = selectors.published_intakes()
    return render(request, "enrollment/intakes.html", {"intakes": qs})


def policy(request: HttpRequest, pk: int) -> HttpResponse:
    intake = selectors.access_published_intake(pk)
    now = timezone.now()
    return render(request, "enrollment/policy.html", {
        "intake": intake, "plans": intake.plans.select_related("school"),
        "zones": intake.zones.prefetch_related("schools"), "changes": intake.changes.all(),
        "categories": [(c.value, c.label, [DocumentKind(d).label for d in REQUIRED_DOCUMENTS[c.value]])
                       for c in Category],
        "open": intake.state == IntakeState.PUBLISHED and intake.opens_at <= now <= intake.closes_at})


def _form(post: Any) -> actions.Form:
    category = as_pk(post.get("category"))
    if all(q in post for q in actions.QUESTIONS):  # the family answered in plain words
        category = actions.category_from(*(post.get(q) == "yes" for q in actions.QUESTIONS))
    return actions.Form(
        child_name=post.get("child_name", ""), child_id_number=post.get("child_id_number", ""),
        household=post.get("household", ""), guardian_name=post.get("guardian_name", ""),
        guardian_id_number=post.get("guardian_id_number", ""), guardian_phone=post.get("guardian_phone", ""),
        second_guardian_name=post.get("second_guardian_name", ""),
        second_guardian_phone=post.get("second_guardian_phone", ""), address=post.get("address", ""),
        community=post.get("community", ""), category=category,
        private_choices=[c for c in (as_pk(v) for v in post.getlist("private_choices")) if c],
        consent=post.get("consent") == "on")


@login_required(login_url="accounts:phone_login")
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    intake = selectors.access_published_intake(pk)
    user = request.user
    draft, done = selectors.own_applications(user, intake)  # type: ignore[arg-type]
    values: dict[str, Any] = {}
    error, error_field = "", ""
    if request.method == "POST":
        form = _form(request.POST)
        values = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
        try:
            if request.POST.get("what") == "draft":
                actions.draft_save(actor=user, intake=intake, form=form)  # type: ignore[arg-type]
                messages.success(request, _("Draft saved. You can come back and finish it before the deadline."))
                return redirect("enrollment:apply", pk=intake.pk)
            uploads = {k: request.FILES[f"doc_{k}"] for k in DocumentKind.values if f"doc_{k}" in request.FILES}
            app = actions.submit(actor=user, intake=intake, form=form, uploads=uploads,  # type: ignore[arg-type]
                                 idempotency_key=request.POST.get("idempotency_key", ""))
            return redirect(app)
        except EdugovError as exc:
            error, error_field = exc.message, exc.field or ""
    elif draft is not None:
        values = {k: getattr(draft, k) for k in ("child_name", "child_id_number", "household", "guardian_name",
                                                 "guardian_id_number", "guardian_phone", "second_guardian_name",
                                                 "second_guardian_phone", "address", "community")}
        values["category"] = str(draft.category)
        for q, answer in zip(actions.QUESTIONS, _answers(draft.category), strict=True):
            values[q] = answer
    return render(request, "enrollment/apply.html", {
        "intake": intake, "values": values, "error": error, "error_field": error_field, "submitted": done,
        "questions": [{"name": q, "text": text, "value": values.get(q, "")} for q, text in (
            ("q_household", _("Is the child's household registration (户口) in the zone of your home?")),
            ("q_home", _("Does the family own its home in the zone (property certificate or purchase contract)?")),
            ("q_permit", _("Otherwise: have you held a residence permit here for %(n)d months, with proof of work?")
             % {"n": intake.permit_months}))],
        "categories": Category.choices,
        "documents": [(k, label, DOCUMENT_PAGES.get(k, "")) for k, label in DocumentKind.choices],
        "required": {str(c): [str(d) for d in docs] for c, docs in REQUIRED_DOCUMENTS.items()},
        "communities": sorted({c for z in intake.zones.all() for c in z.communities}),
        "private_schools": intake.plans.filter(school__is_private=True).select_related("school"),
        "idempotency_key": values.get("idempotency_key") or secrets.token_hex(16),
        "chosen": [str(c) for c in request.POST.getlist("private_choices")] if request.method == "POST" else []})


def _answers(category: int) -> tuple[str, str, str]:
    """The plain-words answers a saved category stands for (to refill a draft)."""
    return {1: ("yes", "yes", "no"), 2: ("yes", "no", "no"), 3: ("no", "yes", "no"), 4: ("no", "no", "yes")}.get(
        category, ("no", "no", "no"))


@login_required(login_url="accounts:phone_login")
@require_http_methods(["GET", "POST"])
def mine(request: HttpRequest, pk: int) -> HttpResponse:
    app = selectors.access_own_application(request.user, pk)  # type: ignore[arg-type]
    if request.method == "POST":
        what, user = request.POST.get("what", ""), request.user
        try:
            if what == "resubmit":
                uploads = {k: request.FILES[f"doc_{k}"] for k in DocumentKind.values if f"doc_{k}" in request.FILES}
                actions.resubmit(actor=user, application=app, uploads=uploads)  # type: ignore[arg-type]
                messages.success(request, _("Resubmitted. The review starts again."))
            elif what == "book":
                slot = selectors.resolve_slot(app, request.POST.get("slot"))
                actions.book(actor=user, application=app, slot=slot)  # type: ignore[arg-type]
                messages.success(request, _("Booked: %(slot)s.") % {"slot": slot})
            elif what == "accept" and request.POST.get("confirmed") == "on":
                actions.accept_place(actor=user, application=app)  # type: ignore[arg-type]
                messages.success(request, _("You have accepted the place."))
            elif what == "accept":
                messages.error(request, _("Please tick the box to confirm that you accept the place."))
            elif what == "appeal":
                actions.appeal(actor=user, application=app, reason=request.POST.get("reason", ""))  # type: ignore[arg-type]
                messages.success(request, _("Your appeal was received; the answer comes within 5 working days."))
            elif what == "rate":
                actions.rate(actor=user, application=app, level=request.POST.get("level"))  # type: ignore[arg-type]
                messages.success(request, _("Thank you for answering the survey."))
        except EdugovError as exc:
            messages.error(request, exc.message)
        return redirect(app)
    case = app.case
    events = case.events.filter(public=True) if case else []
    wf = ENROLLMENT
    for e in events:
        e.to_label = wf.state_label(e.to_state)  # type: ignore[attr-defined]
    now = timezone.now()
    return render(request, "enrollment/mine.html", {
        "app": app, "case": case, "events": events, "documents": app.documents.all(), "notices": app.notices.all(),
        "appointment": selectors.appointment_of(app),
        "slots": selectors.open_slots(app.intake, timezone.localdate())
        if case is not None and case.state == "offline" else [],
        "results": app.intake.state in (IntakeState.RESULTS, IntakeState.CLOSED),
        "window_open": actions.appeal_window_open(app, now), "levels": Rating.choices})


@require_http_methods(["GET", "POST"])
@limit_posts("lookup")
def track(request: HttpRequest) -> HttpResponse:
    """Progress and messages with the query code and the child's identity number: no account and
    no SMS needed."""
    app, tried = None, False
    if request.method == "POST":
        tried = True
        app = actions.track(request.POST.get("code", ""), request.POST.get("child_id_number", ""))
    return render(request, "enrollment/track.html", {
        "app": app, "tried": tried, "notices": app.notices.all() if app else [],
        "results": app is not None and app.intake.state in (IntakeState.RESULTS, IntakeState.CLOSED)})


def results(request: HttpRequest, pk: int) -> HttpResponse:
    """Published results (公示): per school, masked names and lottery numbers."""
    intake = selectors.access_published_intake(pk)
    if intake.state not in (IntakeState.RESULTS, IntakeState.CLOSED):
        raise Http404(_("The results of this intake are not published yet."))
    school = as_pk(request.GET.get("school"))
    qs = selectors.published_results(intake, school)
    page = _page(request, qs)
    rows = [{"school": a.school.name, "name": mask_name(a.child_name), "lottery": a.lottery_number,
             "how": a.placed_by} for a in page]
    return render(request, "enrollment/results.html", {
        "intake": intake, "page": page, "rows": rows, "school": school,
        "schools": intake.plans.select_related("school")})


# -- staff -----------------------------------------------------------------------------------------

def _managed(request: HttpRequest) -> list[Intake]:
    return selectors.managed_intakes(request.user)  # type: ignore[arg-type]


@staff_required
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest) -> HttpResponse:
    intakes_here = _managed(request)
    if request.method == "POST":
        intake = next((i for i in intakes_here if i.pk == as_pk(request.POST.get("intake"))), None)
        if intake is None:
            raise PermissionDenied(_("You may not manage this intake."))
        what = request.POST.get("what", "")
        if request.POST.get("confirmed") != "on" and what not in ("slot", "records"):
            messages.error(request, _("Please tick the confirmation box."))
            return redirect("enrollment:manage")
        try:
            if what == "records":
                upload = request.FILES.get("file")
                if upload is None:
                    raise ValidationFailed(_("Please choose an .xlsx file."))
                n = actions.import_student_records(actor=request.user, bureau=intake.organisation,  # type: ignore[arg-type]
                                                   data=upload.read())
                messages.success(request, _("%(n)d student records imported.") % {"n": n})
            elif what == "slot":
                actions.add_slot(actor=request.user, intake=intake, day=as_date(request.POST.get("day"), "day"),  # type: ignore[arg-type]
                                 time=request.POST.get("time", ""), place=request.POST.get("place", ""),
                                 capacity=as_pk(request.POST.get("capacity")) or 0)
                messages.success(request, _("The time is offered to parents."))
            elif what == "publish":
                actions.intake_publish(actor=request.user, intake=intake)  # type: ignore[arg-type]
                messages.success(request, _("The policy is published."))
            elif what in tasks.STEPS:
                tasks.start(actor=request.user, intake=intake, step=what,  # type: ignore[arg-type]
                            public_value=request.POST.get("public_value", ""))
                job = selectors.intake_job(intake)
                if job.get("error"):
                    messages.error(request, job["error"])
                elif job.get("finished"):
                    messages.success(request, job.get("message", ""))
                else:
                    messages.info(request, _("Started; this page shows when it is done."))
            else:
                raise ValidationFailed(_("Unknown step."))
        except EdugovError as exc:
            messages.error(request, exc.message)
        return redirect("enrollment:manage")
    if not intakes_here:
        raise PermissionDenied(_("Enrollment is managed by the bureau's basic education staff."))

    rows = []
    for intake in intakes_here:
        states, drafts = selectors.intake_counts(intake)
        rows.append({"returns": returns_by_reason(Period.year(intake.year), intake.organisation), "intake": intake,
                     "states": [(ENROLLMENT.state_label(s), n) for s, n in sorted(states.items())],
                     "total": sum(states.values()), "drafts": drafts})
    return render(request, "enrollment/manage.html", {"rows": rows})


@staff_required
@require_POST
def step(request: HttpRequest, pk: int) -> HttpResponse:
    app = selectors.access_application_case(request.user, pk)  # type: ignore[arg-type]
    name = request.POST.get("transition", "")
    t = ENROLLMENT.transition(name)
    if t is None or name not in ("check", "verify", "return", "offline", "offline_pass", "refer", "referral_pass") or \
            not can_act_on_case(request.user, app.case, t.roles, t.assignee_may):  # type: ignore[arg-type]
        raise PermissionDenied(_("You may not do this step on this case."))
    try:
        if name == "offline":
            actions.move_offline(actor=request.user, application=app, reason=request.POST.get("reason", ""),  # type: ignore[arg-type]
                                 expected_version=as_pk(request.POST.get("version")))
        elif name in ("refer", "referral_pass"):
            from edugov.cases.actions import case_transition

            case_transition(actor=request.user, case=app.case, transition=name,  # type: ignore[arg-type]
                            expected_version=as_pk(request.POST.get("version")),
                            data={"reason": request.POST.get("reason", ""), "decision": request.POST.get("decision", "")})
        elif name == "offline_pass":
            actions.offline_result(actor=request.user, application=app, passed=True)  # type: ignore[arg-type]
        elif name == "return":
            problems = {k: request.POST.get(f"problem_{k}", "") for k in DocumentKind.values}
            actions.review(actor=request.user, application=app, passed=False,  # type: ignore[arg-type]
                           reasons=[request.POST.get("reason", "")], problems=problems,
                           expected_version=as_pk(request.POST.get("version")))
        else:
            actions.review(actor=request.user, application=app, passed=True,  # type: ignore[arg-type]
                           expected_version=as_pk(request.POST.get("version")))
    except EdugovError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Done: %(step)s.") % {"step": t.label})
    assert app.case is not None
    return redirect(app.case)


def detail_context(case: Case, viewer: User) -> dict[str, Any]:
    app = selectors.application_of_case(case)
    allowed = {t.name for t in ENROLLMENT.available_from(case.state)
               if t.name in ("check", "verify", "return", "offline", "offline_pass", "refer", "referral_pass")
               and can_act_on_case(viewer, case, t.roles, t.assignee_may)}
    return {"app": app, "documents": app.documents.select_related("attachment"), "allowed": allowed,
            "appointment": selectors.appointment_of(app),
            "document_kinds": DocumentKind.choices,
            "needed": [DocumentKind(d).label for d in REQUIRED_DOCUMENTS[app.category]]}


def special_context(case: Case, viewer: User) -> dict[str, Any]:
    req = selectors.special_request_of(case)
    return {"special": req, "attachments": case.attachments.all()}


@staff_required
@require_POST
def special_step(request: HttpRequest, pk: int) -> HttpResponse:
    case, req = selectors.access_special_case(request.user, pk)  # type: ignore[arg-type]
    name = request.POST.get("transition", "")
    t = case.workflow.transition(name)
    if t is None or not can_act_on_case(request.user, case, t.roles, t.assignee_may):  # type: ignore[arg-type]
        raise PermissionDenied(_("You may not do this step on this case."))
    data = {k: request.POST.get(k, "") for k in (*t.required, "note")}
    try:
        actions.special_decide(actor=request.user, request=req, transition=name, data=data,  # type: ignore[arg-type]
                               expected_version=as_pk(request.POST.get("version")))
    except EdugovError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Done: %(step)s.") % {"step": t.label})
    return redirect(case)


@login_required(login_url="accounts:phone_login")
@require_http_methods(["GET", "POST"])
def special(request: HttpRequest, pk: int) -> HttpResponse:
    """A deferral or a disability placement request, by the parent."""
    intake = selectors.access_published_intake(pk)
    error, error_field = "", ""
    if request.method == "POST":
        try:
            req = actions.special_request(
                actor=request.user, intake=intake, kind=request.POST.get("kind", ""),  # type: ignore[arg-type]
                child_name=request.POST.get("child_name", ""), child_id_number=request.POST.get("child_id_number", ""),
                reason=request.POST.get("reason", ""), uploads=request.FILES.getlist("documents"))
            messages.success(request, _("Your request %(ref)s was received; the answer comes by SMS and under My matters.")
                             % {"ref": req.case.reference})
            return redirect("portal:my")
        except EdugovError as exc:
            error, error_field = exc.message, exc.field or ""
    return render(request, "enrollment/special.html", {"intake": intake, "kinds": SpecialKind.choices,
                                                       "error": error, "error_field": error_field,
                                                       "values": request.POST})
