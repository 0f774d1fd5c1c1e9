"""Enforcement pages: campaigns and their draws, the inspection page used on site (phone-sized),
penalty cases with legal review, the item catalogue, and the public results (一公开)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from edugov.accounts.decorators import staff_required
from edugov.accounts.models import Organisation, Role, User
from edugov.accounts.permissions import has_role
from edugov.accounts.selectors import bureau_of
from edugov.cases.actions import case_transition
from edugov.cases.models import Case
from edugov.cases.permissions import can_act_on_case
from edugov.kernel.errors import EdugovError
from edugov.kernel.validators import as_date, as_pk

from . import actions, documents, selectors
from .models import (
    REVIEW_POINTS,
    CampaignKind,
    FindingKind,
    PenaltyType,
    ReviewOutcome,
    Stage,
)
from .permissions import can_plan, can_read_enforcement, can_review, officer_for


def _bureau(request: HttpRequest) -> Organisation:
    """The bureau whose enforcement the signed-in user works on."""
    bureau = bureau_of(request.user, lambda b: can_read_enforcement(request.user, b))  # type: ignore[arg-type]
    if bureau is None:
        raise PermissionDenied(_("Enforcement pages are for enforcement officers, reviewers and leaders."))
    return bureau


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, settings.EDUGOV["PAGE_SIZE"]).get_page(request.GET.get("page"))


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    bureau = _bureau(request)
    me = officer_for(request.user)  # type: ignore[arg-type]
    today = timezone.localdate()
    mine = selectors.my_inspections(me, today)
    reinspections = selectors.reinspections_due(bureau, today)
    campaigns = selectors.campaigns_of(bureau)
    penalties = selectors.open_penalties(bureau)
    to_review = (penalties.filter(state="review").select_related("penalty").order_by("next_due_on")[:50]
                 if can_review(request.user, bureau) else [])  # type: ignore[arg-type]
    to_decide = (penalties.filter(state="reviewed").select_related("penalty").order_by("next_due_on")[:50]
                 if has_role(request.user, {Role.BUREAU_LEADER, Role.DEPARTMENT_HEAD}) else [])  # type: ignore[arg-type]
    kind = request.GET.get("kind")
    if kind in CampaignKind.values:
        campaigns = campaigns.filter(kind=kind)
    return render(request, "enforcement/home.html", {
        "bureau": bureau, "page": _page(request, campaigns), "mine": mine, "me": me, "kinds": CampaignKind.choices,
        "kind": kind, "can_plan": can_plan(request.user, bureau), "reinspections": reinspections,  # type: ignore[arg-type]
        "today": today, "to_review": to_review, "to_decide": to_decide})


def _percent(value: str, field: str) -> Decimal:
    try:
        return (Decimal(value or "0") / 100).quantize(Decimal("0.001"))
    except InvalidOperation:
        raise EdugovError(_("Please give the share as a number of percent, e.g. 5."), field=field) from None


@staff_required
@require_http_methods(["GET", "POST"])
def campaign_new(request: HttpRequest) -> HttpResponse:
    bureau = _bureau(request)
    if not can_plan(request.user, bureau):  # type: ignore[arg-type]
        raise PermissionDenied(_("Enforcement planning is for enforcement officers and department heads."))
    matters = selectors.matters_of(bureau)
    post = request.POST
    if request.method == "POST":
        try:
            matter = selectors.resolve_matter(bureau, post.get("matter"))
            campaign = actions.campaign_create(
                actor=request.user, organisation=bureau, kind=post.get("kind", ""), title=post.get("title", ""),  # type: ignore[arg-type]
                matter=matter, starts_on=as_date(post.get("starts_on", ""), "starts_on"),
                ends_on=as_date(post.get("ends_on", ""), "ends_on"), full_coverage=post.get("full_coverage") == "on",
                ratio=_percent(post.get("ratio", "5"), "ratio"),
                high_risk_ratio=_percent(post.get("high_risk_ratio", "20"), "high_risk_ratio"),
                team_size=int(post.get("team_size") or 2), cap=int(post.get("cap") or 3),
                per_outing=int(post.get("per_outing") or 8), agencies=post.get("agencies", ""))
        except (EdugovError, ValueError) as exc:
            messages.error(request, getattr(exc, "message", _("Please check the numbers you entered.")))
        else:
            messages.success(request, _("Campaign planned. Next: draw its targets and teams."))
            return redirect(campaign)
    return render(request, "enforcement/campaign_new.html", {"matters": matters, "kinds": CampaignKind.choices,
                                                             "post": post})


@staff_required
@require_http_methods(["GET", "POST"])
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.access_campaign(request.user, pk)  # type: ignore[arg-type]
    if request.method == "POST":
        if request.POST.get("confirmed") != "on":
            messages.error(request, _("Please tick the confirmation box: a draw cannot be repeated."))
        else:
            try:
                actions.campaign_draw(actor=request.user, campaign=campaign,  # type: ignore[arg-type]
                                      public_value=request.POST.get("public_value", "").strip())
                messages.success(request, _("Targets and teams drawn and published."))
            except EdugovError as exc:
                messages.error(request, exc.message)
        return redirect(campaign)
    roster = None
    if campaign.target_draw_id is None:
        institutions, stratum, left_out = actions.target_roster(campaign)
        roster = {"total": len(institutions), "high": sum(1 for v in stratum.values() if v == "high"),
                  "left_out": len(left_out)}
    outings = campaign.outings.prefetch_related("team", "inspections").order_by("number")
    return render(request, "enforcement/campaign.html", {
        "campaign": campaign, "roster": roster, "outings": outings,
        "can_plan": can_plan(request.user, campaign.organisation)})  # type: ignore[arg-type]


def _version(request: HttpRequest) -> int | None:
    value = request.POST.get("version", "")
    return as_pk(value)


@staff_required
@require_http_methods(["GET", "POST"])
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The page officers use on site, on a phone: one stage at a time."""
    inspection = selectors.access_inspection(request.user, pk)  # type: ignore[arg-type]
    user: User = request.user  # type: ignore[assignment]
    if request.method == "POST":
        step, post = request.POST.get("step", ""), request.POST
        try:
            if step == "arrive":
                actions.inspection_arrive(actor=user, inspection=inspection, place=post.get("place", ""),
                                          certificates_shown=post.get("certificates_shown") == "on",
                                          expected_version=_version(request))
            elif step == "record":
                checklist = {item: post.get(f"c{i}", "") for i, item in enumerate(inspection.campaign.matter.checklist)}
                actions.inspection_record(actor=user, inspection=inspection, checklist=checklist,
                                          people_met=post.get("people_met", ""), expected_version=_version(request))
                for upload in request.FILES.getlist("evidence"):
                    actions.inspection_attach(actor=user, inspection=inspection, upload=upload)
            elif step == "sign_off":
                actions.inspection_sign_off(actor=user, inspection=inspection, expected_version=_version(request))
            elif step == "decide":
                actions.inspection_decide(actor=user, inspection=inspection, findings=_findings(post),
                                          expected_version=_version(request))
            elif step == "serve":
                finding = selectors.access_finding(user, inspection, post.get("finding"))  # type: ignore[arg-type]
                actions.finding_serve(actor=user, finding=finding)
            elif step == "reinspect":
                finding = selectors.access_finding(user, inspection, post.get("finding"))  # type: ignore[arg-type]
                verdict = post.get("rectified")
                if verdict not in ("yes", "no"):
                    raise EdugovError(_("Please say whether it was rectified."))
                actions.finding_reinspect(actor=user, finding=finding, rectified=verdict == "yes",
                                          note=post.get("note", ""))
            elif step == "penalty":
                item = selectors.resolve_claimed_item(inspection.campaign.organisation, post.get("item"))
                penalty = actions.penalty_open(actor=user, inspection=inspection,
                                               organisation=inspection.campaign.organisation, item=item,
                                               party_name=post.get("party_name", ""), facts=post.get("facts", ""),
                                               party_is_person=post.get("party_is_person") == "on")
                messages.success(request, _("Penalty case %(ref)s filed.") % {"ref": penalty.case.reference})
                return redirect(penalty.case)
            else:
                raise EdugovError(_("Unknown step; please reload the page."))
        except EdugovError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Recorded."))
        return redirect(inspection)
    me = officer_for(user)
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


