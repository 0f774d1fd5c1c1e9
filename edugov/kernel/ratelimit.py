"""Rate limits for what the public and other systems may do without limit otherwise: public forms,
query-code look-ups, the agency API. Counting is django-ratelimit's (fixed windows in the shared
cache, atomic increments in Redis); this module only adds what every caller needs: the client's
address behind the bureau's proxy, a cache that does not answer is skipped rather than turning the
public site away, and the Chinese answer with Retry-After.

No captcha service: the bureau's intranet reaches none, and limits per address and per phone
number stop the abuse a captcha would (guessing query codes, flooding the complaint form)."""

from __future__ import annotations

import functools
import ipaddress
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

from .validators import normalise_mobile

log = logging.getLogger("edugov.ratelimit")


def client_ip(request: HttpRequest) -> str | None:
    """The visitor's address: REMOTE_ADDR, or the header the bureau's own proxy sets
    (EDUGOV["CLIENT_ADDRESS_HEADER"], e.g. HTTP_X_REAL_IP) when one is configured. A header is
    only trusted when configured: otherwise anyone could claim any address. The proxy's own entry
    is the last one; anything before it came from the client and is forgeable. None when there is
    no valid address. django-axes (the staff sign-in lockout) reads it here too
    (AXES_CLIENT_IP_CALLABLE)."""
    header = settings.EDUGOV.get("CLIENT_ADDRESS_HEADER")
    value = request.META.get(header, "") if header else ""
    candidate = (value.split(",")[-1].strip() if value else request.META.get("REMOTE_ADDR", "")) or ""
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str:
    """`client_ip`, or "unknown" as a rate-limit key when there is none."""
    return client_ip(request) or "unknown"


class Throttled(Exception):
    """Raised by an API endpoint over its limit; the API answers 429 with Retry-After (edugov.api)."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many requests; retry after {retry_after} seconds")
        self.retry_after = retry_after


@dataclass(frozen=True)
class Verdict:
    limited: bool
    retry_after: int  # seconds until the window ends (0 when not limited)


def check(request: HttpRequest, group: str, rate: str, key: str | Callable[[str, HttpRequest], str] = "address",
          increment: bool = True) -> Verdict:
    """Count one use of `group` by `key` (the client address by default, or e.g. "post:phone")
    against `rate` ("10/m", "100/h") and say whether it is over."""
    if key == "address":
        key = _address_key
    elif callable(key):
        value = key(group, request)
        if not value:  # nothing to count by (e.g. no phone number given): another limit covers it
            return Verdict(False, 0)
        key = lambda g, r: value  # noqa: E731  (computed once)
    try:
        usage: dict[str, Any] | None = get_usage(request, group=group, key=key, rate=rate, increment=increment)
    except Exception as exc:  # the cache is down: a speed-bump, not a gate; log and let the visitor through
        log.warning("rate limit %s not counted (cache unavailable): %s", group, exc)
        return Verdict(False, 0)
    if not usage or not usage["should_limit"]:
        return Verdict(False, 0)
    return Verdict(True, max(1, int(usage["time_left"])))


def _address_key(group: str, request: HttpRequest) -> str:
    return client_address(request)


def normalised_phone(field: str) -> Callable[[str, HttpRequest], str]:
    """A key: the posted mobile number in `field`, in its one normalised form (so ``+86 135-…``
    counts against the same limit as ``135…``); not counted when empty."""
    return lambda group, request: normalise_mobile(request.POST.get(field, ""))


def rate(name: str) -> str:
    """The configured rate for a named limit (settings EDUGOV["RATE_LIMITS"])."""
    return str(settings.EDUGOV["RATE_LIMITS"][name])


def too_many(request: HttpRequest, verdict: Verdict) -> HttpResponse:
    """The page a limited visitor sees: what happened, when to try again, nothing lost."""
    minutes = max(1, (verdict.retry_after + 59) // 60)
    response = render(request, "429.html", {
        "message": _("Too many attempts from your connection. Please try again in %(minutes)d minutes; "
                     "nothing you entered has been saved or lost.") % {"minutes": minutes}}, status=429)
    response["Retry-After"] = str(verdict.retry_after)
    return response


def limit_posts(name: str, key: str | Callable[[str, HttpRequest], str] = "address") -> Callable[..., Any]:
    """Decorate a public view: each POST counts against the named limit; over it, the 429 page."""
    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST":
                verdict = check(request, f"form.{name}", rate(name), key)
                if verdict.limited:
                    return too_many(request, verdict)
            return view(request, *args, **kwargs)
        return wrapped
    return decorate
