"""Citizens' query codes (查询码): what a complainant, a parent or a counter visitor is given to
follow or rate a matter without an account. One alphabet and one generator for all of them.

32 signs without 0/O and 1/I (codes are read out over the phone); 256 is a multiple of 32, so a
random byte modulo 32 is uniform. A 12-sign code carries 60 bits; look-ups by code are rate-limited
(RATE_LIMITS["lookup"]), so guessing one is out of reach."""

from __future__ import annotations

import secrets
import unicodedata

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new(length: int = 12, group: int = 4) -> str:
    """A fresh code, in groups of `group` signs joined by "-" (0: one block)."""
    signs = "".join(ALPHABET[b % len(ALPHABET)] for b in secrets.token_bytes(length))
    return canonical(signs, group)


def compact(code: str) -> str:
    """The signs alone, as typed in any case with any separators: "abcd efgh-jklm" → "ABCDEFGHJKLM".
    Full-width signs from a Chinese input method (ＡＢ７, "－", the ideographic space) are their ASCII
    selves (NFKC), so a code typed on a phone opens the same matter as one pasted from the receipt."""
    return "".join(c for c in unicodedata.normalize("NFKC", code or "").upper() if c in ALPHABET)


def canonical(code: str, group: int = 4) -> str:
    """The stored form: the signs in groups of `group` joined by "-"."""
    signs = compact(code)
    if not group:
        return signs
    return "-".join(signs[i:i + group] for i in range(0, len(signs), group))
