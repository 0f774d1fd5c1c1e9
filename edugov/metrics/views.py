from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.decorators import staff_required
from edugov.accounts.models import Organisation
from edugov.accounts.permissions import active_grants

from . import registry
from .permissions import can_view_figures


def _scope(request: HttpRequest) -> tuple[registry.Period, Organisation]:
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    code = request.GET.get("org")
    org = Organisation.objects.filter(code=code).first() if code else None
    if org is None:
        grant = active_grants(request.user)[0]  # type: ignore[arg-type]
        org = grant.organisation.bureau or grant.organisation
    if not can_view_figures(request.user, org):  # type: ignore[arg-type]
        raise PermissionDenied(_("You may not read this organisation's figures."))
    return registry.Period.year(year), org


@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    period, org = _scope(request)
    values = registry.compute_all(period, org)
    return render(request, "metrics/dashboard.html", {"values": values.values(), "period": period, "org": org,
                                                      "year": period.start.year})


@staff_required
def drilldown(request: HttpRequest, key: str) -> HttpResponse:
    period, org = _scope(request)
    try:
        metric = registry.get(key)
    except LookupError:
        raise Http404 from None
    value = registry.compute(metric, period, org)
    monthly = registry.series(metric, period.start.year, org) if metric.rule is None else []
    records = metric.records(period, org) if metric.records else None
    page = Paginator(records, settings.EDUGOV["PAGE_SIZE"]).get_page(request.GET.get("page")) if records is not None else None
    return render(request, "metrics/drilldown.html", {"metric": metric, "value": value, "page": page,
                                                      "period": period, "org": org, "monthly": monthly})