def _findings(post: Any) -> list[dict[str, Any]]:
    chosen = post.getlist("finding")
    out: list[dict[str, Any]] = []
    for kind in chosen:
        f: dict[str, Any] = {"kind": kind, "note": post.get(f"note_{kind}", "")}
        if kind == FindingKind.RECTIFICATION:
            f["deadline"] = as_date(post.get("deadline", ""), "deadline") if post.get("deadline") else None
        if kind == FindingKind.INTERVIEW:
            f["interviewee"] = post.get("interviewee", "")
        out.append(f)
    return out


@staff_required
def notice_docx(request: HttpRequest, pk: int) -> HttpResponse:
    finding = selectors.access_notice(request.user, pk)  # type: ignore[arg-type]
    return documents.docx_response(documents.rectification_notice(finding), f"notice-{finding.pk}.docx")


# ---- penalty cases -------------------------------------------------------------------------------

def penalty_context(case: Case, viewer: Any) -> dict[str, Any]:
    penalty = case.penalty
    return {"penalty": penalty, "reviews": penalty.reviews.select_related("reviewer"),
            "review_points": list(REVIEW_POINTS.items()), "review_outcomes": ReviewOutcome.choices,
            "can_review": case.state == "review" and can_review(viewer, case.organisation),
            "penalty_types": PenaltyType.choices, "publications": penalty.publications.all(),
            "can_extend_review": case.state == "review" and can_review(viewer, case.organisation)
            and not case.clocks.filter(name="review", extended_by__gt=0).exists(),
            "can_decide": case.state in ("reviewed", "notified") and can_act_on_case(
                viewer, case, {"department_head", "bureau_leader"}, False)}


