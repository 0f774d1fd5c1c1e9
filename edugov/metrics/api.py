from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError
from ninja.security import django_auth

from . import registry, selectors
from .permissions import can_view_figures

router = Router(tags=["metrics"])


@router.get("", auth=django_auth, summary="Every registered metric for a year and an organisation (INTERFACES.md)")
def metrics(request: HttpRequest, year: int, org: str) -> dict[str, Any]:
    organisation = selectors.organisation_by_code(org)
    if organisation is None:
        raise HttpError(404, "no organisation with that code")
    if not can_view_figures(request.user, organisation):  # type: ignore[arg-type]
        raise HttpError(403, "you may not read this organisation's figures")
    if not 2000 <= year <= 2100:
        raise HttpError(400, "year must be a year such as 2024")
    period = registry.Period.year(year)
    return registry.as_json(period, organisation, registry.compute_all(period, organisation))
