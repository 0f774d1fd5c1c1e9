"""The register of cases against the bureau (`/remedies/`), one form per write, each case's steps on
its case page (`remedies:step`), and the evidence bundle's download."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from edugov.accounts.decorators import staff_required
from edugov.accounts.http import AuthedRequest
from edugov.accounts.models import Organisation
from edugov.accounts.selectors import access_bureau
from edugov.cases.models import Case
from edugov.cases.permissions import can_act_on_case
from edugov.kernel.forms import first_error, submit

from . import actions, selectors
from . import forms as rf
from .models import ChallengeKind
from .permissions import can_handle_remedies


def _bureau(request: AuthedRequest) -> Organisation:
    return access_bureau(request.user, lambda b: can_handle_remedies(request.user, b))


@staff_required
@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    return _home(request)


def _home(request: AuthedRequest, form: rf.ChallengeForm | None = None, status: int = 200) -> HttpResponse:
    bureau = _bureau(request)
    kind = request.GET.get("kind", "")
    qs = selectors.challenges_of(bureau)
    if kind in ChallengeKind.values:
        qs = qs.filter(kind=kind)
    page = Paginator(qs, settings.EDUGOV["PAGE_SIZE"]).get_page(request.GET.get("page"))
    return render(request, "remedies/home.html", {
        "page": page, "kind": kind, "kinds": ChallengeKind.choices,
        "form": form or rf.ChallengeForm(prefix="challenge", initial={"received_on": timezone.localdate()})},
        status=status)


@staff_required
@require_POST
def register(request: AuthedRequest) -> HttpResponse:
    bureau = _bureau(request)
    form = rf.ChallengeForm(request.POST, prefix="challenge")
    done, challenge = submit(form, lambda d: actions.challenge_register(
        actor=request.user, organisation=bureau, kind=d["kind"],
        contested=selectors.resolve_contested(bureau, d["contested"]) if d["contested"].strip() else None,
        contested_text=d["contested_text"], applicant=d["applicant"], body=d["body"],
        body_reference=d["body_reference"], received_on=d["received_on"], simplified=d["simplified"]))
    if not done:
        return _home(request, form, status=400)
    messages.success(request, _("Registered: the answer is due on %(day)s.")
                     % {"day": challenge.case.next_due_on.isoformat() if challenge.case.next_due_on else "—"})
    return redirect(challenge.case)


def _v(d: dict[str, Any]) -> int | None:
    return d.get("version")


STEPS: dict[str, tuple[type[forms.Form], Callable[..., Any]]] = {
    "answer": (rf.AnswerForm, lambda u, c, d: actions.challenge_answer(
        actor=u, challenge=c.challenge, answer=d["answer"], late_reason=d["late_reason"], expected_version=_v(d))),
    "hear": (rf.HearForm, lambda u, c, d: actions.challenge_hear(
        actor=u, challenge=c.challenge, hearing_on=d["hearing_on"], head_appeared=d["head_appeared"] == "yes",
        appeared=d["appeared"], reason=d["reason"], expected_version=_v(d))),
    "decide": (rf.DecideForm, lambda u, c, d: actions.challenge_decide(
        actor=u, challenge=c.challenge, outcome=d["outcome"], decided_on=d["decided_on"], text=d["text"],
        expected_version=_v(d))),
    "correct": (rf.CorrectForm, lambda u, c, d: actions.challenge_correct(
        actor=u, challenge=c.challenge, correction=d["correction"], expected_version=_v(d))),
}


def _initial(case: Case) -> dict[str, Any]:
    today = timezone.localdate()
    return {"version": case.version, "hearing_on": today, "decided_on": today}


@staff_required
@require_POST
def step(request: AuthedRequest, pk: int, name: str) -> HttpResponse:
    case = selectors.access_challenge_case(request.user, pk)
    allowed = [t for t in case.workflow.available_from(case.state) if t.name == name and name in STEPS
               and can_act_on_case(request.user, case, t.roles, t.assignee_may)]
    if not allowed:
        messages.error(request, _("You may not do this step on this case now (it is “%(state)s”).")
                       % {"state": case.state_label})
        return redirect(case)
    form_class, act = STEPS[name]
    form = form_class(request.POST, prefix=name)
    done, _result = submit(form, lambda d: act(request.user, case, d))
    messages.success(request, _("Recorded.")) if done else messages.error(request, first_error(form))
    return redirect(case)


@staff_required
@require_GET
def bundle(request: AuthedRequest, pk: int) -> HttpResponse:
    """The evidence bundle submitted with the answer, as it was."""
    from django.http import Http404

    case = selectors.access_challenge_case(request.user, pk)
    challenge = case.challenge
    if not challenge.bundle:
        raise Http404
    with challenge.bundle.open("rb") as fh:
        response = HttpResponse(fh.read(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="evidence-{case.pk}.zip"'
    return response


def case_context(case: Case, viewer: Any) -> dict[str, Any]:
    steps = [{"name": t.name, "label": t.label, "form": STEPS[t.name][0](prefix=t.name, initial=_initial(case))}
             for t in case.workflow.available_from(case.state)
             if t.name in STEPS and can_act_on_case(viewer, case, t.roles, t.assignee_may)]
    return {"challenge": case.challenge, "remedy_steps": steps}
