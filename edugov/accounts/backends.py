from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import BaseBackend
from django.http import HttpRequest

from .models import User


class PhoneCodeBackend(BaseBackend):
    """Signs in a public user that `sms_code_verify` has already checked (passed as `verified_user`)."""

    def authenticate(self, request: HttpRequest | None, verified_user: User | None = None, **kw: Any) -> User | None:
        return verified_user

    def get_user(self, user_id: int) -> User | None:
        return User.objects.filter(pk=user_id, is_active=True).first()
