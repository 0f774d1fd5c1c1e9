"""The port through which apps left of `audit` in the layer contract (kernel, accounts) write
ledger entries. `audit` registers its recorder in AppConfig.ready(); apps to its right call
`edugov.audit.ledger.record` directly, which is the same function."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
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


# ---- what an entry may hold -----------------------------------------------------------------
# Each action family declares the fields its entries record (an allow-list): `record` refuses any
# other key in `before`/`after`. A secret (a password, a TOTP secret, an API key, an SMS code, a
# private key) can never be declared, so it can never enter the permanent record; personal
# identifiers may be declared but are stored only as keyed digests (audit.ledger.SENSITIVE_KEYS).
# The family is the action's first part ("legal_vp" of "legal_vp.appoint"); a case kind declares
# through its workflow (cases.workflow.register adds the engine's own fields).

SECRET_NAME = re.compile(r"pass(word|wd|phrase)|token|otp_secret|totp|api_?key|sms_?code|private_key|signing_key|"
                         r"^key_material$|^raw_key$|^code_digest$", re.IGNORECASE)
_declared: dict[str, frozenset[str]] = {}


def declare(families: str | Iterable[str], fields: Iterable[str]) -> None:
    """Declare the fields the entries of `families` record (call once per module, at import)."""
    names = frozenset(fields)
    secret = sorted(n for n in names if SECRET_NAME.search(n))
    if secret:
        raise ImproperlyConfigured(f"a secret may never be recorded in the ledger: {secret}")
    for family in ([families] if isinstance(families, str) else families):
        _declared[family] = _declared.get(family, frozenset()) | names


def declared(action: str) -> frozenset[str]:
    """The fields an entry of `action` may record (one dict lookup: `record` is on every write)."""
    return _declared.get(action.split(".", 1)[0], frozenset())


# ---- how an entry reads ------------------------------------------------------------------------
# The ledger page writes each entry as a sentence: who, which family (行政处罚), what was done
# (作出决定). A case kind describes itself through its workflow (its title and its transitions'
# labels); other families are named by the audit app's own table (audit/describe.py).
_titles: dict[str, Any] = {}
_verbs: dict[str, dict[str, Any]] = {}


def describe(family: str, title: Any, verbs: dict[str, Any] | None = None) -> None:
    _titles[family] = title
    _verbs.setdefault(family, {}).update(verbs or {})


def family_title(family: str) -> Any:
    return _titles.get(family)


def verb_label(family: str, verb: str) -> Any:
    return _verbs.get(family, {}).get(verb)
