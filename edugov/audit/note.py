"""C2SP signed notes, checkpoints and Ed25519 cosignatures (c2sp.org/signed-note, tlog-checkpoint,
tlog-cosignature), the formats a witness speaks.

Written out because no maintained PyPI package implements them (the reference implementations are
Go's golang.org/x/mod/sumdb/note and filippo.io/torchwood); the formats are a page each and the
cryptography is the `cryptography` package's Ed25519."""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ED25519 = 0x01  # a log's signature on its checkpoint
COSIGNATURE_V1 = 0x04  # a witness's timestamped Ed25519 cosignature
DASH = "\u2014"
MAX_SIGNATURES = 16


class NoteError(ValueError):
    """A note, checkpoint or key that is malformed, or a signature that does not verify."""


def raw(pub: Ed25519PublicKey) -> bytes:
    return pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _check_name(name: str) -> str:
    if not name or any(c.isspace() or c == "+" for c in name):
        raise NoteError(f"a key name must be non-empty, without spaces or '+': {name!r}")
    return name


def key_id(name: str, sig_type: int, pub: Ed25519PublicKey) -> bytes:
    """SHA-256(name ‖ 0x0A ‖ type ‖ public key)[:4] (signed-note, "Signatures")."""
    return hashlib.sha256(_check_name(name).encode() + b"\n" + bytes([sig_type]) + raw(pub)).digest()[:4]


def vkey(name: str, sig_type: int, pub: Ed25519PublicKey) -> str:
    """The verifier key text: name+hex(key id)+base64(type ‖ public key)."""
    return f"{name}+{key_id(name, sig_type, pub).hex()}+{base64.b64encode(bytes([sig_type]) + raw(pub)).decode()}"


@dataclass(frozen=True)
class VerifierKey:
    name: str
    sig_type: int
    public_key: Ed25519PublicKey

    @property
    def id(self) -> bytes:
        return key_id(self.name, self.sig_type, self.public_key)

    def __str__(self) -> str:
        return vkey(self.name, self.sig_type, self.public_key)


def parse_vkey(text: str) -> VerifierKey:
    parts = text.strip().split("+", 2)  # the name and the id hold no "+"; base64 may
    if len(parts) != 3:
        raise NoteError(f"a verifier key is name+id+key: {text!r}")
    name, kid, material = parts
    try:
        blob = base64.b64decode(material, validate=True)
        pub = Ed25519PublicKey.from_public_bytes(blob[1:])
    except (binascii.Error, ValueError) as exc:
        raise NoteError(f"the verifier key {name} holds no Ed25519 public key") from exc
    if blob[0] not in (ED25519, COSIGNATURE_V1):
        raise NoteError(f"the verifier key {name} is of an unsupported type {blob[0]:#04x}")
    key = VerifierKey(_check_name(name), blob[0], pub)
    if key.id.hex() != kid.lower():
        raise NoteError(f"the verifier key {name} names key id {kid}, but its key's id is {key.id.hex()}")
    return key


# -- notes ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Signature:
    name: str
    key_id: bytes
    signature: bytes

    def line(self) -> str:
        return f"{DASH} {self.name} {base64.b64encode(self.key_id + self.signature).decode()}\n"


def split(note: str) -> tuple[str, list[Signature]]:
    """The note text (with its final newline) and its signature lines."""
    if any(ord(c) < 0x20 and c != "\n" for c in note):
        raise NoteError("a note holds no control characters other than newline")
    cut = note.rfind("\n\n")
    if cut < 0 or not note.endswith("\n"):
        raise NoteError("a note is its text, a blank line and signature lines, each ending in a newline")
    text, lines = note[:cut + 1], note[cut + 2:].splitlines()
    if not lines or len(lines) > MAX_SIGNATURES:
        raise NoteError(f"a note carries 1 to {MAX_SIGNATURES} signatures; this one carries {len(lines)}")
    return text, [parse_signature(line) for line in lines]


def parse_signature(line: str) -> Signature:
    prefix, _, rest = line.removesuffix("\n").partition(" ")
    name, _, b64 = rest.partition(" ")
    try:
        blob = base64.b64decode(b64, validate=True)
    except binascii.Error as exc:
        raise NoteError(f"a signature line's signature is not base64: {line!r}") from exc
    if prefix != DASH or not name or len(blob) < 5:
        raise NoteError(f"not a signature line: {line!r}")
    return Signature(_check_name(name), blob[:4], blob[4:])


def sign(text: str, name: str, key: Ed25519PrivateKey) -> Signature:
    """An Ed25519 note signature (type 0x01) over `text`."""
    return Signature(name, key_id(name, ED25519, key.public_key()), key.sign(text.encode()))


def _cosigned_message(text: str, timestamp: int) -> bytes:
    return f"cosignature/v1\ntime {timestamp}\n{text}".encode()


def cosign(text: str, name: str, key: Ed25519PrivateKey, timestamp: int) -> Signature:
    """A timestamped Ed25519 cosignature (type 0x04) over a checkpoint's text."""
    if not 0 < timestamp < 2**63:
        raise NoteError("a cosignature's timestamp is a positive POSIX time")
    sig = key.sign(_cosigned_message(text, timestamp))
    return Signature(name, key_id(name, COSIGNATURE_V1, key.public_key()), struct.pack(">Q", timestamp) + sig)


def verified(text: str, signatures: list[Signature], key: VerifierKey) -> int | None:
    """Check the signatures from `key` (others are ignored, as the spec says). Returns the
    cosignature's timestamp (0 for a plain signature) of the first that verifies, None when the
    note carries no signature from this key; raises NoteError when one from this key fails."""
    for s in signatures:
        if s.name != key.name or s.key_id != key.id:
            continue
        try:
            if key.sig_type == COSIGNATURE_V1:
                if len(s.signature) != 8 + 64:
                    raise InvalidSignature
                (timestamp,) = struct.unpack(">Q", s.signature[:8])
                key.public_key.verify(s.signature[8:], _cosigned_message(text, timestamp))
                return int(timestamp)
            key.public_key.verify(s.signature, text.encode())
            return 0
        except InvalidSignature:
            raise NoteError(f"the signature of {key.name} does not verify: the note was altered or forged") from None
    return None


# -- checkpoints ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes

    @property
    def text(self) -> str:
        return f"{self.origin}\n{self.size}\n{base64.b64encode(self.root).decode()}\n"


def parse_checkpoint(text: str) -> Checkpoint:
    lines = text.split("\n")
    if len(lines) < 4 or lines[-1] != "" or any(not line for line in lines[:-1]):
        raise NoteError("a checkpoint is at least three non-empty lines: origin, tree size, root hash")
    origin, size, root = lines[0], lines[1], lines[2]
    if not size.isdigit() or (size != "0" and size.startswith("0")):
        raise NoteError(f"the checkpoint's tree size is not a decimal without leading zeroes: {size!r}")
    try:
        digest = base64.b64decode(root, validate=True)
    except binascii.Error as exc:
        raise NoteError("the checkpoint's root hash is not base64") from exc
    if len(digest) != 32:
        raise NoteError("the checkpoint's root hash is not a SHA-256 digest")
    return Checkpoint(origin, int(size), digest)
