"""The request type of pages behind a sign-in: `request.user` is a `User`, not an anonymous one,
so views pass it to actions without a `# type: ignore` each time. Only for views wrapped in
`login_required`, `staff_required` or a decorator that guarantees the same."""

from __future__ import annotations

from django.http import HttpRequest

from .models import User


class AuthedRequest(HttpRequest):
    user: User  # narrowed: the decorators let no anonymous visitor in
