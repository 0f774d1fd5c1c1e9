"""The JSON API under /api/v1/ (django-ninja); OpenAPI at /api/v1/openapi.json, read at /api/v1/docs.

This module only assembles the routers each app declares in its own `api.py`."""

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from edugov.audit.api import router as audit_router
from edugov.documents.api import router as documents_router
from edugov.draws.api import router as draws_router
from edugov.kernel.ratelimit import Throttled
from edugov.metrics.api import router as metrics_router
from edugov.portal.api import router as agency_router

api = NinjaAPI(title="edugov API", version="1", urls_namespace="api",
               description="Published draws and the audit tree for anyone; figures for signed-in staff; "
                           "the agency API for other government systems with a key from "
                           "`edugov apikey create` sent as `Authorization: Bearer <key>`, rate-limited per key "
                           "(429 with Retry-After when over).")
api.add_router("/audit/", audit_router)
api.add_router("/public/", draws_router)
api.add_router("/public/documents/", documents_router)
api.add_router("/metrics", metrics_router)
api.add_router("/agency/", agency_router)


@api.exception_handler(Throttled)
def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    response = api.create_response(request, {"detail": str(exc)}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response
