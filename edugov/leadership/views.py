"""The leadership's records on one page (`/leadership/`): a tab per kind, the year's list with an
Excel export, and the form that adds one (each kind posts to its own URL)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from edugov.accounts.decorators import staff_required
from edugov.accounts.http import AuthedRequest
from edugov.accounts.models import Organisation
from edugov.accounts.selectors import access_bureau
from edugov.kernel import query
from edugov.kernel.forms import ActorForm, submit
from edugov.kernel.xlsx import Column, write_workbook

from . import actions, selectors
from . import forms as lf
from .permissions import can_keep_leadership

TABS = [("session", gettext_lazy("Study sessions")), ("lecture", gettext_lazy("Lectures in schools")),
        ("account", gettext_lazy("Accounts of duties (述法)")), ("report", gettext_lazy("Reports to the committee"))]


def _yes(value: bool) -> str:
    return _("Yes") if value else _("No")


# kind → the columns of its table and export: (label, value of a record)
COLUMNS: dict[str, list[tuple[Any, Callable[[Any], object]]]] = {
    "session": [(gettext_lazy("Date"), lambda o: o.held_on), (gettext_lazy("Meeting"), lambda o: o.get_kind_display()),
                (gettext_lazy("What was studied"), lambda o: o.topic), (gettext_lazy("Chaired by"), lambda o: o.chaired_by),
                (gettext_lazy("First item"), lambda o: _yes(o.first_topic)), (gettext_lazy("Of law"), lambda o: _yes(o.on_law)),
                (gettext_lazy("Present / expected"), lambda o: f"{o.attended}/{o.expected}")],
    "lecture": [(gettext_lazy("Date"), lambda o: o.held_on), (gettext_lazy("Title"), lambda o: o.title),
                (gettext_lazy("Where"), lambda o: o.place), (gettext_lazy("Given by"), lambda o: o.given_by or "—"),
                (gettext_lazy("Audience"), lambda o: o.audience)],
    "account": [(gettext_lazy("Given on"), lambda o: o.delivered_on), (gettext_lazy("Year"), lambda o: o.year),
                (gettext_lazy("Who"), lambda o: o.person), (gettext_lazy("Before"), lambda o: o.before),
                (gettext_lazy("What the account said"), lambda o: o.summary),
                (gettext_lazy("Assessment"), lambda o: o.assessment or "—")],
    "report": [(gettext_lazy("Heard on"), lambda o: o.heard_on), (gettext_lazy("Quarter"), lambda o: o.quarter),
               (gettext_lazy("What was reported"), lambda o: o.subject), (gettext_lazy("Reported by"), lambda o: o.reporter),
               (gettext_lazy("What the committee decided"), lambda o: o.follow_up or "—")],
}
ADDERS: dict[str, Callable[..., object]] = {"session": actions.session_add, "lecture": actions.lecture_add,
                                            "account": actions.account_add, "report": actions.report_heard}


def _bureau(request: AuthedRequest) -> Organisation:
    return access_bureau(request.user, lambda b: can_keep_leadership(request.user, b))


@staff_required
@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    kind = request.GET.get("kind") or "session"
    return _page(request, kind if kind in selectors.REGISTERS else "session")


def _page(request: AuthedRequest, kind: str, form: ActorForm | None = None, status: int = 200) -> HttpResponse:
    bureau = _bureau(request)
    year = query.year(request)
    qs = selectors.records_of(bureau, kind, year)
    columns = COLUMNS[kind]
    if request.GET.get("export") == "xlsx":
        rows = ([str(get(o)) for _label, get in columns] for o in qs[:50000])
        body = write_workbook([Column(f"c{i}", str(label)) for i, (label, _get) in enumerate(columns)], rows,
                              title=f"{kind}-{year}")
        response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="leadership-{kind}-{year}.xlsx"'
        return response
    page = Paginator(qs, settings.EDUGOV["PAGE_SIZE"]).get_page(request.GET.get("page"))
    today = timezone.localdate()
    if form is None:
        form = lf.FORMS[kind](actor=request.user, prefix=kind, initial={
            "held_on": today, "delivered_on": today, "heard_on": today, "year": today.year - 1})
    return render(request, "leadership/home.html", {
        "kind": kind, "tabs": TABS, "year": year, "page": page, "count": qs.count(), "form": form,
        "headers": [label for label, _get in columns],
        "rows": [[get(o) for _label, get in columns] for o in page],
        "quarters": selectors.quarters_heard(bureau, year) if kind == "report" else None}, status=status)


@staff_required
@require_POST
def add(request: AuthedRequest, kind: str) -> HttpResponse:
    """One record: a study session, a lecture, an account of duties or a report heard."""
    if kind not in selectors.REGISTERS:
        raise Http404
    bureau = _bureau(request)
    form_class = lf.FORMS[kind]
    form = form_class(request.POST, actor=request.user, prefix=kind)
    done, _item = submit(form, lambda d: ADDERS[kind](actor=request.user, organisation=bureau, **d))
    if not done:
        return _page(request, kind, form, status=400)
    messages.success(request, _("Recorded."))
    return redirect(f"{reverse('leadership:home')}?kind={kind}&year={query.year(request)}")
