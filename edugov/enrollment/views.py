"""Enrollment pages: the published policy, the application on a phone (drafts, documents, the
receipt), the parent's own page (corrections, the result, accept or appeal, the survey), the
published results; for staff the review steps and the intake's lottery, assignment and publication."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from edugov.accounts.decorators import staff_required
from edugov.accounts.http import AuthedRequest
from edugov.accounts.models import User
from edugov.cases.models import Case
from edugov.cases.permissions import can_act_on_case
from edugov.documents.selectors import documents_of
from edugov.kernel.errors import ValidationFailed
from edugov.kernel.forms import first_error, submit
from edugov.kernel.masking import mask_name
from edugov.kernel.ratelimit import limit_posts
from edugov.kernel.validators import as_pk
from edugov.metrics.registry import Period

from . import actions, letters, selectors, tasks
from .forms import (
    AcceptPlaceForm,
    AppealForm,
    ApplicationForm,
    BookForm,
    ConfirmedIntakeForm,
    RecordsImportForm,
    ResubmitForm,
    SlotForm,
    SpecialRequestForm,
    SpecialStepForm,
    StepForm,
    SurveyForm,
    TrackForm,
)
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


def _first(form: forms.Form) -> tuple[str, str]:
    """The first error of a form and the field it is on (the page marks that question)."""
    for name, errors in form.errors.items():
        return str(errors[0]), "" if name == NON_FIELD_ERRORS else name
    return "", ""


@login_required(login_url="accounts:phone_login")
@require_http_methods(["GET", "POST"])
def apply(request: AuthedRequest, pk: int) -> HttpResponse:
    """The application: filled in on a phone, submitted with its documents."""
    intake = selectors.access_published_intake(pk)
    if request.method != "POST":
        return _apply_page(request, intake)
    form = _application_form(request, intake, complete=True)
    done, app = submit(form, lambda d: actions.application_submit(
        actor=request.user, intake=intake, form=form.application(), uploads=form.uploads(),
        idempotency_key=d["idempotency_key"]))
    if done:
        return redirect(app)
    return _apply_page(request, intake, form, status=400)


@login_required(login_url="accounts:phone_login")
@require_POST
def apply_draft(request: AuthedRequest, pk: int) -> HttpResponse:
    """Keep what was typed so far, to finish before the deadline."""
    intake = selectors.access_published_intake(pk)
    form = _application_form(request, intake)
    done, _draft = submit(form, lambda d: actions.application_draft_save(actor=request.user, intake=intake,
                                                             form=form.application()))
    if not done:
        return _apply_page(request, intake, form, status=400)
    messages.success(request, _("Draft saved. You can come back and finish it before the deadline."))
    return redirect("enrollment:apply", pk=intake.pk)


def _private_school_ids(intake: Intake) -> list[int]:
    return list(intake.plans.filter(school__is_private=True).values_list("school_id", flat=True))


def _application_form(request: AuthedRequest, intake: Intake, complete: bool = False) -> ApplicationForm:
    return ApplicationForm(request.POST, request.FILES, private_school_ids=_private_school_ids(intake),
                           complete=complete)


def _apply_page(request: AuthedRequest, intake: Intake, form: ApplicationForm | None = None,
                status: int = 200) -> HttpResponse:
    draft, done = selectors.own_applications(request.user, intake)
    values: Any = {}
    error, error_field, chosen = "", "", []
    if form is not None:  # what was posted, as typed, with the first thing to fix
        values = form.data
        error, error_field = _first(form)
        chosen = [str(c) for c in form.cleaned_data.get("private_choices", [])]
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
            ("q_permit", _("Only if both answers above are no: have you held a residence permit here for %(n)d "
                           "months, with proof of work?") % {"n": intake.permit_months}))],
        "categories": Category.choices,
        "documents": [(k, label, DOCUMENT_PAGES.get(k, "")) for k, label in DocumentKind.choices],
        "required": {str(c): [str(d) for d in docs] for c, docs in REQUIRED_DOCUMENTS.items()},
        "communities": sorted({c for z in intake.zones.all() for c in z.communities}),
        "private_schools": intake.plans.filter(school__is_private=True).select_related("school"),
        "idempotency_key": values.get("idempotency_key") or secrets.token_hex(16), "chosen": chosen,
        "files_lost": form is not None and bool(form.files)}, status=status)


def _answers(category: int) -> tuple[str, str, str]:
    """The plain-words answers a saved category stands for (to refill a draft)."""
    return {1: ("yes", "yes", "no"), 2: ("yes", "no", "no"), 3: ("no", "yes", "no"), 4: ("no", "no", "yes")}.get(
        category, ("no", "no", "no"))


@login_required(login_url="accounts:phone_login")
@require_GET
def mine(request: AuthedRequest, pk: int) -> HttpResponse:
    app = selectors.access_own_application(request.user, pk)
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
        "window_open": selectors.appeal_window_open(app, now), "levels": Rating.choices,
        "issued_documents": documents_of(letters.subject(app)) if case is not None else []})


# The parent's acts on their own application: (the form, the action, what the page then says).
OWN_ACTS: dict[str, tuple[Any, Any, Any]] = {
    "resubmit": (ResubmitForm, lambda user, app, form, d: actions.application_resubmit(
        actor=user, application=app, uploads=form.uploads()), lambda r: _("Resubmitted. The review starts again.")),
    "book": (BookForm, lambda user, app, form, d: actions.application_book(
        actor=user, application=app, slot=selectors.resolve_slot(app, d["slot"])),
        lambda appointment: _("Booked: %(slot)s.") % {"slot": appointment.slot}),
    "accept": (AcceptPlaceForm, lambda user, app, form, d: actions.application_accept_place(actor=user, application=app),
               lambda r: _("You have accepted the place.")),
    "appeal": (AppealForm, lambda user, app, form, d: actions.application_appeal(actor=user, application=app, reason=d["reason"]),
               lambda r: _("Your appeal was received; the answer comes within 5 working days.")),
    "rate": (SurveyForm, lambda user, app, form, d: actions.application_rate(actor=user, application=app, level=d["level"]),
             lambda r: _("Thank you for answering the survey.")),
}


@login_required(login_url="accounts:phone_login")
@require_POST
def own_act(request: AuthedRequest, pk: int, name: str) -> HttpResponse:
    """One act of the parent on their application, named by its URL."""
    app = selectors.access_own_application(request.user, pk)
    if name not in OWN_ACTS:
        raise Http404
    form_class, act, said = OWN_ACTS[name]
    form = form_class(request.POST, request.FILES)
    done, result = submit(form, lambda d: act(request.user, app, form, d))
    messages.success(request, said(result)) if done else messages.error(request, first_error(form))
    return redirect(app)


@require_http_methods(["GET", "POST"])
@limit_posts("lookup")
def track(request: HttpRequest) -> HttpResponse:
    """Progress and messages with the query code and the child's identity number: no account and
    no SMS needed."""
    app, tried = None, False
    form = TrackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        tried = True
        app = selectors.application_track(form.cleaned_data["code"], form.cleaned_data["child_id_number"])
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

def _managed(request: AuthedRequest) -> list[Intake]:
    return selectors.managed_intakes(request.user)


# The intake's long steps as the page names them while one runs (tasks.STEPS).
STEP_LABELS = {"commit": gettext_lazy("publishing the lottery's commitment"), "lottery": gettext_lazy("the lottery"),
               "assign": gettext_lazy("assigning the places"), "results": gettext_lazy("publishing the results")}


@staff_required
@require_GET
def manage(request: AuthedRequest) -> HttpResponse:
    intakes_here = _managed(request)
    if not intakes_here and not selectors.manages_enrollment(request.user):  # the staff see "no intake yet"
        raise PermissionDenied(_("Enrollment is managed by the bureau's basic education staff."))
    rows = []
    for intake in intakes_here:
        states, drafts = selectors.intake_counts(intake)
        rows.append({"returns": returns_by_reason(Period.year(intake.year), intake.organisation), "intake": intake,
                     "states": [(ENROLLMENT.state_label(s), n) for s, n in sorted(states.items())],
                     "total": sum(states.values()), "drafts": drafts,
                     "step": STEP_LABELS.get((intake.job or {}).get("step", ""), "")})
    return render(request, "enrollment/manage.html", {"rows": rows})


def _run(user: User, intake: Intake, step: str, public_value: str) -> str:
    """Start one of the intake's long steps (lottery, assignment, results) and say how it went."""
    tasks.start(actor=user, intake=intake, step=step, public_value=public_value)
    job = selectors.intake_job(intake)
    if job.get("error"):
        raise ValidationFailed(str(job["error"]))
    return str(job.get("message", "")) if job.get("finished") else _("Started; this page shows when it is done.")


