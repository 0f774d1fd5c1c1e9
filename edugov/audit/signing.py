"""Ed25519 signatures over tree heads. The private key lives in a file outside the database."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def head_message(tree_size: int, root_hex: str, timestamp: str) -> bytes:
    return f"edugov-tree-head-v1\n{tree_size}\n{root_hex}\n{timestamp}".encode()


def generate_key_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    fd = os.open(str(path), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)


@lru_cache(maxsize=4)
def _load(path_str: str, create: bool) -> Ed25519PrivateKey:
    path = Path(path_str)
    if not path.exists():
        if not create:
            raise ImproperlyConfigured(
                f"The tree-signing key {path} does not exist; create it with `edugov audit keygen`."
            )
        with contextlib.suppress(FileExistsError):  # another process created it first
            generate_key_file(path)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured(f"{path} is not an Ed25519 private key")
    return key


def private_key() -> Ed25519PrivateKey:
    return _load(settings.EDUGOV["SIGNING_KEY_FILE"], bool(settings.EDUGOV.get("DEMO")))


def public_key() -> Ed25519PublicKey:
    return private_key().public_key()


def public_key_pem() -> str:
    return public_key().public_bytes(serialization.Encoding.PEM,
                                     serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def key_id(pub: Ed25519PublicKey | None = None) -> str:
    return fingerprint(pub)[:16]


def fingerprint(pub: Ed25519PublicKey | None = None) -> str:
    """The full SHA-256 of the raw public key (the key id is its first 16 hex digits)."""
    raw = (pub or public_key()).public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def pinned() -> frozenset[str]:
    """The fingerprints a verifier accepts (EDUGOV["AUDIT_PINNED_KEYS"], from the environment,
    outside the data directory). Empty: any key kept beside the signing key, as in the demo; then
    whoever can write the key folder can re-sign the history, which pinning exists to stop."""
    return frozenset(k.strip().lower() for k in settings.EDUGOV.get("AUDIT_PINNED_KEYS", ()) if k.strip())


def head_problem(head: Any, keys: dict[str, Ed25519PublicKey]) -> str | None:
    """Why a signed tree head cannot be trusted, or None: an unknown key, a key that is not pinned,
    or a signature that does not verify."""
    pub = keys.get(head.key_id)
    if pub is None:
        return f"tree head of size {head.tree_size} has an invalid signature (unknown key {head.key_id})"
    pins = pinned()
    if pins and fingerprint(pub) not in pins:
        return (f"tree head of size {head.tree_size} is signed by key {head.key_id}, which is not pinned "
                f"(EDUGOV_AUDIT_PINNED_KEYS): the history may have been re-signed")
    if not verify_head(head.tree_size, head.root_hash, head.timestamp, head.signature, pub):
        return f"tree head of size {head.tree_size} has an invalid signature"
    return None


def public_keys() -> dict[str, Ed25519PublicKey]:
    """The current public key and every retired one kept as `*.pub.pem` beside the signing key,
    by key id, so heads signed before a key rotation still verify."""
    keys = {}
    # A verifier without the private key (a restore; an auditor's copy) has the public halves only.
    with contextlib.suppress(ImproperlyConfigured, OSError):
        keys[key_id()] = public_key()
    folder = Path(settings.EDUGOV["SIGNING_KEY_FILE"]).parent
    for path in sorted(folder.glob("*.pub.pem")):
        pub = serialization.load_pem_public_key(path.read_bytes())
        if isinstance(pub, Ed25519PublicKey):
            keys[key_id(pub)] = pub
    return keys


def retire_current_key() -> Path:
    """Keep the current public key (for old heads) before a new signing key replaces it."""
    folder = Path(settings.EDUGOV["SIGNING_KEY_FILE"]).parent
    target = folder / f"{key_id()}.pub.pem"
    target.write_text(public_key_pem())
    return target


def sign_head(tree_size: int, root_hex: str, timestamp: str) -> str:
    return base64.b64encode(private_key().sign(head_message(tree_size, root_hex, timestamp))).decode()


def verify_head(tree_size: int, root_hex: str, timestamp: str, signature_b64: str,
                pub: Ed25519PublicKey | None = None) -> bool:
    from cryptography.exceptions import InvalidSignature

    try:
        (pub or public_key()).verify(base64.b64decode(signature_b64), head_message(tree_size, root_hex, timestamp))
    except (InvalidSignature, ValueError):
        return False
    return True


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    """A verifier's pinned key (PEM), as served at /api/v1/audit/public-key."""
    pub = serialization.load_pem_public_key(pem)
    if not isinstance(pub, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return pub
