"""Enforcement pages: campaigns and their draws, the inspection page used on site (phone-sized),
penalty cases with legal review, the item catalogue, and the public results (一公开)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from edugov.accounts.decorators import staff_required
from edugov.accounts.http import AuthedRequest
from edugov.accounts.models import Organisation, Role, User
from edugov.accounts.permissions import has_role, has_role_over
from edugov.accounts.selectors import bureau_of, rule_of
from edugov.cases.actions import case_transition
from edugov.cases.models import Case
from edugov.cases.permissions import can_act_on_case
from edugov.documents.models import DocumentKind
from edugov.documents.responses import download
from edugov.documents.selectors import documents_of
from edugov.kernel import pages
from edugov.kernel.errors import ValidationFailed
from edugov.kernel.forms import first_error, submit
from edugov.kernel.replica import reads_replica

from . import actions, documents, selectors
from .forms import (
    TRAINING_FORMS,
    ArriveForm,
    CampaignForm,
    CommitForm,
    CourtApplicationForm,
    DecideForm,
    DecisionExtensionForm,
    DrawForm,
    FindingForm,
    ItemClaimForm,
    ItemReleaseForm,
    ItemsImportForm,
    LegalReviewForm,
    OpenPenaltyForm,
    PenaltyDecisionForm,
    PenaltyStepForm,
    ReasonForm,
    RecordForm,
    ReinspectForm,
    ReminderForm,
    ServeForm,
    VersionForm,
    WaiverForm,
)
from .models import REVIEW_POINTS, CampaignKind, FindingKind, Inspection, PenaltyType, ReviewOutcome, Stage
from .permissions import can_plan, can_read_enforcement, can_review, officer_for
from .workflow import PARTY_WINDOWS, remedy_periods_end


def _bureau(request: AuthedRequest) -> Organisation:
    """The bureau whose enforcement the signed-in user works on."""
    bureau = bureau_of(request.user, lambda b: can_read_enforcement(request.user, b))
    if bureau is None:
        raise PermissionDenied(_("Enforcement pages are for enforcement officers, reviewers and leaders."))
    return bureau


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, settings.EDUGOV["PAGE_SIZE"]).get_page(request.GET.get("page"))


@staff_required
def home(request: AuthedRequest) -> HttpResponse:
    bureau = _bureau(request)
    me = officer_for(request.user)
    today = timezone.localdate()
    mine = selectors.my_inspections(me, today)
    reinspections = selectors.reinspections_due(bureau, today)
    campaigns = selectors.campaigns_of(bureau)
    penalties = selectors.open_penalties(bureau)
    to_review = (penalties.filter(state="review").select_related("penalty").order_by("next_due_on")[:50]
                 if can_review(request.user, bureau) else [])
    to_decide = (penalties.filter(state="reviewed").select_related("penalty").order_by("next_due_on")[:50]
                 if has_role(request.user, {Role.BUREAU_LEADER, Role.DEPARTMENT_HEAD}) else [])
    kind = request.GET.get("kind")
    if kind in CampaignKind.values:
        campaigns = campaigns.filter(kind=kind)
    return render(request, "enforcement/home.html", {
        "bureau": bureau, "page": _page(request, campaigns), "mine": mine, "me": me, "kinds": CampaignKind.choices,
        "kind": kind, "can_plan": can_plan(request.user, bureau), "reinspections": reinspections,
        "today": today, "to_review": to_review, "to_decide": to_decide})


@staff_required
@require_http_methods(["GET", "POST"])
def campaign_new(request: AuthedRequest) -> HttpResponse:
    bureau = _bureau(request)
    if not can_plan(request.user, bureau):
        raise PermissionDenied(_("Enforcement planning is for enforcement officers and department heads."))
    form = CampaignForm(request.POST or None, matters=selectors.matters_of(bureau))
    if request.method == "POST":
        done, campaign = submit(form, lambda d: actions.campaign_create(
            actor=request.user, organisation=bureau, **form.campaign()))
        if done:
            messages.success(request, _("Campaign planned. Next: publish the commitment of its draw, then draw its targets and teams."))
            return redirect(campaign)
    return render(request, "enforcement/campaign_new.html", {"form": form}, status=400 if form.is_bound else 200)


@staff_required
@require_GET
def campaign_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _campaign_page(request, selectors.access_campaign(request.user, pk))


def _campaign_page(request: AuthedRequest, campaign: Any, form: DrawForm | None = None, status: int = 200,
                   commit_form: CommitForm | None = None) -> HttpResponse:
    roster = None
    if campaign.target_draw_id is None:
        institutions, stratum, left_out = actions.target_roster(campaign)
        roster = {"total": len(institutions), "high": sum(1 for v in stratum.values() if v == "high"),
                  "left_out": len(left_out)}
    outings = campaign.outings.prefetch_related("team", "inspections").order_by("number")
    return render(request, "enforcement/campaign.html", {
        "campaign": campaign, "roster": roster, "outings": outings, "draw_form": form or DrawForm(prefix="draw"),
        "commit_form": commit_form or CommitForm(prefix="commit"),
        "committed": campaign.target_draw is not None and campaign.target_draw.state == "committed",
        "can_plan": can_plan(request.user, campaign.organisation)}, status=status)


@staff_required
@require_POST
def campaign_commit(request: AuthedRequest, pk: int) -> HttpResponse:
    """双随机, step 1: the roster and the officers frozen, both commitments published."""
    campaign = selectors.access_campaign(request.user, pk)
    form = CommitForm(request.POST, prefix="commit")
    done, _committed = submit(form, lambda d: actions.campaign_commit(actor=request.user, campaign=campaign))
    if not done and campaign.target_draw_id is None:
        return _campaign_page(request, campaign, status=400, commit_form=form)
    if not done:  # committed already (by another officer, or in another tab)
        messages.error(request, first_error(form))
        return redirect(campaign)
    messages.success(request, _("The commitment is published. Draw once the public value you name is announced."))
    return redirect(campaign)


@staff_required
@require_POST
def campaign_draw(request: AuthedRequest, pk: int) -> HttpResponse:
    campaign = selectors.access_campaign(request.user, pk)
    form = DrawForm(request.POST, prefix="draw")
    done, _drawn = submit(form, lambda d: actions.campaign_draw(actor=request.user, campaign=campaign,
                                                                public_value=d["public_value"].strip()))
    campaign.refresh_from_db()
    if not done and campaign.target_draw is not None and campaign.target_draw.state == "committed":
        return _campaign_page(request, campaign, form, status=400)
    if not done:  # drawn already (by another officer, or in another tab): the page has no form to show it on
        messages.error(request, first_error(form))
        return redirect(campaign)
    messages.success(request, _("Targets and teams drawn and published."))
    return redirect(campaign)


@staff_required
@require_GET
def inspection_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """The page officers use on site, on a phone: one stage at a time."""
    inspection = selectors.access_inspection(request.user, pk)
    me = officer_for(request.user)
    on_team = bool(me and inspection.outing.team.filter(pk=me.pk).exists())
    checklist = [(f"c{i}", item, inspection.checklist.get(item, ""))
                 for i, item in enumerate(inspection.campaign.matter.checklist)]
    items = selectors.claimed_items(inspection.campaign.organisation)
    return render(request, "enforcement/inspection.html", {
        "inspection": inspection, "on_team": on_team, "checklist": checklist, "Stage": Stage,
        "findings": inspection.findings.all(), "files": inspection.files.all(), "team": inspection.outing.team.all(),
        "finding_kinds": [(k, label) for k, label in FindingKind.choices if k != FindingKind.PENALTY],
        "items": items, "penalties": inspection.penalties.select_related("case"),
        "today": timezone.localdate()})


def _record(user: User, inspection: Inspection, form: Any, d: dict[str, Any]) -> Any:
    done = actions.inspection_record(actor=user, inspection=inspection, checklist=form.answers(),
                                     people_met=d["people_met"], expected_version=d["version"])
    for upload in d["evidence"]:
        actions.inspection_attach(actor=user, inspection=inspection, upload=upload)
    return done


def _reinspect(user: User, inspection: Inspection, form: Any, d: dict[str, Any]) -> Any:
    return actions.finding_reinspect(actor=user, finding=selectors.access_finding(user, inspection, d["finding"]),
                                     rectified=d["rectified"] == "yes", note=d["note"])


# Each stage of an inspection, by the name in its URL: (the form it reads, the action it takes).
INSPECTION_STEPS: dict[str, tuple[Any, Any]] = {
    "arrive": (lambda i, data, files: ArriveForm(data),
               lambda user, i, form, d: actions.inspection_arrive(
                   actor=user, inspection=i, place=d["place"], certificates_shown=d["certificates_shown"],
                   expected_version=d["version"])),
    "record": (lambda i, data, files: RecordForm(data, files, checklist=i.campaign.matter.checklist), _record),
    "sign_off": (lambda i, data, files: VersionForm(data),
                 lambda user, i, form, d: actions.inspection_sign_off(actor=user, inspection=i,
                                                                      expected_version=d["version"])),
    "decide": (lambda i, data, files: DecideForm(data),
               lambda user, i, form, d: actions.inspection_decide(actor=user, inspection=i, findings=form.findings(),
                                                                  expected_version=d["version"])),
    "serve": (lambda i, data, files: FindingForm(data),
              lambda user, i, form, d: actions.finding_serve(
                  actor=user, finding=selectors.access_finding(user, i, d["finding"]))),
    "reinspect": (lambda i, data, files: ReinspectForm(data), _reinspect),
    "penalty": (lambda i, data, files: OpenPenaltyForm(data, items=selectors.claimed_items(i.campaign.organisation)),
                lambda user, i, form, d: actions.penalty_open(
                    actor=user, inspection=i, organisation=i.campaign.organisation, item=d["item"],
                    party_name=d["party_name"], facts=d["facts"], party_is_person=d["party_is_person"],
                    act_on=d["act_on"], harm=d["harm"])),
}


@staff_required
@require_POST
def inspection_step(request: AuthedRequest, pk: int, name: str) -> HttpResponse:
    """One stage of an inspection, named by its URL, through its action."""
    inspection = selectors.access_inspection(request.user, pk)
    if name not in INSPECTION_STEPS:
        raise Http404
    form_class, act = INSPECTION_STEPS[name]  # a form made for this inspection (its checklist, its items)
    form = form_class(inspection, request.POST, request.FILES)
    done, result = submit(form, lambda d: act(request.user, inspection, form, d))
    if not done:
        messages.error(request, first_error(form))
    elif name == "penalty":
        messages.success(request, _("Penalty case %(ref)s filed.") % {"ref": result.case.reference})
        return redirect(result.case)
    else:
        messages.success(request, _("Recorded."))
    return redirect(inspection)


def _issued_notice(request: AuthedRequest, pk: int) -> Any:
    finding = selectors.access_notice(request.user, pk)
    doc = documents_of(documents.finding_subject(finding)).filter(kind=DocumentKind.RECTIFICATION_NOTICE).last()
    if doc is None:
        raise Http404
    return doc


@staff_required
def notice_docx(request: AuthedRequest, pk: int) -> HttpResponse:
    """The Word master of the rectification notice as issued."""
    return download(_issued_notice(request, pk), "docx")


@staff_required
def notice_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    """The rectification notice as issued: the signed PDF, with its verification code."""
    return download(_issued_notice(request, pk), "pdf")


# ---- penalty cases -------------------------------------------------------------------------------

def inspection_context(case: Case, viewer: Any) -> dict[str, Any]:
    return {"inspection": selectors.inspection_of_case(case)}


def penalty_context(case: Case, viewer: Any) -> dict[str, Any]:
    penalty = case.penalty
    return {"penalty": penalty, "reviews": penalty.reviews.select_related("reviewer"),
            "review_points": list(REVIEW_POINTS.items()), "review_outcomes": ReviewOutcome.choices,
            "can_review": case.state == "review" and can_review(viewer, case.organisation),
            "penalty_types": PenaltyType.choices, "publications": penalty.publications.all(),
            "can_extend_review": case.state == "review" and can_review(viewer, case.organisation)
            and not case.clocks.filter(name="review", extended_by__gt=0).exists(),
            "can_decide": case.state in ("reviewed", "notified") and can_act_on_case(
                viewer, case, {"department_head", "bureau_leader"}, False),
            "party_windows": [c for c in case.clocks.all() if c.name in PARTY_WINDOWS and c.stopped_on is None],
            "can_waive": case.state in ("notified", "review", "reviewed") and can_plan(viewer, case.organisation),
            "late_fee": selectors.late_fee(penalty, timezone.localdate()),
            "remedy_end": remedy_periods_end(penalty.served_on),
            "own_forms": ("serve", "remind", "apply_court"),
            "can_extend_decision": case.clocks.filter(name="decide", stopped_on__isnull=True, extended_by=0).exists()
            and has_role_over(viewer, case.organisation, {Role.BUREAU_LEADER}),
            "decision_extension_days": rule_of(case.organisation, "penalty.decision_extension").count}


def _engine_step(name: str) -> Any:
    def act(user: User, case: Case, form: Any, d: dict[str, Any]) -> Any:
        t = case.workflow.transition(name)
        if t is None or name in PENALTY_ACTS or name.startswith("review_") or not can_act_on_case(
                user, case, t.roles, t.assignee_may):
            raise PermissionDenied(_("You may not do this step on this case."))
        if t.confirm and not d["confirmed"]:
            raise ValidationFailed(_("Please tick the confirmation box for “%(step)s”.") % {"step": t.label})
        return case_transition(actor=user, case=case, transition=name, expected_version=d["version"],
                               data={f: d.get(f, "") for f in (*t.required, "note")})
    return act


# The acts on a penalty case beside the engine's own steps: (the form, the action).
PENALTY_ACTS: dict[str, tuple[Any, Any]] = {
    "legal_review": (LegalReviewForm, lambda user, case, form, d: actions.penalty_legal_review(
        actor=user, penalty=case.penalty, checks=form.checks(), outcome=d["outcome"], opinion=d["opinion"])),
    "decide": (PenaltyDecisionForm, lambda user, case, form, d: actions.penalty_decide(
        actor=user, penalty=case.penalty, types=d["types"], fine=d["fine"], confiscated=d["confiscated"],
        decision_text=d["decision_text"], collective_discussion=d["collective_discussion"])),
    "extend_decision": (DecisionExtensionForm, lambda user, case, form, d: actions.penalty_decision_extend(
        actor=user, penalty=case.penalty, days=d["days"], basis=d["basis"], reason=d["reason"])),
    "serve": (ServeForm, lambda user, case, form, d: actions.penalty_serve(
        actor=user, penalty=case.penalty, served_on=d["served_on"])),
    "remind": (ReminderForm, lambda user, case, form, d: actions.penalty_remind(
        actor=user, penalty=case.penalty, reminder=d["reminder"], served_on=d["served_on"])),
    "apply_court": (CourtApplicationForm, lambda user, case, form, d: actions.penalty_apply_court(
        actor=user, penalty=case.penalty, application=d["application"])),
    "extend_review": (ReasonForm, lambda user, case, form, d: actions.penalty_review_extend(
        actor=user, penalty=case.penalty, reason=d["reason"])),
    "revoke": (ReasonForm, lambda user, case, form, d: actions.penalty_revoke(
        actor=user, penalty=case.penalty, reason=d["reason"])),
    "waive": (WaiverForm, lambda user, case, form, d: actions.penalty_record_waiver(
        actor=user, penalty=case.penalty, waiver=d["waiver"])),
}


@staff_required
@require_POST
def penalty_step(request: AuthedRequest, pk: int, name: str) -> HttpResponse:
    """One step of a penalty case, named by its URL: the review, the decision, the extension and
    the revocation through their actions, every other step through the engine."""
    case = selectors.access_penalty_case(request.user, pk)
    form_class, act = PENALTY_ACTS.get(name, (PenaltyStepForm, _engine_step(name)))
    form = form_class(request.POST)
    done, _result = submit(form, lambda d: act(request.user, case, form, d))
    if not done:
        messages.error(request, first_error(form))
    else:
        messages.success(request, _("Recorded."))
    return redirect(case)


@staff_required
def penalty_docx(request: AuthedRequest, pk: int, which: str) -> HttpResponse:
    """The Word master of a penalty case's document as issued (the signed PDF: documents:download,
    listed on the case page)."""
    case = selectors.access_penalty_case(request.user, pk)
    kinds = {"filing": DocumentKind.PENALTY_FILING, "prior-notice": DocumentKind.PENALTY_PRIOR_NOTICE,
             "decision": DocumentKind.PENALTY_DECISION}
    if which not in kinds:
        raise Http404
    doc = documents_of(documents.penalty_subject(case.penalty)).filter(kind=kinds[which]).last()
    if doc is None:
        raise Http404
    return download(doc, "docx")


# ---- the two rosters (名录库) --------------------------------------------------------------------

@staff_required
def roster(request: AuthedRequest) -> HttpResponse:
    """Targets with their risk level, complaints in the last 12 months and last inspection; officers
    with their certificate (an expired one is neither drawn nor allowed to act)."""

    from edugov.registries.hooks import complaints_about_institutions

    from .permissions import certificate_valid

    bureau = _bureau(request)
    targets = selectors.targets_of(bureau)
    query = request.GET.get("q", "").strip()
    if query:
        targets = targets.filter(name__icontains=query)
    page = _page(request, targets)
    complaints = complaints_about_institutions(i.pk for i in page)
    rows = [{"inst": i, "risk": getattr(getattr(i, "enforcement_profile", None), "risk", "normal"),
             "complaints": complaints.get(i.pk, 0), "last_visit": i.last_visit} for i in page]
    today = timezone.localdate()
    officers = [{"p": p, "valid": certificate_valid(p, today)} for p in selectors.officers_of(bureau)]
    return render(request, "enforcement/roster.html", {"page": page, "rows": rows, "officers": officers, "q": query})


# ---- the catalogue -------------------------------------------------------------------------------

@staff_required
@require_GET
def items(request: AuthedRequest) -> HttpResponse:
    return _items_page(request)


def _items_page(request: AuthedRequest, import_form: forms.Form | None = None, status: int = 200) -> HttpResponse:
    bureau = _bureau(request)
    qs = selectors.items_of(bureau)
    query = request.GET.get("q", "").strip()
    if query:
        qs = qs.filter(name__icontains=query) | qs.filter(code__icontains=query)
    if request.GET.get("export") == "xlsx":
        return documents.items_xlsx(qs)
    claimed = selectors.claimed_items(bureau).count()
    return render(request, "enforcement/items.html", {
        "page": _page(request, qs), "claimed": claimed, "q": query, "can_plan": can_plan(request.user, bureau),
        "import_form": import_form or ItemsImportForm(prefix="import")}, status=status)


@staff_required
@require_POST
def items_import(request: AuthedRequest) -> HttpResponse:
    bureau = _bureau(request)
    return pages.write(
        request, ItemsImportForm(request.POST, request.FILES, prefix="import"),
        lambda d: actions.item_import(actor=request.user, organisation=bureau, data=d["file"].read()),
        refused=lambda form: _items_page(request, form, status=400), then="enforcement:items",
        said=lambda counts: _("Imported: %(c)d new items, %(u)d updated.") % {"c": counts["created"],
                                                                             "u": counts["updated"]})


@staff_required
@require_POST
def item_claim(request: AuthedRequest) -> HttpResponse:
    bureau = _bureau(request)
    form = ItemClaimForm(request.POST)
    done, _item = submit(form, lambda d: actions.item_claim(actor=request.user,
                                                            item=selectors.resolve_item(bureau, d["item"])))
    messages.success(request, _("Recorded.")) if done else messages.error(request, first_error(form))
    return redirect("enforcement:items")


@staff_required
@require_POST
def item_release(request: AuthedRequest) -> HttpResponse:
    bureau = _bureau(request)
    form = ItemReleaseForm(request.POST)
    done, _item = submit(form, lambda d: actions.item_release(
        actor=request.user, item=selectors.resolve_item(bureau, d["item"]), reason=d["reason"]))
    messages.success(request, _("Recorded.")) if done else messages.error(request, first_error(form))
    return redirect("enforcement:items")


# ---- 一公开: the public results ------------------------------------------------------------------

@reads_replica
def public_results(request: HttpRequest) -> HttpResponse:
    qs = selectors.published_results()
    kind = request.GET.get("kind")
    if kind in ("inspection", "penalty"):
        qs = qs.filter(kind=kind)
    query = request.GET.get("q", "").strip()
    if query:
        qs = qs.filter(title__icontains=query)
    if request.GET.get("export") == "xlsx":
        return documents.publications_xlsx(qs[:10000])
    return render(request, "enforcement/public.html", {"page": _page(request, qs), "kind": kind, "q": query})


@reads_replica
def public_result(request: HttpRequest, pk: int) -> HttpResponse:
    pub = selectors.access_published_result(pk)
    return render(request, "enforcement/public_detail.html", {"pub": pub})


# ---- officers' training and assessment (issue 31) ------------------------------------------------

def _training_forms(request: AuthedRequest, bound: dict[str, forms.Form]) -> dict[str, forms.Form]:
    today = timezone.localdate()
    made: dict[str, forms.Form] = {}
    for key, form_class in TRAINING_FORMS.items():
        if key in bound:
            made[key] = bound[key]
            continue
        initial = {"approved_on": today, "held_on": today, "studied_on": today, "assessed_on": today,
                   "hours": Decimal("3.0")}
        made[key] = (form_class(prefix=key, initial=initial) if key == "plan"
                     else form_class(prefix=key, initial=initial, actor=request.user))  # type: ignore[call-arg]
    return made


@staff_required
@require_GET
def training(request: AuthedRequest) -> HttpResponse:
    return _training_page(request)


def _training_page(request: AuthedRequest, bound: dict[str, forms.Form] | None = None,
                   status: int = 200) -> HttpResponse:
    """The year's plan, each officer's hours against it and their assessment, the sessions held."""
    from edugov.kernel import query
    from edugov.kernel.xlsx import Column, write_workbook

    from .permissions import can_assess_officers

    bureau = _bureau(request)
    year = query.year(request)
    today = timezone.localdate()
    plan = selectors.plan_of(bureau, year)
    rows = selectors.standings(plan, today) if plan is not None else []
    if request.GET.get("export") == "xlsx" and plan is not None:
        cols = [Column("officer", _("Officer")), Column("certificate", _("Certificate")), Column("hours", _("Hours")),
                Column("expected", _("Hours expected by now")), Column("assessment", _("Assessment"))]
        body = write_workbook(cols, ([r.officer.name, r.officer.certificate_number, f"{r.hours.normalize():f}",
                                      f"{r.expected.normalize():f}",
                                      r.assessment.get_result_display() if r.assessment else "—"] for r in rows),
                              title=f"training-{year}")
        response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="training-{year}.xlsx"'
        return response
    sessions = _page(request, plan.sessions.annotate(attended=Count("attendance")).order_by("-held_on", "-id") if plan is not None else [])
    return render(request, "enforcement/training.html", {
        "year": year, "plan": plan, "rows": rows, "sessions": sessions, "forms": _training_forms(request, bound or {}),
        "behind": sum(r.behind for r in rows), "failed": sum(r.failed for r in rows),
        "may_assess": can_assess_officers(request.user, bureau), "may_plan": can_plan(request.user, bureau)},
        status=status)


@staff_required
@require_POST
def training_add(request: AuthedRequest, kind: str) -> HttpResponse:
    """One write of the training page: the plan, a session with its attendance, attendance added,
    self-study, an assessment."""
    from django.urls import reverse

    from edugov.kernel import query

    if kind not in TRAINING_FORMS:
        raise Http404
    bureau = _bureau(request)
    year = query.year(request)
    plan = selectors.plan_of(bureau, year)
    form_class = TRAINING_FORMS[kind]
    form = (form_class(request.POST, prefix=kind) if kind == "plan"
            else form_class(request.POST, prefix=kind, actor=request.user))  # type: ignore[call-arg]
    u = request.user

    def act(d: dict[str, Any]) -> object:
        if kind == "plan":
            return actions.plan_create(actor=u, organisation=bureau, year=year, **d)
        if plan is None:
            raise ValidationFailed(_("There is no training plan for %(year)d yet.") % {"year": year})
        if kind == "session":
            return actions.session_record(actor=u, plan=plan, **d)
        if kind == "attendance":
            if d["session"].plan_id != plan.pk:
                raise ValidationFailed(_("That session is not of this year's plan."), field="session")
            return actions.attendance_add(actor=u, session=d["session"], officers=d["officers"])
        if kind == "self_study":
            return actions.self_study_record(actor=u, plan=plan, **d)
        return actions.assessment_record(actor=u, plan=plan, **d)

    done, _result = submit(form, act)
    if not done:
        return _training_page(request, {kind: form}, status=400)
    messages.success(request, _("Recorded."))
    return redirect(f"{reverse('enforcement:training')}?year={year}")
