"""The one shape of every access function (`<app>.selectors.access_<entity>`): lookup, scope and
permission in one call, as Zulip's `access_*_by_id`. A view, an API endpoint or an admin never
fetches a record by an id from the request in any other way.

`access` answers 404 when there is no such record (or the value is not an id at all), and 403 with
the app's own sentence when the record exists but the actor may not use it for `for_`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from .errors import ValidationFailed
from .validators import as_pk

T = TypeVar("T")


def access(queryset: QuerySet[Any], pk: object, allowed: Callable[[Any], bool], denied: str) -> Any:
    """The record of `queryset` with primary key `pk` that `allowed(record)` grants."""
    key = as_pk(pk)
    record = queryset.filter(pk=key).first() if key is not None else None
    if record is None:
        raise Http404
    if not allowed(record):
        raise PermissionDenied(denied)
    return record


def resolve(queryset: QuerySet[Any], pk: object, missing: str, field: str | None = None) -> Any:
    """An id posted in a form, resolved within `queryset` (already the actor's scope): a missing,
    foreign or malformed id is a `ValidationFailed` with `missing`, shown on the page like any other
    form error; nothing is written."""
    key = as_pk(pk)
    record = queryset.filter(pk=key).first() if key is not None else None
    if record is None:
        raise ValidationFailed(missing, field=field)
    return record
