"""Reads the figures' pages need beyond the registry: organisations by code or id."""

from __future__ import annotations

from collections.abc import Iterable

from edugov.accounts.models import Organisation


def organisation_by_code(code: str) -> Organisation | None:
    """The organisation with this code (the API checks the actor may read its figures)."""
    return Organisation.objects.filter(code=code).first()


def organisations_by_id(ids: Iterable[int]) -> dict[int, Organisation]:
    return Organisation.objects.in_bulk(list(ids))
