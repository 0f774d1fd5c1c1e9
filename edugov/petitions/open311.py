"""Open311 GeoReport v2 at /open311/v2/ (INTERFACES.md): other systems file and follow complaints.

A request posted here becomes a hotline case like any other (channel `open311`) and counts in the
figures. Location may be an `address_string` naming a school or institution. Errors are the
specification's list of {code, description} with 400, 403 or 404.

Privacy (PIPL): GET answers carry a request's description and address only for an API key of the
same bureau; without a key they give status, service, dates and the responsible unit.
An `Idempotency-Key` header makes a retried POST return the request already made."""

from __future__ import annotations

import datetime as dt
import uuid
import xml.etree.ElementTree as ET  # noqa: S405 - we only build XML, never parse any
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from edugov.accounts.actions import api_key_check
from edugov.accounts.models import Organisation
from edugov.kernel import query, ratelimit
from edugov.kernel.errors import EdugovError
from edugov.kernel.forms import first_error
from edugov.kernel.validators import as_pk, validate_mobile
from edugov.registries.models import Institution, School

from . import actions, selectors
from .forms import Open311KeyForm, ServiceRequestForm
from .models import Petition

MAX_REQUESTS = 1000


def _respond(data: Any, fmt: str, root: str, item: str, status: int = 200) -> HttpResponse:
    if fmt == "json":
        return JsonResponse(data, safe=False, status=status, json_dumps_params={"ensure_ascii": False})
    top = ET.Element(root)
    for entry in data if isinstance(data, list) else [data]:
        node = ET.SubElement(top, item) if isinstance(data, list) else top
        for key, value in entry.items():
            child = ET.SubElement(node, key)
            if isinstance(value, list):
                for v in value:
                    ET.SubElement(child, "item").text = str(v)
            elif value is not None:
                child.text = str(value).lower() if isinstance(value, bool) else str(value)
    body = b'<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(top, encoding="utf-8")
    return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")


def _error(status: int, description: str, fmt: str) -> HttpResponse:
    return _respond([{"code": status, "description": description}], fmt, "errors", "error", status)


def _posted_key(request: HttpRequest) -> str:
    return Open311KeyForm(request.POST).key()


def _bureau(request: HttpRequest) -> Organisation | None:
    key = api_key_check(_posted_key(request) or request.GET.get("api_key"))
    if key is not None:
        return key.organisation.bureau or key.organisation
    return selectors.public_hotline_bureau(request.GET.get("jurisdiction_id"))


def services(request: HttpRequest, fmt: str) -> HttpResponse:
    bureau = _bureau(request)
    if bureau is None:
        return _error(404, _("jurisdiction_id not found"), fmt)
    data = [{"service_code": str(c.pk), "service_name": c.name, "description": c.name, "metadata": False,
             "type": "realtime", "keywords": "", "group": bureau.name}
            for c in selectors.active_categories(bureau)]
    return _respond(data, fmt, "services", "service")


def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    bureau = _bureau(request)
    if bureau is None or selectors.category_of(bureau, code) is None:
        return _error(404, _("service_code not found"), fmt)
    return _respond({"service_code": code, "attributes": []}, fmt, "service_definition", "attribute")


def _as_request(p: Petition, full: bool) -> dict[str, Any]:
    case = p.case
    last = case.events.order_by("-at").values_list("at", flat=True).first() or case.opened_at
    data: dict[str, Any] = {
        "service_request_id": str(case.pk), "status": "open" if case.is_open else "closed",
        "status_notes": (p.result or p.triage_reason) if full else "", "service_name": p.category.name,
        "service_code": str(p.category_id), "description": p.description if full else None,
        "agency_responsible": str(case.department or case.organisation), "service_notice": case.reference,
        "requested_datetime": timezone.localtime(case.opened_at).isoformat(),
        "updated_datetime": timezone.localtime(last).isoformat(),
        "expected_datetime": case.next_due_on.isoformat() if case.next_due_on else None,
        "address": p.subject_label if full else None, "address_id": None, "zipcode": None,
        "lat": None, "long": None, "media_url": None,
    }
    return data


