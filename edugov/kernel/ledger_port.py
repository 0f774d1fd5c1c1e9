"""The port through which apps left of `audit` in the layer contract (kernel, accounts) write
ledger entries. `audit` registers its recorder in AppConfig.ready(); apps to its right call
`edugov.audit.ledger.record` directly, which is the same function."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured

_recorder: Callable[..., Any] | None = None


def register(recorder: Callable[..., Any]) -> None:
    global _recorder
    _recorder = recorder


def record(**kwargs: Any) -> Any:
    if _recorder is None:
        raise ImproperlyConfigured("edugov.audit is not installed: every write needs its ledger entry")
    return _recorder(**kwargs)
