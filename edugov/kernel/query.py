"""Query-string parameters, read once and bounded.

A page or an API reads `?year=` or `?end_date=` through these functions, never
with `int()` or `fromisoformat()` of its own: a value outside what the platform accepts (year 0,
0001-01-01, a number longer than any column) is refused with `BadQuery`, whose message says what
is accepted. `BadQueryMiddleware` turns it into a 400 page (or JSON under /api/ and /open311/) in
the visitor's language; nothing is read from or written to the database with the bad value."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import ValidationFailed

# The years any record, figure or listing of the platform can be about.
FIRST_YEAR, LAST_YEAR = 1970, 2100
T = TypeVar("T")


class BadQuery(ValidationFailed):
    """A query-string parameter the platform does not accept; the message says what it accepts."""


def _read(request: HttpRequest, name: str, default: T, parse: Callable[[str], T], accepted: str) -> T:
    text = (request.GET.get(name) or "").strip()
    if not text:
        return default
    try:
        return parse(text)
    except (ValueError, OverflowError):
        raise BadQuery(_("The parameter %(name)s is not valid: %(accepted)s") % {"name": name, "accepted": accepted},
                       field=name) from None


def year(request: HttpRequest, name: str = "year", default: int | None = None) -> int:
    """A year from 1970 to 2100; this year when absent."""
    def parse(text: str) -> int:
        value = int(text) if text.isascii() and text.isdigit() and len(text) == 4 else 0
        if not FIRST_YEAR <= value <= LAST_YEAR:
            raise ValueError(text)
        return value

    return _read(request, name, default or timezone.localdate().year, parse,
                 _("a year of four digits from %(first)d to %(last)d, e.g. 2024") % {"first": FIRST_YEAR, "last": LAST_YEAR})


def date(request: HttpRequest, name: str, default: dt.date) -> dt.date:
    """A date (YYYY-MM-DD) from 1970 to 2100."""
    def parse(text: str) -> dt.date:
        value = dt.date.fromisoformat(text)
        if not FIRST_YEAR <= value.year <= LAST_YEAR or len(text) != 10:
            raise ValueError(text)
        return value

    return _read(request, name, default, parse,
                 _("a date such as 2024-05-06, from %(first)d to %(last)d") % {"first": FIRST_YEAR, "last": LAST_YEAR})


def _in_range(moment: dt.datetime) -> dt.datetime:
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ValueError(moment)
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def moment(request: HttpRequest, name: str, default: dt.datetime | None) -> dt.datetime | None:
    """A W3C (ISO 8601) date-time from 1970 to 2100, e.g. 2024-05-06T09:00:00+08:00; a date-time
    without an offset is in the platform's time zone."""
    return _read(request, name, default, lambda text: _in_range(dt.datetime.fromisoformat(text)),
                 _("a date-time such as 2024-05-06T09:00:00+08:00, from %(first)d to %(last)d")
                 % {"first": FIRST_YEAR, "last": LAST_YEAR})


class BadQueryMiddleware:
    """`BadQuery` raised by a view becomes a 400 that says what the parameter accepts."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, BadQuery):
            return None
        if request.path.startswith(("/api/", "/open311/")):
            return JsonResponse({"error": exception.message}, status=400, json_dumps_params={"ensure_ascii": False})
        return HttpResponse(loader.render_to_string("400.html", {"message": exception.message}, request), status=400)
