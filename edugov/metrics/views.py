from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from edugov.accounts.decorators import staff_required
from edugov.accounts.models import Organisation
from edugov.accounts.permissions import active_grants
from edugov.accounts.selectors import access_organisation
from edugov.kernel import query
from edugov.kernel.replica import freshness, reads_replica

from . import registry, selectors
from .permissions import can_view_figures

# Panels other apps add to the dashboard (registered in their AppConfig.ready(), since metrics
# imports no domain): (viewer, organisation, year) → {"title", "header", "rows": [[(text, url)…]…]} or None.
DASHBOARD_PANELS: list[Any] = []


def _scope(request: HttpRequest) -> tuple[registry.Period, Organisation]:
    """The year and the organisation: ``?org=`` may name any organisation whose figures the actor
    reads (a city's staff choose a district); any other code is a 404."""
    year = query.year(request)
    grant = active_grants(request.user)[0]  # type: ignore[arg-type]
    org = access_organisation(request.user, lambda o: can_view_figures(request.user, o),  # type: ignore[arg-type]
                              request.GET.get("org"), grant.organisation.bureau or grant.organisation)
    return registry.Period.year(year), org


@staff_required
@reads_replica
def dashboard(request: HttpRequest) -> HttpResponse:
    """Every figure of the year beside last year's, grouped by module."""
    period, org = _scope(request)
    values = registry.compute_all(period, org)
    before = registry.compute_all(registry.Period.year(period.start.year - 1), org)
    groups: dict[str, list[dict[str, object]]] = {}
    for key, value in values.items():
        groups.setdefault(registry.group_title(key.split(".")[0]), []).append(
            {"v": value, "before": before[key], "change": registry.change(value, before[key])})
    panels = [p for p in (panel(request.user, org, period.start.year) for panel in DASHBOARD_PANELS) if p]
    return render(request, "metrics/dashboard.html", {"groups": groups, "period": period, "org": org,
                                                      "year": period.start.year, "panels": panels,
                                                      "fresh": freshness()})


@staff_required
@reads_replica
def drilldown(request: HttpRequest, key: str) -> HttpResponse:
    period, org = _scope(request)
    try:
        metric = registry.get(key)
    except LookupError:
        raise Http404 from None
    value = registry.compute(metric, period, org)
    monthly = []
    if metric.rule is None:
        last = registry.series(metric, period.start.year - 1, org)
        this = registry.series(metric, period.start.year, org)
        top = max([float(v.value or 0) for _, v in this + last] or [0]) or 1
        monthly = [{"month": m.start, "now": v, "before": b, "now_pct": 100 * float(v.value or 0) / top,
                    "before_pct": 100 * float(b.value or 0) / top} for (m, v), (_, b) in zip(this, last, strict=True)]
    units = []
    if metric.by_unit is not None:
        counts = metric.by_unit(period, org)
        names = selectors.organisations_by_id(counts)
        top = max(counts.values() or [0]) or 1
        units = [{"unit": names[pk], "n": n, "pct": 100 * n / top}
                 for pk, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if pk in names]
    records = registry.records_for(metric, period, org, request.user)
    page = Paginator(records, settings.EDUGOV["PAGE_SIZE"]).get_page(request.GET.get("page")) if records is not None else None
    return render(request, "metrics/drilldown.html", {"metric": metric, "value": value, "page": page, "units": units,
                                                      "period": period, "org": org, "monthly": monthly})
