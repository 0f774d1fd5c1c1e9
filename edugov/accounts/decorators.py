from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from .permissions import is_staff_user

R = TypeVar("R", bound=HttpResponseBase)


def staff_required(view: Callable[..., R]) -> Callable[..., R]:
    """Signed in, and holding at least one active staff role: members of the public never reach
    a staff page, even one that would show them an empty list."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> R:
        if not is_staff_user(request.user):  # type: ignore[arg-type]
            raise PermissionDenied(_("This page is for bureau and school staff."))
        return view(request, *args, **kwargs)

    return wrapper
