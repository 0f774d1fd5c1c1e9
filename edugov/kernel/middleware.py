"""Request id (carried into every ledger entry) and the Content-Security-Policy header."""

from __future__ import annotations

import contextvars
import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

_TOKEN = re.compile(r"^[A-Za-z0-9_.:\-]+$")
_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("edugov_request_id", default="")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # A client may pass its own id (a load balancer's), but only as a plain token: it is
        # written into every ledger entry of the request.
        given = request.headers.get("X-Request-Id", "")[:64]
        rid = given if given and _TOKEN.match(given) else uuid.uuid4().hex
        token = _request_id.set(rid)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-Id"] = rid
        return response


# C0 control characters other than tab, line feed and carriage return, and the two non-characters:
# no person types them, PostgreSQL refuses NUL, and XML (Word, Excel, Open311) cannot hold any of them.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Characters that change how text reads without being seen: bidirectional overrides, embeddings
# and isolates (a school's name shown reversed), zero-width spaces and joiners' kin, direction
# marks, the word joiner and a byte-order mark inside text (a name that looks equal but is not).
# The zero-width joiner U+200D is let through: emoji sequences a citizen may paste are made of it.
DECEPTIVE_CHARACTERS = re.compile("[\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


class NullCharacterMiddleware:
    """A control character in the path, the query string or a form field is refused with 400,
    before any view could store it (see CONTROL_CHARACTERS)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        def has(pattern: re.Pattern[str], values: object) -> bool:
            return any(pattern.search(k) or any(pattern.search(v) for v in vs)
                       for k, vs in values.lists())  # type: ignore[attr-defined]

        form = request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data")
        posted = request.POST if request.method == "POST" and form else None
        from django.utils.translation import gettext as _

        if (CONTROL_CHARACTERS.search(request.path) or has(CONTROL_CHARACTERS, request.GET)
                or (posted is not None and has(CONTROL_CHARACTERS, posted))):
            return HttpResponse(_("The request contains a control character (such as NUL), which no field accepts. "
                                  "Please retype the text rather than pasting it."), status=400,
                                content_type="text/plain; charset=utf-8")
        if has(DECEPTIVE_CHARACTERS, request.GET) or (posted is not None and has(DECEPTIVE_CHARACTERS, posted)):
            return HttpResponse(_("The text contains an invisible or direction-changing character (such as a "
                                  "right-to-left override), which could disguise what it says. Please retype the "
                                  "text rather than pasting it."), status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    """Every asset is served locally and no page runs inline script."""

    POLICY = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/admin/") and not request.path.startswith("/api/v1/docs"):
            response.setdefault("Content-Security-Policy", self.POLICY)
        return response
