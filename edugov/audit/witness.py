"""A witness (c2sp.org/tlog-witness v1): for each log it follows, it keeps the newest checkpoint it
cosigned, in a directory of its own (outside the log's database and data directory: another
bureau's server, or a folder an auditor keeps), and cosigns a new checkpoint only with a valid
RFC 9162 consistency proof from that one. A smaller or inconsistent checkpoint is refused (and
kept in `refused.jsonl` as evidence: a log that showed it has misbehaved).

The directory holds `witness.json` (its name and the logs it follows with their pinned verifier
keys), `witness.pem` (its cosigning key) and `checkpoints/<sha256(origin)>` (the newest cosigned
checkpoint of each log, with the log's signature and the cosignature). `add_checkpoint` takes
and answers the protocol's HTTP bodies, so the same code serves a file witness in-process and an
HTTP witness (`views.witness_add_checkpoint`)."""

from __future__ import annotations

import base64
import binascii
import contextlib
import fcntl
import hashlib
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from . import merkle, note

SIZE_TYPE = "text/x.tlog.size"
MAX_PROOF = 63


@dataclass(frozen=True)
class Answer:
    """An add-checkpoint answer: the HTTP status, body and content type the protocol prescribes."""

    status: int
    body: str
    content_type: str = "text/plain; charset=utf-8"

    @property
    def ok(self) -> bool:
        return self.status == 200


class WitnessError(RuntimeError):
    pass


def origin_hash(origin: str) -> str:
    return hashlib.sha256(origin.encode()).hexdigest()


