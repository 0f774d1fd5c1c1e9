"""Reads of the hotline's records that other apps ask for through registry hooks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count
from django.utils import timezone

from .models import Petition, Validity


def complaints_about_institutions(pks: Iterable[int], days: int = 365) -> dict[int, int]:
    """Valid complaints about each institution received in the last `days` days."""
    since = timezone.now() - dt.timedelta(days=days)
    rows = (Petition.objects.filter(institution_id__in=list(pks), validity=Validity.VALID, case__opened_at__gte=since)
            .values("institution_id").annotate(n=Count("id")))
    return {r["institution_id"]: r["n"] for r in rows}
