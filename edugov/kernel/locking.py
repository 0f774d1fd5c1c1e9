"""Optimistic version locks: two clerks acting on one record. The form carries the version the
clerk saw; the action locks the row and refuses, saving nothing, when someone acted in between."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db import models

from .errors import Conflict

M = TypeVar("M", bound=models.Model)


def lock_version(instance: M, expected_version: int | None, stale: Callable[[M], str],
                 related: Sequence[str] = ()) -> M:
    """The row of `instance`, locked until commit (the row alone, not the joined ones), fresh from
    the database. With `expected_version` (what the clerk's page showed), a newer version raises
    Conflict with `stale(fresh)`: a polite sentence saying nothing was saved."""
    manager: Any = type(instance)._default_manager
    fresh: M = manager.select_for_update(of=("self",)).select_related(*related).get(pk=instance.pk)
    if expected_version is not None and getattr(fresh, "version") != expected_version:  # noqa: B009
        raise Conflict(stale(fresh))
    return fresh