# The acts on an intake, by the name in their URL: (the form, the action, what the page then says).
INTAKE_ACTS: dict[str, tuple[Any, Any, Any]] = {
    "records": (RecordsImportForm, lambda user, intake, d: actions.student_records_import(
        actor=user, bureau=intake.organisation, data=d["file"].read()),
        lambda n: _("%(n)d student records imported.") % {"n": n}),
    "slot": (SlotForm, lambda user, intake, d: actions.slot_add(
        actor=user, intake=intake, day=d["day"], time=d["time"], place=d["place"], capacity=d["capacity"] or 0),
        lambda r: _("The time is offered to parents.")),
    "publish": (ConfirmedIntakeForm, lambda user, intake, d: actions.intake_publish(actor=user, intake=intake),
                lambda r: _("The policy is published.")),
    **{step: (ConfirmedIntakeForm, lambda user, intake, d, step=step: _run(user, intake, step, d["public_value"]),
              lambda message: message) for step in tasks.STEPS},
}


@staff_required
@require_POST
def intake_act(request: AuthedRequest, name: str) -> HttpResponse:
    """One act on an intake the actor manages (the intake is a field of the form, among theirs)."""
    intakes_here = {i.pk: i for i in _managed(request)}
    if name not in INTAKE_ACTS:
        raise Http404
    form_class, act, said = INTAKE_ACTS[name]
    form = form_class(request.POST, request.FILES, intake_ids=list(intakes_here))
    done, result = submit(form, lambda d: act(request.user, intakes_here[d["intake"]], d))
    messages.success(request, said(result)) if done else messages.error(request, first_error(form))
    return redirect("enrollment:manage")