@staff_required
@require_POST
def penalty_step(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.access_penalty_case(request.user, pk)  # type: ignore[arg-type]
    penalty, post, user = case.penalty, request.POST, request.user
    name = post.get("transition", "")
    try:
        if name == "legal_review":
            checks = {key: post.get(f"check_{key}") == "yes" for key in REVIEW_POINTS
                      if post.get(f"check_{key}") in ("yes", "no")}
            actions.legal_review(actor=user, penalty=penalty, checks=checks, outcome=post.get("outcome", ""),  # type: ignore[arg-type]
                                 opinion=post.get("opinion", ""))
        elif name == "decide":
            actions.penalty_decide(actor=user, penalty=penalty, types=post.getlist("types"),  # type: ignore[arg-type]
                                   fine=post.get("fine", ""), confiscated=post.get("confiscated", ""),
                                   decision_text=post.get("decision_text", ""))
        elif name == "extend_review":
            actions.review_extend(actor=user, penalty=penalty, reason=post.get("reason", ""))  # type: ignore[arg-type]
        elif name == "revoke":
            actions.penalty_revoke(actor=user, penalty=penalty, reason=post.get("reason", ""))  # type: ignore[arg-type]
        else:
            t = case.workflow.transition(name)
            if t is None or name in ("decide",) or name.startswith("review_") or not can_act_on_case(
                    user, case, t.roles, t.assignee_may):  # type: ignore[arg-type]
                raise PermissionDenied(_("You may not do this step on this case."))
            if t.confirm and post.get("confirmed") != "on":
                raise EdugovError(_("Please tick the confirmation box for “%(step)s”.") % {"step": t.label})
            case_transition(actor=user, case=case, transition=name, expected_version=_version(request),  # type: ignore[arg-type]
                            data={f: post.get(f, "") for f in (*t.required, "note")})
    except EdugovError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Recorded."))
    return redirect(case)


@staff_required
def penalty_docx(request: HttpRequest, pk: int, which: str) -> HttpResponse:
    case = selectors.access_penalty_case(request.user, pk)  # type: ignore[arg-type]
    makers = {"prior-notice": documents.prior_notice, "decision": documents.penalty_decision}
    if which not in makers or (which == "decision" and case.penalty.decided_at is None):
        raise Http404
    return documents.docx_response(makers[which](case.penalty), f"{which}-{case.pk}.docx")


# ---- the two rosters (名录库) --------------------------------------------------------------------

@staff_required
def roster(request: HttpRequest) -> HttpResponse:
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
@require_http_methods(["GET", "POST"])
def items(request: HttpRequest) -> HttpResponse:
    bureau = _bureau(request)
    if request.method == "POST" and request.FILES.get("file"):
        try:
            done = actions.items_import(actor=request.user, organisation=bureau,  # type: ignore[arg-type]
                                        data=request.FILES["file"].read())
            messages.success(request, _("Imported: %(c)d new items, %(u)d updated.") % {"c": done["created"],
                                                                                        "u": done["updated"]})
        except EdugovError as exc:
            messages.error(request, exc.message)
        return redirect("enforcement:items")
    if request.method == "POST":
        try:
            item = selectors.resolve_item(bureau, request.POST.get("item"))
            if request.POST.get("do") == "claim":
                actions.item_claim(actor=request.user, item=item)  # type: ignore[arg-type]
            else:
                actions.item_release(actor=request.user, item=item, reason=request.POST.get("reason", ""))  # type: ignore[arg-type]
            messages.success(request, _("Recorded."))
        except EdugovError as exc:
            messages.error(request, exc.message)
        return redirect("enforcement:items")
    qs = selectors.items_of(bureau)
    query = request.GET.get("q", "").strip()
    if query:
        qs = qs.filter(name__icontains=query) | qs.filter(code__icontains=query)
    if request.GET.get("export") == "xlsx":
        return documents.items_xlsx(qs)
    claimed = selectors.claimed_items(bureau).count()
    return render(request, "enforcement/items.html", {"page": _page(request, qs), "claimed": claimed, "q": query,
                                                      "can_plan": can_plan(request.user, bureau)})  # type: ignore[arg-type]


# ---- 一公开: the public results ------------------------------------------------------------------

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


def public_result(request: HttpRequest, pk: int) -> HttpResponse:
    pub = selectors.access_published_result(pk)
    return render(request, "enforcement/public_detail.html", {"pub": pub})
