"""Deploy checks of the full-process record (``edugov check --deploy``): the signing key lives
apart from the data it signs, and verifiers pin it (issue 23, pinned keys)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register

from . import signing


@register(Tags.security, deploy=True)
def signing_key_apart_and_pinned(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    errors = []
    key = Path(settings.EDUGOV["SIGNING_KEY_FILE"]).resolve()
    data = Path(settings.VAR_DIR).resolve()
    if key.is_relative_to(data):
        errors.append(Error(f"The tree-signing key {key} is inside the data directory {data}: whoever can "
                            "rewrite the data (or restore a backup of it) could re-sign the history.",
                            hint="Set EDUGOV_SIGNING_KEY_FILE to a path outside it (docs/operations.md, Keys).",
                            id="edugov.E004"))
    pins = signing.pinned()
    if not pins:
        errors.append(Error("No tree-signing key is pinned: audit verify would accept a history re-signed "
                            "with any key found beside the data.",
                            hint="Set EDUGOV_AUDIT_PINNED_KEYS to the key's fingerprint (docs/operations.md).",
                            id="edugov.E005"))
    elif key.exists() and signing.fingerprint() not in pins:
        errors.append(Error(f"The tree-signing key in use ({signing.key_id()}) is not among the pinned keys: "
                            "every new tree head would fail audit verify.",
                            hint="Pin its fingerprint beside the old ones after a rotation.", id="edugov.E006"))
    return errors
