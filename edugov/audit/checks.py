"""Deploy checks of the full-process record (``edugov check --deploy``): the signing key lives
apart from the data it signs, and verifiers pin it (issue 23, pinned keys)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

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


@register(Tags.security, deploy=True)
def witnesses_configured(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """A rollback is caught only by a witness that keeps the newest head elsewhere (issue 23)."""
    from . import note

    found: list[CheckMessage] = []
    if settings.EDUGOV.get("AUDIT_ORIGIN", "").endswith(".invalid/ledger"):
        found.append(Error("EDUGOV_AUDIT_ORIGIN is not set: the ledger's checkpoints need a name unique to "
                           "this installation.", hint="e.g. EDUGOV_AUDIT_ORIGIN=edu.example.gov.cn/ledger",
                           id="edugov.E007"))
    witnesses = settings.EDUGOV.get("AUDIT_WITNESSES", [])
    if not witnesses:
        found.append(Warning("No witness is configured: a rollback of the database together with its tree heads "
                             "would pass audit verify.", hint="Set EDUGOV_AUDIT_WITNESSES (docs/operations.md, "
                             "Witnesses).", id="edugov.W008"))
    for w in witnesses:
        try:
            note.parse_vkey(w.get("vkey", ""))
        except note.NoteError as exc:
            found.append(Error(f"Witness {w.get('label') or w.get('url') or w.get('dir')}: no valid verifier key "
                               f"({exc}); a witness whose key is not pinned proves nothing.",
                               hint="Put the witness's vkey in EDUGOV_AUDIT_WITNESSES.", id="edugov.E008"))
    return found
