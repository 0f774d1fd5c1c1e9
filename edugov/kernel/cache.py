"""Django's cache, for what only speeds things up: a cache that does not answer (Redis down or
restarting) is logged and skipped, never an error page. Nothing that must be kept lives here."""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language_from_request

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


_NOT_KEPT = frozenset({"set-cookie", "x-request-id"})
CARE_COOKIE = "edugov_care"  # the large-text mode (portal's /care/), part of a cached page's key
_CARE = ("", "1")  # its values


def cached_for_the_public(seconds: int) -> Callable[..., Any]:
    """Mark a view's page as the same for every anonymous visitor: PublicPageCacheMiddleware keeps
    it for `seconds` (or until `public_pages_changed(path)`) and serves it before the rest of the
    middleware runs."""
    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = view(request, *args, **kwargs)
            response.public_cache_seconds = seconds  # type: ignore[attr-defined]
            return response
        return wrapped
    return decorate


def _page_key(path: str, language: str, care: str) -> str:
    return "page:" + hashlib.sha256(f"{path}|{language}|{care}".encode()).hexdigest()


def public_pages_changed(*paths: str) -> None:
    """What the cached pages at `paths` show has changed (a guide published or withdrawn): their
    copies, in every language and mode, are dropped. Called after the change commits."""
    keys = [_page_key(p, lang, care) for p in paths for lang, _name in settings.LANGUAGES for care in _CARE]
    try:
        cache.delete_many(keys)
    except Exception as exc:  # the copies expire by themselves (10 minutes at most)
        log.error("cache unavailable (public pages changed): a stale page may be served until it expires: %s", exc)


class PublicPageCacheMiddleware:
    """Serves anonymous visitors the pages marked with @cached_for_the_public from the cache, placed
    before the session and the rest, so that a cached page costs little more than a static file.

    Django's cache middleware cannot be used: it keys on the Cookie header, so a page for a
    signed-in citizen would be kept and every visitor with any cookie gets their own copy. Here only
    GETs without a query string and without a session or messages cookie are served or stored,
    keyed by the path, the language (resolved as LocaleMiddleware does) and the large-text mode:
    a few keys a page, which public_pages_changed() can name. The stored response carries the
    headers the later middleware set (CSP and the rest) but no cookie and no request id; a response
    that sets a cookie or is not a 200 is never stored."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (request.method != "GET" or request.META.get("QUERY_STRING") or not settings.EDUGOV.get("PAGE_CACHE", True)
                or settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES):
            return self.get_response(request)
        care = request.COOKIES.get(CARE_COOKIE, "")
        key = _page_key(request.path, get_language_from_request(request), care if care in _CARE else "")
        hit = cache_get(key)
        if hit is not None:
            status, headers, content = hit
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        seconds = getattr(response, "public_cache_seconds", None)
        if seconds and response.status_code == 200 and not response.cookies and not response.streaming:
            headers = [(h, v) for h, v in response.items() if h.lower() not in _NOT_KEPT]
            cache_set(key, (200, headers, response.content), seconds)
        return response
