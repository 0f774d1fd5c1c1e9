from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from edugov.accounts.permissions import is_staff_user
from edugov.cases.models import Case


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


@login_required(login_url="accounts:phone_login")
def my_matters(request: HttpRequest) -> HttpResponse:
    """A citizen's own matters across services, enrollment and complaints."""
    if is_staff_user(request.user):  # type: ignore[arg-type]
        return redirect("cases:workbench")
    user = request.user
    mine = Q(applicant=user)
    if user.phone_index:  # type: ignore[union-attr]
        # a service application made for them at the counter, with this mobile number
        mine |= Q(applicant__isnull=True, kind="service", contact_phone_index=user.phone_index)  # type: ignore[union-attr]
    cases = Case.objects.filter(mine).select_related("application").order_by("-opened_at")[:100]
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
