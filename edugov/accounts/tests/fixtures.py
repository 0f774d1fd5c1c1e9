"""Fixtures built from the accounts factories, for every app's tests (a plugin of the root conftest)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from edugov.accounts.tests.factories import GrantFactory


@pytest.fixture
def staff_at(db) -> Callable[..., Any]:
    """`staff_at(role, organisation)`: a new account holding that one role there."""

    def make(role: str, organisation: Any) -> Any:
        return GrantFactory(role=role, organisation=organisation).user

    return make
