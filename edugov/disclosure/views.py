"""Disclosure requests (`/disclosure/`): the register and the intake form, each request's steps on its
case page (`disclosure:step`), and the reply as an official document (Word)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
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
from edugov.documents.models import DocumentKind
from edugov.documents.responses import download
from edugov.documents.selectors import documents_of
from edugov.kernel.forms import first_error, submit

from . import actions, letters, selectors
from . import forms as df
from .permissions import can_extend_disclosure, can_handle_disclosure


def _bureau(request: AuthedRequest) -> Organisation:
    return access_bureau(request.user, lambda b: can_handle_disclosure(request.user, b))


@staff_required
@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    return _home(request)


def _home(request: AuthedRequest, form: df.ReceiveForm | None = None, status: int = 200) -> HttpResponse:
    bureau = _bureau(request)
    page = Paginator(selectors.requests_of(bureau), settings.EDUGOV["PAGE_SIZE"]).get_page(request.GET.get("page"))
    return render(request, "disclosure/home.html", {
        "page": page, "year": timezone.localdate().year,
        "form": form or df.ReceiveForm(prefix="request", initial={"received_on": timezone.localdate()})},
        status=status)


@staff_required
@require_POST
def receive(request: AuthedRequest) -> HttpResponse:
    bureau = _bureau(request)
    form = df.ReceiveForm(request.POST, prefix="request")
    done, made = submit(form, lambda d: actions.request_receive(actor=request.user, organisation=bureau, **d))
    if not done:
        return _home(request, form, status=400)
    messages.success(request, _("Registered: the answer is due on %(day)s.")
                     % {"day": made.case.next_due_on.isoformat() if made.case.next_due_on else "—"})
    return redirect(made.case)


def _v(d: dict[str, Any]) -> int | None:
    return d.get("version")


STEPS: dict[str, tuple[type[forms.Form], Callable[..., Any]]] = {
    "ask_correction": (df.CorrectionForm, lambda u, r, d: actions.request_ask_correction(
        actor=u, request=r, what=d["what"], expected_version=_v(d))),
    "corrected": (df.CorrectedForm, lambda u, r, d: actions.request_corrected(
        actor=u, request=r, corrected_on=d["corrected_on"], description=d["description"], expected_version=_v(d))),
    "lapse": (df.LapseForm, lambda u, r, d: actions.request_lapse(
        actor=u, request=r, confirmed=d["confirmed"], expected_version=_v(d))),
    "consult": (df.ConsultForm, lambda u, r, d: actions.request_consult(
        actor=u, request=r, third_party=d["third_party"], expected_version=_v(d))),
    "consulted": (df.ConsultedForm, lambda u, r, d: actions.request_consulted(
        actor=u, request=r, opinion=d["opinion"], expected_version=_v(d))),
    "reply": (df.ReplyFormForm, lambda u, r, d: actions.request_reply(
        actor=u, request=r, form=d["form"], text=d["text"], refusal_reason=d["refusal_reason"],
        late_reason=d["late_reason"], expected_version=_v(d))),
    "extend": (df.ExtendForm, lambda u, r, d: actions.request_extend(actor=u, request=r, reason=d["reason"])),
}


def _initial(case: Case) -> dict[str, Any]:
    return {"version": case.version, "corrected_on": timezone.localdate()}


def _available(case: Case, viewer: Any) -> list[tuple[str, str]]:
    names = [(t.name, str(t.label)) for t in case.workflow.available_from(case.state)
             if t.name in STEPS and can_act_on_case(viewer, case, t.roles, t.assignee_may)]
    request = case.disclosure_request
    if case.state == "received" and not request.extended and can_extend_disclosure(viewer, case.organisation):
        names.append(("extend", _("Extend the answer period (once, 20 working days)")))
    return names


@staff_required
@require_POST
def step(request: AuthedRequest, pk: int, name: str) -> HttpResponse:
    case = selectors.access_disclosure_case(request.user, pk)
    if name not in dict(_available(case, request.user)):
        messages.error(request, _("You may not do this step on this case now (it is “%(state)s”).")
                       % {"state": case.state_label})
        return redirect(case)
    form_class, act = STEPS[name]
    form = form_class(request.POST, prefix=name)
    done, _result = submit(form, lambda d: act(request.user, case.disclosure_request, d))
    messages.success(request, _("Recorded.")) if done else messages.error(request, first_error(form))
    return redirect(case)


@staff_required
@require_GET
def reply_docx(request: AuthedRequest, pk: int) -> HttpResponse:
    """The reply as the bureau sends it (政府信息公开申请答复书), with its remedy sentence."""
    case = selectors.access_disclosure_case(request.user, pk)
    r = case.disclosure_request
    if r.replied_on is None:
        raise Http404
    doc = documents_of(letters.subject(r)).filter(kind=DocumentKind.OGI_REPLY).last()
    if doc is None:
        raise Http404
    return download(doc, "docx")


def case_context(case: Case, viewer: Any) -> dict[str, Any]:
    return {"req": case.disclosure_request,
            "disclosure_steps": [{"name": n, "label": label, "form": STEPS[n][0](prefix=n, initial=_initial(case))}
                                 for n, label in _available(case, viewer)]}
