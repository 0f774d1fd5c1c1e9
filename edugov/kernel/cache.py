"""Django's cache, for what only speeds things up: a cache that does not answer (Redis down or
restarting) is logged and skipped, never an error page. Nothing that must be kept lives here."""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache import cache

log = logging.getLogger("edugov.cache")


def cache_get(key: str) -> Any:
    try:
        return cache.get(key)
    except Exception as exc:  # the Redis client raises its own ConnectionError/TimeoutError types
        log.warning("cache unavailable (get %s): %s", key, exc)
        return None


def cache_set(key: str, value: Any, seconds: int) -> None:
    try:
        cache.set(key, value, seconds)
    except Exception as exc:
        log.warning("cache unavailable (set %s): %s", key, exc)


def cache_delete(key: str) -> None:
    """If the delete cannot reach the cache, the copy there expires by itself (calendar: 5 minutes)."""
    try:
        cache.delete(key)
    except Exception as exc:
        log.error("cache unavailable (delete %s): a stale copy may be served until it expires: %s", key, exc)