def _write_atomically(path: Path, data: str) -> None:
    """Write, flush to disk, then rename over the old file: a crash leaves the old or the new."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Witness:
    def __init__(self, directory: str | Path) -> None:
        self.dir = Path(directory)
        config = self.dir / "witness.json"
        if not config.exists():
            raise WitnessError(f"{self.dir} is not a witness directory (no witness.json); "
                               "create one with `edugov audit witness init`")
        self.config = json.loads(config.read_text(encoding="utf-8"))
        self.name: str = self.config["name"]
        self.label: str = self.config.get("label", self.name)
        key = serialization.load_pem_private_key((self.dir / "witness.pem").read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise WitnessError(f"{self.dir / 'witness.pem'} is not an Ed25519 key")
        self.key = key

    # -- set-up ---------------------------------------------------------------------------------
    @classmethod
    def init(cls, directory: str | Path, name: str, label: str = "") -> Witness:
        path = Path(directory)
        note.key_id(name, note.COSIGNATURE_V1, Ed25519PrivateKey.generate().public_key())  # checks the name
        path.mkdir(parents=True, exist_ok=True)
        os.chmod(path, 0o700)
        if (path / "witness.json").exists():
            raise WitnessError(f"{path} is a witness already")
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        fd = os.open(path / "witness.pem", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(pem)
        (path / "checkpoints").mkdir(exist_ok=True)
        _write_atomically(path / "witness.json", json.dumps({"name": name, "label": label or name, "logs": {}},
                                                            ensure_ascii=False, indent=1))
        return cls(path)

    def follow(self, origin: str, log_vkey: str) -> None:
        """Trust `log_vkey` for checkpoints of `origin` (the log's key is pinned here, once)."""
        key = note.parse_vkey(log_vkey)
        if key.sig_type != note.ED25519 or key.name != origin:
            raise WitnessError("a log's verifier key is an Ed25519 note key named after its origin")
        with self._locked():
            self.config = json.loads((self.dir / "witness.json").read_text(encoding="utf-8"))
            keys = self.config["logs"].setdefault(origin, [])
            if log_vkey not in keys:
                keys.append(log_vkey)
            _write_atomically(self.dir / "witness.json", json.dumps(self.config, ensure_ascii=False, indent=1))

    @property
    def vkey(self) -> str:
        return note.vkey(self.name, note.COSIGNATURE_V1, self.key.public_key())

    def log_keys(self, origin: str) -> list[note.VerifierKey]:
        return [note.parse_vkey(k) for k in self.config["logs"].get(origin, [])]

    # -- state ----------------------------------------------------------------------------------
    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Checking the old size and storing the new checkpoint happen under one lock (the
        specification's race: two requests must not roll the witness back)."""
        with open(self.dir / "lock", "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def latest(self, origin: str) -> str | None:
        """The newest checkpoint cosigned for `origin`, with the log's signature and the cosignature."""
        path = self.dir / "checkpoints" / origin_hash(origin)
        return path.read_text(encoding="utf-8") if path.exists() else None

    def latest_by_hash(self, digest: str) -> str | None:
        """As `latest`, by the origin's SHA-256 (the monitoring URL's form)."""
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            return None
        path = self.dir / "checkpoints" / digest
        return path.read_text(encoding="utf-8") if path.exists() else None

    def _refused(self, origin: str, reason: str, request: str) -> None:
        with open(self.dir / "refused.jsonl", "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"time": int(time.time()), "origin": origin, "reason": reason, "request": request},
                                ensure_ascii=False) + "\n")

    # -- the protocol ---------------------------------------------------------------------------
    def add_checkpoint(self, body: bytes | str) -> Answer:
        """POST <prefix>/add-checkpoint: the request body in, the answer out (tlog-witness)."""
        try:
            text = body.decode("utf-8") if isinstance(body, bytes) else body
        except UnicodeDecodeError:
            return Answer(400, "the request is not UTF-8\n")
        head, sep, checkpoint_note = text.partition("\n\n")
        lines = head.split("\n")
        if not sep or not lines[0].startswith("old "):
            return Answer(400, "the request starts with an old size line, proof lines and a blank line\n")
        old_text = lines[0][4:]
        if not old_text.isdigit() or (old_text != "0" and old_text.startswith("0")):
            return Answer(400, "the old size is a decimal without leading zeroes\n")
        if len(lines) - 1 > MAX_PROOF:
            return Answer(400, f"at most {MAX_PROOF} consistency proof lines\n")
        try:
            proof = [base64.b64decode(p, validate=True) for p in lines[1:]]
            cp_text, signatures = note.split(checkpoint_note)
            cp = note.parse_checkpoint(cp_text)
        except (binascii.Error, note.NoteError) as exc:
            return Answer(400, f"{exc}\n")
        old = int(old_text)
        keys = self.log_keys(cp.origin)
        if not keys:
            return Answer(404, f"this witness does not follow the log {cp.origin}\n")
        try:
            if all(note.verified(cp_text, signatures, k) is None for k in keys):
                return Answer(403, "the checkpoint carries no signature from the log's pinned key\n")
        except note.NoteError as exc:
            return Answer(403, f"{exc}\n")
        if old > cp.size:
            return Answer(400, "the old size is larger than the checkpoint's\n")
        with self._locked():
            stored = self.latest(cp.origin)
            last = note.parse_checkpoint(note.split(stored)[0]) if stored else None
            last_size = last.size if last else 0
            if old != last_size:
                return Answer(409, f"{last_size}\n", SIZE_TYPE)
            if cp.size == 0 and cp.root != merkle.EMPTY_ROOT:
                return Answer(422, "a checkpoint of size 0 has the empty tree's root\n")
            if old == 0 and proof:
                return Answer(422, "from size 0 the consistency proof is empty\n")
            if last is not None:
                if last.size == cp.size and last.root != cp.root:
                    self._refused(cp.origin, "same size, another root (a fork)", text)
                    return Answer(422, "this witness cosigned another root at this size: the log forked\n")
                if not merkle.verify_consistency(last.size, cp.size, last.root, cp.root, proof):
                    self._refused(cp.origin, f"no valid consistency proof from {last.size}", text)
                    return Answer(422, f"the consistency proof from size {last.size} does not verify\n")
            cosignature = note.cosign(cp_text, self.name, self.key, int(time.time()))
            kept = cp_text + "\n" + "".join(s.line() for s in signatures if any(
                s.name == k.name and s.key_id == k.id for k in keys)) + cosignature.line()
            _write_atomically(self.dir / "checkpoints" / origin_hash(cp.origin), kept)
        return Answer(200, cosignature.line())
