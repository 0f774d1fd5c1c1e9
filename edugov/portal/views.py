from __future__ import annotations

import itertools

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from edugov.draws import opendata as draws_published
from edugov.enforcement import opendata as enforcement_published
from edugov.enforcement.models import PublicationKind
from edugov.enrollment.opendata import PUBLISHED as RESULTS_PUBLISHED
from edugov.kernel import publishing, ratelimit
from edugov.kernel.cache import CARE_COOKIE, cached_for_the_public
from edugov.kernel.replica import freshness, reads_replica
from edugov.services import opendata as services_published

from . import opendata, search, selectors
from .forms import CareForm
from .permissions import has_own_matters


@cached_for_the_public(300)
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


@reads_replica
def open_government(request: HttpRequest) -> HttpResponse:
    """信息公开: one page leading to everything the bureau publishes, newest first in each part."""
    publications = enforcement_published.published()
    decisions = services_published.published_decisions()
    draws = draws_published.published()
    results = selectors.intakes_with_results(RESULTS_PUBLISHED)
    reports = publishing.get("reports")
    return render(request, "portal/open.html", {
        "penalties": publications.filter(kind=PublicationKind.PENALTY).order_by("-published_at", "-id")[:5],
        "inspections": publications.filter(kind=PublicationKind.INSPECTION).order_by("-published_at", "-id")[:5],
        "publication_count": publications.count(),
        "decisions": decisions.select_related("item", "case").order_by("-published_at", "-id")[:5],
        "decision_count": decisions.count(),
        "draws": draws.only("draw_id", "purpose", "drawn_at").order_by("-drawn_at", "-id")[:5],
        "draw_count": draws.count(),
        "results": results.order_by("-results_published_at")[:5],
        "reports": list(itertools.islice(reports.rows(), 5)) if reports else []})


@reads_replica
def open_data(request: HttpRequest) -> HttpResponse:
    """数据开放: the datasets, each with its size, update date, licence and two formats."""
    return render(request, "portal/open_data.html", {"datasets": opendata.summary(), "licence": opendata.LICENCE,
                                                     "licence_url": opendata.LICENCE_URL, "fresh": freshness()})


def dataset(request: HttpRequest, slug: str, fmt: str) -> StreamingHttpResponse:
    found = publishing.get(slug)
    if found is None or fmt not in ("csv", "json"):
        raise Http404
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "csv":
        response = StreamingHttpResponse(opendata.as_csv(found), content_type="text/csv; charset=utf-8")
    else:
        response = StreamingHttpResponse(opendata.as_json(found, request.build_absolute_uri(request.path)),
                                         content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}-{stamp}.{fmt}"'
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site may read it
    return response


def site_search(request: HttpRequest) -> HttpResponse:
    """搜索: guides, published items and the registers' names, in Chinese or by pinyin initials."""
    query = request.GET.get("q", "").strip()[:search.MAX_QUERY]
    kind = request.GET.get("kind", "")
    kind = kind if kind in search.LABELS else ""
    words: list[str] = []
    results: dict[str, list[search.Hit]] = {}
    if query:
        verdict = ratelimit.check(request, "search", ratelimit.rate("search"))
        if verdict.limited:
            return ratelimit.too_many(request, verdict)
        words, results = search.search(query, kind)
    shown = search.PER_SOURCE if kind else 20
    sections = [(k, search.LABELS[k], hits[:shown], len(hits)) for k, hits in results.items()]
    return render(request, "portal/search.html", {"q": query, "kind": kind, "words": words, "sections": sections,
                                                  "total": sum(len(h) for h in results.values()),
                                                  "kinds": list(search.LABELS.items())})


@csrf_exempt  # a display preference, like the language switch (see config/urls.py)
@require_POST
def care_mode(request: HttpRequest) -> HttpResponseRedirect:
    """适老化: larger text and stronger contrast, kept in a cookie for a year (no account needed)."""
    form = CareForm(request.POST)
    form.is_valid()  # both fields are optional: a missing or odd value means "off", back to the home page
    target = form.cleaned_data.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    if form.cleaned_data.get("care") == "on":
        response.set_cookie(CARE_COOKIE, "1", max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    else:
        response.delete_cookie(CARE_COOKIE, samesite="Lax")
    return response


@login_required(login_url="accounts:phone_login")
def my_matters(request: HttpRequest) -> HttpResponse:
    """A citizen's own matters across services, enrollment and complaints."""
    if not has_own_matters(request.user):  # type: ignore[arg-type]
        return redirect("cases:workbench")
    cases = selectors.my_cases(request.user)  # type: ignore[arg-type]
    return render(request, "portal/my.html", {"cases": cases})


def healthz(request: HttpRequest) -> HttpResponse:
    """For the load balancer and monitoring: the database (503 when it does not answer), the
    broker (reported; pages keep working without it), and how far the ledger's tree lags."""
    from django.conf import settings
    from django.db import connection

    from edugov.audit.ledger import pending_count

    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
        lag = pending_count()
    except Exception:  # a database fault is reported, not raised
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    broker = "eager"
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        try:
            import redis

            redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=1).ping()
            broker = "ok"
        except Exception:  # reported, not raised: submissions keep working, tasks wait
            broker = "unavailable"
    return HttpResponse(f"ok\nbroker {broker}\nledger_pending {lag}\n", content_type="text/plain")
