"""The three registers on one page: add an entry, list the year's, export."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from edugov.accounts.decorators import staff_required
from edugov.accounts.models import Organisation, OrgKind
from edugov.accounts.permissions import can_read_within, reading_paths
from edugov.kernel.errors import EdugovError
from edugov.kernel.validators import as_pk
from edugov.kernel.xlsx import Column, write_workbook

from . import actions
from .models import Channel, Inquiry, Lecture, PublicationItem

KINDS = {"publication": PublicationItem, "inquiry": Inquiry, "lecture": Lecture}


def _bureau(request: HttpRequest) -> Organisation:
    paths = reading_paths(request.user)  # type: ignore[arg-type]
    for bureau in Organisation.objects.filter(kind=OrgKind.BUREAU).order_by("path"):
        if any(p.startswith(bureau.path) for p in paths) and can_read_within(request.user, bureau,  # type: ignore[arg-type]
                                                                             actions.WRITERS):
            return bureau
    raise PermissionDenied(_("The registers are kept by the bureau's departments."))


def _date(value: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        raise EdugovError(_("Please give the date as YYYY-MM-DD.")) from None


@staff_required
@require_http_methods(["GET", "POST"])
def registers(request: HttpRequest) -> HttpResponse:
    bureau = _bureau(request)
    kind = request.GET.get("kind") or request.POST.get("kind") or "publication"
    if kind not in KINDS:
        kind = "publication"
    if request.method == "POST":
        post = request.POST
        try:
            if kind == "publication":
                actions.add_publication(actor=request.user, organisation=bureau, title=post.get("title", ""),  # type: ignore[arg-type]
                                        category=post.get("category", ""), published_on=_date(post.get("date")),
                                        channel=post.get("channel", ""))
            elif kind == "inquiry":
                actions.add_inquiry(actor=request.user, organisation=bureau, received_on=_date(post.get("date")),  # type: ignore[arg-type]
                                    channel=post.get("channel", ""), summary=post.get("summary", ""),
                                    answered_on=_date(post.get("answered_on")),
                                    problem_solved=post.get("problem_solved") == "on")
            else:
                actions.add_lecture(actor=request.user, organisation=bureau, held_on=_date(post.get("date")),  # type: ignore[arg-type]
                                    title=post.get("title", ""), place=post.get("place", ""),
                                    audience=int(post.get("audience") or 0))
            messages.success(request, _("Recorded."))
            return redirect(f"{request.path}?kind={kind}")
        except (EdugovError, ValueError) as exc:
            messages.error(request, getattr(exc, "message", _("Please check the numbers you entered.")))
    year = as_pk(request.GET.get("year")) or timezone.localdate().year
    if not 2000 <= year <= 2100:
        year = timezone.localdate().year
    date_field = {"publication": "published_on", "inquiry": "received_on", "lecture": "held_on"}[kind]
    qs = KINDS[kind].objects.filter(organisation__path__startswith=bureau.path, **{f"{date_field}__year": year})
    if request.GET.get("export") == "xlsx":
        rows = ([str(getattr(o, date_field)), str(o)] + ([o.get_channel_display()] if hasattr(o, "channel") else [])
                for o in qs[:50000])
        response = HttpResponse(write_workbook([Column("date", _("Date")), Column("what", _("Title")),
                                                Column("channel", _("Channel"))], rows, title=f"{kind}-{year}"),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="{kind}-{year}.xlsx"'
        return response
    page = Paginator(qs, settings.EDUGOV["PAGE_SIZE"]).get_page(request.GET.get("page"))
    return render(request, "oversight/registers.html", {"kind": kind, "page": page, "year": year, "count": qs.count(),
                                                        "channels": Channel.choices, "post": request.POST,
                                                        "today": timezone.localdate()})
