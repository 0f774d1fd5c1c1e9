"""The legality-review pages: one page with a tab for each register (normative documents, major
decisions, contracts, the adviser's opinions, the advisers), one URL and form per write, the
steps of each case on its case page (`legality:step`), and the public lists: documents in force,
amended and repealed, drafts open for comment with the answers, the catalogues of major decisions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from edugov.accounts.decorators import staff_required
from edugov.accounts.http import AuthedRequest
from edugov.accounts.models import Organisation, User
from edugov.accounts.selectors import access_bureau
from edugov.cases.models import Case
from edugov.cases.permissions import can_act_on_case
from edugov.kernel import query
from edugov.kernel.errors import ValidationFailed
from edugov.kernel.forms import first_error, submit
from edugov.kernel.replica import reads_replica
from edugov.kernel.xlsx import Column, write_workbook

from . import actions, selectors
from . import forms as lf
from .models import DocStatus
from .permissions import can_keep_advisers, can_publish_catalogue, can_work_on_legality

TABS = ("documents", "decisions", "contracts", "opinions", "advisers")


def _bureau(request: AuthedRequest) -> Organisation:
    return access_bureau(request.user, lambda b: can_work_on_legality(request.user, b))


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, settings.EDUGOV["PAGE_SIZE"]).get_page(request.GET.get("page"))


@staff_required
@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    tab = request.GET.get("tab") or "documents"
    return _home(request, tab if tab in TABS else "documents")


def _home(request: AuthedRequest, tab: str, form: forms.Form | None = None, status: int = 200,
          cleanup_form: lf.CleanupForm | None = None) -> HttpResponse:
    bureau = _bureau(request)
    user = request.user
    today = timezone.localdate()
    year = query.year(request)
    context: dict[str, Any] = {"tab": tab, "tabs": _tab_labels(), "year": year, "bureau": bureau,
                               "can_keep_advisers": can_keep_advisers(user, bureau),
                               "can_publish_catalogue": can_publish_catalogue(user, bureau)}
    if tab == "documents":
        status_filter = request.GET.get("status", "")
        qs = selectors.documents_of(bureau)
        if status_filter in DocStatus.values:
            qs = qs.filter(status=status_filter)
        if request.GET.get("export") == "xlsx":
            return _documents_xlsx(request, qs)
        in_force = list(selectors.in_force(bureau))
        context.update(page=_page(request, qs), status=status_filter, statuses=DocStatus.choices,
                       form=form or lf.NormativeDraftForm(actor=user, prefix="doc"),
                       cleanup_form=cleanup_form or (lf.CleanupForm(documents=in_force, prefix="cleanup")
                                                     if in_force else None),
                       cleanups=selectors.cleanups_of(bureau)[:5])
    elif tab == "decisions":
        catalogue = selectors.catalogue_of(bureau, year)
        context.update(page=_page(request, selectors.decisions_of(bureau, year)), catalogue=catalogue,
                       form=form or lf.DecisionCatalogueForm(prefix="decision", initial={"year": year}),
                       publish_form=lf.CataloguePublishForm(prefix="catalogue", initial={"year": year}))
    elif tab == "contracts":
        context.update(page=_page(request, selectors.contracts_of(bureau)),
                       form=form or lf.ContractForm(prefix="contract"))
    elif tab == "opinions":
        qs = selectors.opinions_of(bureau)
        answered = qs.filter(followed__isnull=False)
        context.update(page=_page(request, qs), form=form or lf.OpinionAskForm(actor=user, prefix="opinion"),
                       asked=qs.count(), concluded=answered.count(), followed=answered.filter(followed=True).count())
    else:
        context.update(page=_page(request, selectors.advisers_of(bureau)), today=today,
                       form=form or lf.AdviserForm(prefix="adviser"))
    return render(request, "legality/home.html", context, status=status)


def _tab_labels() -> list[tuple[str, str]]:
    return [("documents", _("Normative documents")), ("decisions", _("Major administrative decisions")),
            ("contracts", _("Contracts")), ("opinions", _("Legal adviser's opinions")),
            ("advisers", _("Legal advisers"))]


def _documents_xlsx(request: AuthedRequest, qs: Any) -> HttpResponse:
    cols = [Column("number", _("Document number")), Column("title", _("Title")), Column("status", _("Status")),
            Column("issued", _("Issued and published on")), Column("effective", _("Takes effect on")),
            Column("filed", _("Filed on")), Column("ended", _("Amended or repealed on"))]
    rows = ([d.number, d.title, d.get_status_display(), d.issued_on, d.effective_on, d.filed_on, d.ended_on]
            for d in qs[:50000])
    response = HttpResponse(write_workbook(cols, rows, title=_("Normative documents")),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="normative-documents-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


def _start(request: AuthedRequest, tab: str, form: forms.Form, act: Callable[[dict[str, Any]], Any]) -> HttpResponse:
    done, result = submit(form, act)
    if not done:
        return _home(request, tab, form, status=400)
    if isinstance(result, Case):
        return redirect(result)
    case = getattr(result, "case", None)
    messages.success(request, _("Recorded."))
    return redirect(case) if isinstance(case, Case) else redirect(f"{reverse('legality:home')}?tab={tab}")


@staff_required
@require_POST
def document_draft(request: AuthedRequest) -> HttpResponse:
    bureau = _bureau(request)
    form = lf.NormativeDraftForm(request.POST, actor=request.user, prefix="doc")
    return _start(request, "documents", form, lambda d: actions.normative_draft(
        actor=request.user, organisation=bureau, title=d["title"], summary=d["summary"], body=d["body"],
        market_related=d["market_related"], replaces=d["replaces"]))


@staff_required
@require_POST
def decision_catalogue(request: AuthedRequest) -> HttpResponse:
    bureau = _bureau(request)
    form = lf.DecisionCatalogueForm(request.POST, prefix="decision")
    return _start(request, "decisions", form, lambda d: actions.decision_catalogue(
        actor=request.user, organisation=bureau, year=d["year"], title=d["title"], description=d["description"]))


@staff_required
@require_POST
def catalogue_publish(request: AuthedRequest) -> HttpResponse:
    bureau = _bureau(request)
    form = lf.CataloguePublishForm(request.POST, prefix="catalogue")
    done, catalogue = submit(form, lambda d: actions.catalogue_publish(actor=request.user, organisation=bureau,
                                                                       year=d["year"]))
    if not done:
        messages.error(request, first_error(form))
        return redirect(f"{reverse('legality:home')}?tab=decisions")
    messages.success(request, _("The %(year)d catalogue is published.") % {"year": catalogue.year})
    return redirect(f"{reverse('legality:home')}?tab=decisions&year={catalogue.year}")


@staff_required
@require_POST
def contract_draft(request: AuthedRequest) -> HttpResponse:
    bureau = _bureau(request)
    form = lf.ContractForm(request.POST, prefix="contract")
    return _start(request, "contracts", form, lambda d: actions.contract_draft(
        actor=request.user, organisation=bureau, title=d["title"], counterparty=d["counterparty"], amount=d["amount"]))


@staff_required
@require_POST
def opinion_ask(request: AuthedRequest) -> HttpResponse:
    bureau = _bureau(request)
    form = lf.OpinionAskForm(request.POST, actor=request.user, prefix="opinion")
    return _start(request, "opinions", form, lambda d: actions.opinion_ask(
        actor=request.user, organisation=bureau, adviser=d["adviser"], subject_kind=d["subject_kind"],
        question=d["question"], subject=d["subject"]))


@staff_required
@require_POST
def adviser_add(request: AuthedRequest) -> HttpResponse:
    bureau = _bureau(request)
    form = lf.AdviserForm(request.POST, prefix="adviser")
    return _start(request, "advisers", form, lambda d: actions.adviser_add(actor=request.user, organisation=bureau, **d))


@staff_required
@require_POST
def document_cleanup(request: AuthedRequest) -> HttpResponse:
    bureau = _bureau(request)
    form = lf.CleanupForm(request.POST, documents=list(selectors.in_force(bureau)), prefix="cleanup")
    done, result = submit(form, lambda d: actions.cleanup(actor=request.user, organisation=bureau, note=d["note"],
                                                          outcomes=form.outcomes(), reasons=form.reasons()))
    if not done:
        return _home(request, "documents", status=400, cleanup_form=form)
    messages.success(request, _("Clean-up recorded: %(k)d kept, %(a)d to be amended, %(r)d repealed.")
                     % {"k": result.kept, "a": result.to_amend, "r": result.repealed})
    return redirect(f"{reverse('legality:home')}?tab=documents")


# ---- the steps of a case -------------------------------------------------------------------------

def _v(d: dict[str, Any]) -> int | None:
    return d.get("version")


# (kind, step) → (form, action(user, case, form, data))
STEPS: dict[tuple[str, str], tuple[type[forms.Form], Callable[..., Any]]] = {
    ("normative_doc", "consult"): (lf.ConsultForm, lambda u, c, f, d: actions.normative_consult(
        actor=u, doc=c.normative_document, channel=d["channel"], expected_version=_v(d))),
    ("normative_doc", "submit_review"): (lf.FairCompetitionForm, lambda u, c, f, d: actions.normative_submit_review(
        actor=u, doc=c.normative_document, fair_competition=d["fair_competition"], expected_version=_v(d))),
    ("normative_doc", "review"): (lf.ReviewForm, lambda u, c, f, d: actions.normative_review(
        actor=u, doc=c.normative_document, passed=d["passed"] == "yes", opinion=d["opinion"], expected_version=_v(d))),
    ("normative_doc", "discuss"): (lf.DiscussForm, lambda u, c, f, d: actions.normative_discuss(
        actor=u, doc=c.normative_document, meeting=d["meeting"], discussed_on=d["discussed_on"],
        expected_version=_v(d))),
    ("normative_doc", "issue"): (lf.IssueForm, lambda u, c, f, d: actions.normative_issue(
        actor=u, doc=c.normative_document, effective_on=d["effective_on"], confirmed=d["confirmed"],
        expected_version=_v(d))),
    ("normative_doc", "file"): (lf.FileForm, lambda u, c, f, d: actions.normative_file(
        actor=u, doc=c.normative_document, filed_on=d["filed_on"], filing_body=d["filing_body"],
        expected_version=_v(d))),
    ("major_decision", "consult"): (lf.ConsultForm, lambda u, c, f, d: actions.decision_consult(
        actor=u, decision=c.major_decision, channel=d["channel"], expected_version=_v(d))),
    ("major_decision", "close_consultation"): (lf.ParticipationForm, lambda u, c, f, d:
                                               actions.decision_close_consultation(
        actor=u, decision=c.major_decision, participation=d["participation"], expected_version=_v(d))),
    ("major_decision", "assess"): (lf.AssessForm, lambda u, c, f, d: actions.decision_assess(
        actor=u, decision=c.major_decision, expert_argument=d["expert_argument"], risk_assessment=d["risk_assessment"],
        expected_version=_v(d))),
    ("major_decision", "submit_review"): (lf.StepForm, lambda u, c, f, d: actions.decision_submit_review(
        actor=u, decision=c.major_decision, expected_version=_v(d))),
    ("major_decision", "review"): (lf.ReviewForm, lambda u, c, f, d: actions.decision_review(
        actor=u, decision=c.major_decision, passed=d["passed"] == "yes", opinion=d["opinion"], expected_version=_v(d))),
    ("major_decision", "decide"): (lf.DecideForm, lambda u, c, f, d: actions.decision_decide(
        actor=u, decision=c.major_decision, meeting=d["meeting"], decided_on=d["decided_on"], text=d["text"],
        expected_version=_v(d))),
    ("major_decision", "publish"): (lf.StepForm, lambda u, c, f, d: actions.decision_publish(
        actor=u, decision=c.major_decision, expected_version=_v(d))),
    ("major_decision", "evaluate"): (lf.EvaluateForm, lambda u, c, f, d: actions.decision_evaluate(
        actor=u, decision=c.major_decision, evaluation=d["evaluation"])),
    ("contract", "submit_review"): (lf.ContractTextForm, lambda u, c, f, d: actions.contract_submit_review(
        actor=u, contract=c.contract, text=d["text"], expected_version=_v(d))),
    ("contract", "review"): (lf.ReviewForm, lambda u, c, f, d: actions.contract_review(
        actor=u, contract=c.contract, passed=d["passed"] == "yes", opinion=d["opinion"], expected_version=_v(d))),
    ("contract", "sign"): (lf.SignForm, lambda u, c, f, d: actions.contract_sign(
        actor=u, contract=c.contract, signed_on=d["signed_on"], signed_copy=d["signed_copy"], expected_version=_v(d))),
    ("legal_opinion", "answer"): (lf.AnswerForm, lambda u, c, f, d: actions.opinion_answer(
        actor=u, opinion=c.legal_opinion, answer=d["answer"], answered_on=d["answered_on"], expected_version=_v(d))),
    ("legal_opinion", "conclude"): (lf.ConcludeForm, lambda u, c, f, d: actions.opinion_conclude(
        actor=u, opinion=c.legal_opinion, followed=d["followed"] == "yes", note=d["note"], expected_version=_v(d))),
}
for _kind in ("normative_doc", "major_decision", "contract"):
    STEPS[(_kind, "withdraw")] = (lf.WithdrawForm, lambda u, c, f, d: _withdraw(u, c, d))
COMMENT_STEPS = {"comment_add", "comment_answer"}
# a review's two outcomes are one form (the reviewer chooses); evaluation is no transition of the engine
ALIASES = {"review_pass": "review", "review_return": "review"}
EXTRA = {"evaluate"}


def _withdraw(user: User, case: Case, d: dict[str, Any]) -> Any:
    if not d["confirmed"]:
        raise ValidationFailed(_("Please tick the confirmation box for “%(step)s”.") % {"step": _("Withdraw")})
    return actions.withdraw(actor=user, case=case, reason=d["reason"], expected_version=_v(d))


def _comment_act(name: str) -> Callable[..., Any]:
    if name == "comment_add":
        return lambda u, c, f, d: actions.comment_add(actor=u, case=c, received_on=d["received_on"], text=d["text"])
    return lambda u, c, f, d: actions.comment_answer(actor=u, comment=d["comment"], adoption=d["adoption"],
                                                     answer=d["answer"])


def _step_form(case: Case, name: str) -> tuple[type[forms.Form], Callable[..., Any], dict[str, Any]]:
    """The form class of a step, its action, and what the form is made with."""
    today = timezone.localdate()
    if name == "comment_add":
        return lf.CommentAddForm, _comment_act(name), {"prefix": name, "initial": {"received_on": today}}
    if name == "comment_answer":
        return lf.CommentAnswerForm, _comment_act(name), {"prefix": name, "case": case}
    entry = STEPS.get((case.kind, name))
    if entry is None:
        raise Http404
    form_class, act = entry
    initial = {"version": case.version, "discussed_on": today, "decided_on": today, "filed_on": today,
               "effective_on": today, "answered_on": today, "signed_on": today}
    return form_class, act, {"prefix": name, "initial": initial}


@staff_required
@require_POST
def step(request: AuthedRequest, pk: int, name: str) -> HttpResponse:
    """One step of a legality case, named by its URL, through its action; a refusal is said on the case page."""
    case = selectors.access_legality_case(request.user, pk)
    if name not in COMMENT_STEPS and name not in EXTRA:
        allowed = [t for t in case.workflow.available_from(case.state) if ALIASES.get(t.name, t.name) == name
                   and can_act_on_case(request.user, case, t.roles, t.assignee_may)]
        if not allowed:
            messages.error(request, _("You may not do this step on this case now (it is “%(state)s”).")
                           % {"state": case.state_label})
            return redirect(case)
    elif not can_work_on_legality(request.user, case.organisation):
        raise PermissionDenied
    form_class, act, made_with = _step_form(case, name)
    form = form_class(request.POST, request.FILES, **made_with)
    done, _result = submit(form, lambda d: act(request.user, case, form, d))
    if not done:
        messages.error(request, first_error(form))
    else:
        messages.success(request, _("Recorded."))
    return redirect(case)


def _unbound(case: Case, name: str) -> forms.Form:
    form_class, _act, made_with = _step_form(case, name)
    return form_class(**made_with)


def case_context(case: Case, viewer: Any) -> dict[str, Any]:
    """What the case page shows of a legality case: the record, the public comments and the forms of
    the steps the viewer may take now."""
    record = {"normative_doc": "normative_document", "major_decision": "major_decision", "contract": "contract",
              "legal_opinion": "legal_opinion"}[case.kind]
    names: list[tuple[str, str]] = []
    for t in case.workflow.available_from(case.state):
        if can_act_on_case(viewer, case, t.roles, t.assignee_may):
            name = ALIASES.get(t.name, t.name)
            label = _("Legality review") if name == "review" else str(t.label)
            if (name, label) not in names:
                names.append((name, label))
    worker = can_work_on_legality(viewer, case.organisation)
    if case.kind == "major_decision" and case.state == "published" and worker:
        names.append(("evaluate", _("Record the post-decision evaluation")))
    comments = list(selectors.comments_of(case)) if case.kind in ("normative_doc", "major_decision") else []
    if worker and case.state == "consultation":
        names.append(("comment_add", _("Record a comment received")))
    if worker and any(c.answered_on is None for c in comments):
        names.append(("comment_answer", _("Answer a comment")))
    return {"rec": getattr(case, record), "comments": comments,
            "legality_steps": [{"name": n, "label": label, "form": _unbound(case, n)} for n, label in names]}


# ---- what the public reads -----------------------------------------------------------------------

@require_GET
@reads_replica
def public_documents(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in (DocStatus.IN_FORCE, DocStatus.AMENDED, DocStatus.REPEALED, "drafts"):
        status = DocStatus.IN_FORCE
    qs = selectors.public_drafts() if status == "drafts" else selectors.public_documents(status)
    return render(request, "legality/public_documents.html", {
        "page": _page(request, qs), "status": status, "catalogues": selectors.public_catalogues()[:10],
        "choices": [(DocStatus.IN_FORCE, _("In force")), (DocStatus.AMENDED, _("Amended")),
                    (DocStatus.REPEALED, _("Repealed")), ("drafts", _("Drafts for comment"))]})


@require_GET
def public_document(request: HttpRequest, pk: int) -> HttpResponse:
    doc = selectors.access_public_document(pk)
    comments = selectors.comments_of(doc.case).filter(answered_on__isnull=False)
    return render(request, "legality/public_document.html", {"doc": doc, "comments": comments,
                                                             "clock": doc.case.clocks.filter(name="comment").first()})


@require_GET
@reads_replica
def public_catalogue(request: HttpRequest, pk: int) -> HttpResponse:
    catalogue = selectors.access_public_catalogue(pk)
    return render(request, "legality/public_catalogue.html", {
        "catalogue": catalogue, "decisions": selectors.catalogue_decisions(catalogue)})