@csrf_exempt
@require_http_methods(["GET", "POST"])
def requests_view(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _post(request, fmt)
    bureau = _bureau(request)
    if bureau is None:
        return _error(404, _("jurisdiction_id not found"), fmt)
    key = api_key_check(request.GET.get("api_key"))
    full = key is not None and (key.organisation.bureau or key.organisation) == bureau
    qs: QuerySet[Petition] = selectors.requests_of(bureau)
    ids = request.GET.get("service_request_id")
    if ids:
        wanted = [pk for pk in (as_pk(i) for i in ids.split(",")) if pk is not None]
        qs = qs.filter(case__pk__in=wanted)
    else:
        try:
            end = query.moment(request, "end_date", timezone.now())
            start = query.moment(request, "start_date", end - dt.timedelta(days=90))  # type: ignore[operator]
        except query.BadQuery as exc:
            return _error(400, exc.message, fmt)
        qs = qs.filter(case__opened_at__gte=start, case__opened_at__lte=end)
        if request.GET.get("service_code"):
            qs = qs.filter(category_id__in=[pk for pk in map(as_pk, request.GET["service_code"].split(",")) if pk is not None])
        status = request.GET.get("status")
        if status in ("open", "closed"):
            qs = qs.filter(case__is_open=status == "open")
        elif status:
            return _error(400, _("status is open or closed"), fmt)
    # `page` and `page_size` (at most 1,000, the specification's cap) are the common GeoReport v2
    # extension for clients that poll: without them, the first 1,000 matching requests, newest first.
    page, size = as_pk(request.GET.get("page") or "1"), as_pk(request.GET.get("page_size") or str(MAX_REQUESTS))
    if not page or not size or page > 100_000:
        return _error(400, _("page and page_size are whole numbers from 1 (page_size at most 1000)"), fmt)
    size = min(size, MAX_REQUESTS)
    rows = qs[(page - 1) * size:page * size]
    return _respond([_as_request(p, full) for p in rows], fmt, "service_requests", "request")


def _post(request: HttpRequest, fmt: str) -> HttpResponse:
    form = ServiceRequestForm(request.POST)
    if not form.is_valid():  # a field longer than the specification's use: the form names it
        return _error(400, first_error(form), fmt)
    key = getattr(request, "edugov_api_key", None)  # the key _formats found (it read the same field)
    if key is None:
        return _error(403, _("api_key is missing or not valid"), fmt)
    bureau = key.organisation.bureau or key.organisation
    problem = form.problem()
    if problem:
        return _error(400, problem, fmt)
    data = form.cleaned_data
    code = data["service_code"].strip()
    category = selectors.category_of(bureau, code)
    if category is None:
        return _error(404, _("service_code not found"), fmt)
    phone = data["phone"].strip()
    if phone:
        try:
            phone = validate_mobile(phone)
        except EdugovError:
            return _error(400, _("phone is not an 11-digit mainland mobile number"), fmt)
    place = data["address_string"].strip()
    subject: dict[str, Any] = {}
    named = selectors.subject_named(bureau, place)
    if isinstance(named, School):
        subject["school"] = named
    elif isinstance(named, Institution):
        subject["institution"] = named
    else:
        subject["subject_text"] = place or f"{data['lat']},{data['long']}"
    token = request.headers.get("Idempotency-Key", "")[:60] or f"o311-{uuid.uuid4().hex}"
    try:
        intake = actions.petition_intake(
            actor=None, organisation=bureau, channel="open311", category=category,
            description=data["description"],
            complainant_name=(data["last_name"] + data["first_name"]).strip(),
            complainant_phone=phone, idempotency_key=f"{key.prefix}:{token}", client=f"apikey:{key.pk}", **subject)
    except EdugovError as exc:
        return _error(400, exc.message, fmt)
    case = intake.petition.case
    return _respond([{"service_request_id": str(case.pk), "token": token, "service_notice": case.reference,
                      "account_id": None}], fmt, "service_requests", "request", status=200 if intake.replayed else 201)


def request_detail(request: HttpRequest, rid: str, fmt: str) -> HttpResponse:
    bureau = _bureau(request)
    petition = selectors.request_of(bureau, rid) if bureau else None
    if petition is None:
        return _error(404, _("service_request_id not found"), fmt)
    key = api_key_check(request.GET.get("api_key"))
    full = key is not None and (key.organisation.bureau or key.organisation) == bureau
    return _respond([_as_request(petition, full)], fmt, "service_requests", "request")


def token_detail(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    key = api_key_check(request.GET.get("api_key"))
    petition = selectors.request_by_token(key.prefix, token) if key else None
    if petition is None:
        return _error(404, _("token not found (ask with the api_key that posted it)"), fmt)
    return _respond([{"service_request_id": str(petition.case.pk), "token": token}], fmt, "service_requests", "request")


def _formats(view: Any) -> Any:
    def wrapped(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
        if fmt not in ("json", "xml"):
            return _error(404, _("format is json or xml"), "json")
        write = request.method == "POST"
        # counted per key when the key is valid, else per address: made-up keys buy no extra requests
        valid = api_key_check(_posted_key(request) if write else request.GET.get("api_key"))
        verdict = ratelimit.check(request, "open311.write" if write else "open311.read",
                                  ratelimit.rate("open311_write" if write else "open311_read"),
                                  key=(lambda g, r: f"key:{valid.pk}") if valid else "address")
        request.edugov_api_key = valid  # type: ignore[attr-defined]  # looked up once per request
        if verdict.limited:
            response = _error(429, _("too many requests; retry after %(seconds)d seconds") % {"seconds": verdict.retry_after}, fmt)
            response["Retry-After"] = str(verdict.retry_after)
            return response
        return view(request, *args, fmt=fmt, **kwargs)

    return csrf_exempt(wrapped)


FMT = "<str:fmt>"
urlpatterns = [
    path(f"services.{FMT}", _formats(services)),
    path(f"services/<str:code>.{FMT}", _formats(service_definition)),
    path(f"requests.{FMT}", _formats(requests_view)),
    path(f"requests/<str:rid>.{FMT}", _formats(request_detail)),
    path(f"tokens/<str:token>.{FMT}", _formats(token_detail)),
]
