"""How personal data is shown to people whose role does not need it in full."""

from __future__ import annotations


def mask_identity_number(value: str | None) -> str:
    if not value:
        return ""
    return value[:4] + "*" * (len(value) - 8) + value[-4:] if len(value) > 8 else "*" * len(value)


def mask_phone(value: str | None) -> str:
    if not value:
        return ""
    return value[:3] + "****" + value[-4:] if len(value) >= 11 else value[:2] + "****"


def mask_name(value: str | None) -> str:
    if not value:
        return ""
    return value[0] + "*" * max(1, len(value) - 1)


def mask_address(value: str | None) -> str:
    if not value:
        return ""
    keep = min(6, max(2, len(value) // 3))
    return value[:keep] + "****"
