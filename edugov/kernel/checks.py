"""Deploy checks (``edugov check --deploy``): production refuses what only the demo may use."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register

from .sms import DEMO_BACKENDS


def fingerprint(key: str) -> str:
    """A key's fingerprint: the SHA-256 of its material (a data key's ``id:`` label and any
    prefix do not count: the same bytes under another name are the same key)."""
    material = key.split(":", 1)[1] if ":" in key and not key.startswith("-----") else key
    try:
        raw = base64.b64decode(material, validate=True)
    except ValueError:
        raw = material.encode()
    return hashlib.sha256(raw or material.encode()).hexdigest()


def _demo_fingerprints() -> set[str]:
    path = Path(settings.VAR_DIR) / "keys" / "demo-keys.json"
    if not path.exists():
        return set()
    data = json.loads(path.read_text())
    keys = [data.get("secret_key", ""), data.get("index_key", "")] + str(data.get("data_keys", "")).split(",")
    return {fingerprint(k) for k in keys if k}


@register(Tags.security, deploy=True)
def production_uses_no_demo_parts(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    errors = []
    backend = settings.EDUGOV.get("SMS_BACKEND", "")
    if backend in DEMO_BACKENDS:
        errors.append(Error(f"SMS_BACKEND is {backend}, which sends nothing: citizens would never get a code.",
                            hint="Set EDUGOV_SMS_BACKEND=edugov.kernel.sms.GatewayBackend and the EDUGOV_SMS_* "
                                 "settings (docs/operations.md).", id="edugov.E001"))
    if backend.endswith("GatewayBackend"):
        gateway = settings.EDUGOV.get("SMS_GATEWAY") or {}
        missing = [k for k in ("access_key_id", "access_key_secret", "sign_name", "template_code") if not gateway.get(k)]
        if missing:
            errors.append(Error(f"The SMS gateway lacks {', '.join(missing)}.", id="edugov.E002"))
    demo = _demo_fingerprints()
    in_use = {"SECRET_KEY": [settings.SECRET_KEY], "EDUGOV_INDEX_KEY": [settings.EDUGOV.get("INDEX_KEY", "")],
              "EDUGOV_DATA_KEYS": str(settings.EDUGOV.get("DATA_KEYS", "")).split(",")}
    for name, keys in in_use.items():
        if any(k and fingerprint(k) in demo for k in keys):
            errors.append(Error(f"{name} is a demo key (found in var/keys/demo-keys.json).",
                                hint="Generate production keys (docs/operations.md, Keys); never reuse the demo's.",
                                id="edugov.E003"))
    return errors