STAFF_STEPS = ("check", "verify", "return", "offline", "offline_pass", "refer", "referral_pass")


def _staff_step(user: User, app: Any, name: str, form: StepForm, d: dict[str, Any]) -> Any:
    if name == "offline":
        return actions.application_move_offline(actor=user, application=app, reason=d["reason"], expected_version=d["version"])
    if name in ("refer", "referral_pass"):
        from edugov.cases.actions import case_transition

        return case_transition(actor=user, case=app.case, transition=name, expected_version=d["version"],
                               data={"reason": d["reason"], "decision": d["decision"]})
    if name == "offline_pass":
        return actions.application_offline_result(actor=user, application=app, passed=True)
    if name == "return":
        return actions.application_review(actor=user, application=app, passed=False, reasons=[d["reason"]],
                              problems=form.problems(), expected_version=d["version"])
    return actions.application_review(actor=user, application=app, passed=True, expected_version=d["version"])


@staff_required
@require_POST
def step(request: AuthedRequest, pk: int, name: str) -> HttpResponse:
    """One review step of an application, named by its URL."""
    app = selectors.access_application_case(request.user, pk)
    t = ENROLLMENT.transition(name)
    if t is None or name not in STAFF_STEPS or app.case is None or not can_act_on_case(
            request.user, app.case, t.roles, t.assignee_may):
        raise PermissionDenied(_("You may not do this step on this case."))
    form = StepForm(request.POST)
    done, _result = submit(form, lambda d: _staff_step(request.user, app, name, form, d))
    if done:
        messages.success(request, _("Done: %(step)s.") % {"step": t.label})
    else:
        messages.error(request, first_error(form))
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
def special_step(request: AuthedRequest, pk: int, name: str) -> HttpResponse:
    """One step of a deferral or placement request, named by its URL."""
    case, req = selectors.access_special_case(request.user, pk)
    t = case.workflow.transition(name)
    if t is None or not can_act_on_case(request.user, case, t.roles, t.assignee_may):
        raise PermissionDenied(_("You may not do this step on this case."))
    form = SpecialStepForm(request.POST)
    done, _result = submit(form, lambda d: actions.special_request_decide(
        actor=request.user, request=req, transition=name, data={k: d.get(k, "") for k in (*t.required, "note")},
        expected_version=d["version"]))
    if done:
        messages.success(request, _("Done: %(step)s.") % {"step": t.label})
    else:
        messages.error(request, first_error(form))
    return redirect(case)


@login_required(login_url="accounts:phone_login")
@require_http_methods(["GET", "POST"])
def special(request: AuthedRequest, pk: int) -> HttpResponse:
    """A deferral or a disability placement request, by the parent."""
    intake = selectors.access_published_intake(pk)
    form = SpecialRequestForm(request.POST or None, request.FILES or None)
    error, error_field = "", ""
    if request.method == "POST":
        done, req = submit(form, lambda d: actions.special_request_submit(
            actor=request.user, intake=intake, kind=d["kind"], child_name=d["child_name"],
            child_id_number=d["child_id_number"], reason=d["reason"], uploads=d["documents"]))
        if done:
            messages.success(request, _("Your request %(ref)s was received; the answer comes by SMS and under My "
                                        "matters.") % {"ref": req.case.reference})
            return redirect("portal:my")
        error, error_field = _first(form)
    return render(request, "enrollment/special.html", {"intake": intake, "kinds": SpecialKind.choices,
                                                       "error": error, "error_field": error_field,
                                                       "values": form.data}, status=400 if error else 200)
