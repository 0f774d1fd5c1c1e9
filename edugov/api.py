"""The JSON API under /api/v1/ (django-ninja); OpenAPI at /api/v1/openapi.json.

This module only assembles the routers each app declares in its own `api.py`."""

from ninja import NinjaAPI

from edugov.audit.api import router as audit_router
from edugov.draws.api import router as draws_router
from edugov.metrics.api import router as metrics_router

api = NinjaAPI(title="edugov API", version="1", urls_namespace="api")
api.add_router("/audit/", audit_router)
api.add_router("/public/", draws_router)
api.add_router("/metrics", metrics_router)
