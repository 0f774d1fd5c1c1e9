from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

EXEMPT = ("/accounts/otp/", "/accounts/logout/", "/static/", "/i18n/")


class StaffSecondFactorMiddleware:
    """Under production settings staff must pass a TOTP second factor before any page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (settings.EDUGOV.get("REQUIRE_STAFF_OTP") and user is not None and user.is_authenticated
                and not user.is_public and not user.is_verified()
                and not request.path.startswith(EXEMPT)):
            return redirect("accounts:otp")
        return self.get_response(request)
