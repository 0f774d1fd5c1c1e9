"""Encryption of personal data at rest (AES-GCM) and the HMAC blind index for exact lookups.

Ciphertexts carry the id of the key that made them ("v1:<key id>:<base64 nonce+ciphertext>"),
so keys can rotate: the first key of EDUGOV_DATA_KEYS encrypts, every listed key decrypts,
and `edugov rotatekeys` re-encrypts old rows with the current key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from .validators import normalise_mobile

PREFIX = "v1"


@lru_cache(maxsize=8)
def _parse_keys(spec: str) -> tuple[str, dict[str, AESGCM]]:
    if not spec:
        raise ImproperlyConfigured("EDUGOV_DATA_KEYS is not set: personal data cannot be encrypted.")
    ring: dict[str, AESGCM] = {}
    current = ""
    for item in spec.split(","):
        key_id, _, b64 = item.strip().partition(":")
        raw = base64.b64decode(b64)
        if len(raw) != 32 or not key_id:
            raise ImproperlyConfigured("Each EDUGOV_DATA_KEYS item is 'id:base64 of 32 bytes'.")
        ring[key_id] = AESGCM(raw)
        current = current or key_id
    return current, ring


def _keyring() -> tuple[str, dict[str, AESGCM]]:
    return _parse_keys(settings.EDUGOV["DATA_KEYS"])


def current_key_id() -> str:
    return _keyring()[0]


def encrypt(plaintext: str) -> str:
    key_id, ring = _keyring()
    nonce = os.urandom(12)
    ct = ring[key_id].encrypt(nonce, plaintext.encode("utf-8"), key_id.encode())
    return f"{PREFIX}:{key_id}:{base64.b64encode(nonce + ct).decode()}"


def decrypt(token: str) -> str:
    prefix, key_id, b64 = token.split(":", 2)
    if prefix != PREFIX:
        raise ValueError("unknown ciphertext version")
    ring = _keyring()[1]
    if key_id not in ring:
        raise ImproperlyConfigured(f"data key {key_id!r} is not in EDUGOV_DATA_KEYS")
    raw = base64.b64decode(b64)
    return ring[key_id].decrypt(raw[:12], raw[12:], key_id.encode()).decode("utf-8")


def key_id_of(token: str) -> str:
    return token.split(":", 2)[1]


@lru_cache(maxsize=4)
def _index_key(spec: str) -> bytes:
    if not spec:
        raise ImproperlyConfigured("EDUGOV_INDEX_KEY is not set: encrypted fields cannot be looked up.")
    return base64.b64decode(spec)


def blind_index(value: str, *, purpose: str) -> str:
    """A keyed digest for exact-match lookups of an encrypted value (per purpose, so columns don't correlate)."""
    key = _index_key(settings.EDUGOV["INDEX_KEY"])
    if purpose == "phone":  # one number, however it is spelt (+86, dashes, full-width digits)
        value = normalise_mobile(value)
    normalized = "".join((value or "").split()).upper()
    return hmac.new(key, f"{purpose}\x00{normalized}".encode(), hashlib.sha256).hexdigest()[:32]


class Sealed:
    """A ciphertext read from the database and not yet needed. Saving it back stores it as is.

    Not a str on purpose: rows from values()/values_list() bypass the model's descriptor, and a
    ciphertext must never pass for the value. Rendering or comparing one decrypts it."""

    __slots__ = ("token",)

    def __init__(self, token: str) -> None:
        self.token = token

    def __str__(self) -> str:
        return decrypt(self.token)

    def __eq__(self, other: object) -> bool:
        return str(self) == (str(other) if isinstance(other, Sealed) else other)

    def __hash__(self) -> int:
        return hash(str(self))

    def __repr__(self) -> str:
        return "Sealed(…)"


class _LazyDecrypt:
    """Decrypts on first access, so a list that shows one encrypted field pays for that one only."""

    def __init__(self, field: EncryptedTextField) -> None:
        self.field = field

    def __get__(self, instance: Any, owner: Any = None) -> Any:
        if instance is None:
            return self
        value = instance.__dict__.get(self.field.attname)
        if isinstance(value, Sealed):
            value = decrypt(value.token)
            instance.__dict__[self.field.attname] = value
        return value

    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__[self.field.attname] = value


class EncryptedTextField(models.TextField):
    """A text column stored encrypted; reads give the plaintext (decrypted on first access).
    Look it up through a blind index."""

    description = "Text encrypted with AES-GCM"

    def contribute_to_class(self, cls: Any, name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only)
        setattr(cls, self.attname, _LazyDecrypt(self))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return Sealed(value)

    def to_python(self, value: Any) -> Any:
        return decrypt(value.token) if isinstance(value, Sealed) else value

    def value_from_object(self, obj: Any) -> Any:
        return getattr(obj, self.attname)

    def get_prep_value(self, value: Any) -> Any:
        if isinstance(value, Sealed):
            return value.token  # unchanged since it was read: keep the stored ciphertext
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))
