"""The ledger's side of witnessing: its signed tree heads as C2SP checkpoints, offered to the
configured witnesses with a consistency proof from what each holds, and what each holds read
back for `audit verify`.

A witness is configured (EDUGOV["AUDIT_WITNESSES"]) with a label, its verifier key (pinned: a
checkpoint it did not cosign with that key is not believed) and where it is: `url`, an HTTP
witness (c2sp.org/tlog-witness: another edugov instance's /witness/, or any conforming witness),
or `dir`, a witness folder reached on this machine (the demo's city bureau; an auditor's USB
stick). A `dir` witness without a `vkey` is trusted with the key it holds (the demo only)."""

from __future__ import annotations

import base64
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from . import ledger, note, signing
from .models import Cosignature, TreeHead
from .witness import Answer, Witness, WitnessError, origin_hash

log = logging.getLogger("edugov.audit")
TIMEOUT = 10


def origin() -> str:
    return str(settings.EDUGOV["AUDIT_ORIGIN"])


def log_key(pub: Any = None) -> note.VerifierKey:
    return note.VerifierKey(origin(), note.ED25519, pub or signing.public_key())


def log_vkey() -> str:
    return str(log_key())


def checkpoint(head: TreeHead) -> note.Checkpoint:
    return note.Checkpoint(origin(), head.tree_size, bytes.fromhex(head.root_hash))


def checkpoint_note(head: TreeHead) -> str:
    """The head as a C2SP checkpoint signed by the ledger's key (deterministic Ed25519), with the
    cosignatures the witnesses returned for it."""
    text = checkpoint(head).text
    lines = note.sign(text, origin(), signing.private_key()).line()
    lines += "".join(c.line for c in Cosignature.objects.filter(tree_size=head.tree_size).order_by("witness"))
    return text + "\n" + lines


# -- configured witnesses ----------------------------------------------------------------------

@dataclass(frozen=True)
class Configured:
    label: str
    url: str = ""
    dir: str = ""
    vkey: str = ""

    @property
    def where(self) -> str:
        return self.url or self.dir

    def key(self) -> note.VerifierKey:
        if self.vkey:
            return note.parse_vkey(self.vkey)
        if self.dir:
            return note.parse_vkey(Witness(self.dir).vkey)
        raise WitnessError(f"the witness {self.label} ({self.url}) has no verifier key configured")

    def post(self, body: str) -> Answer:
        if self.dir:
            return Witness(self.dir).add_checkpoint(body)
        request = urllib.request.Request(self.url.rstrip("/") + "/add-checkpoint", data=body.encode(),  # noqa: S310
                                         method="POST", headers={"Content-Type": "text/plain; charset=utf-8"})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - configured https URL
                return Answer(response.status, response.read().decode(), response.headers.get("Content-Type", ""))
        except urllib.error.HTTPError as exc:
            return Answer(exc.code, exc.read().decode(errors="replace"), exc.headers.get("Content-Type", ""))

    def held_note(self) -> str | None:
        """The newest checkpoint the witness cosigned for this ledger, as it serves it."""
        if self.dir:
            return Witness(self.dir).latest(origin())
        url = f"{self.url.rstrip('/')}/{origin_hash(origin())}/checkpoint"
        try:
            with urllib.request.urlopen(url, timeout=TIMEOUT) as response:  # noqa: S310 - configured https URL
                return str(response.read().decode())
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return None
            raise


def configured(extra: list[str] | None = None) -> list[Configured]:
    """The witnesses of the settings, and any named on the command line (a URL or a folder)."""
    found = [Configured(label=w.get("label") or w.get("url") or w.get("dir", ""), url=w.get("url", ""),
                        dir=str(w.get("dir", "")), vkey=w.get("vkey", ""))
             for w in settings.EDUGOV.get("AUDIT_WITNESSES", [])]
    bad = [w.url for w in found if w.url and not w.url.startswith(("http://", "https://"))]
    if bad:
        raise WitnessError(f"a witness URL is http:// or https://: {bad}")
    for where in extra or []:
        is_url = where.startswith(("http://", "https://"))
        found.append(Configured(label=where, url=where if is_url else "", dir="" if is_url else where))
    return found


# -- offering a head ---------------------------------------------------------------------------

def _request(old: int, head: TreeHead) -> str:
    proof = ledger.consistency(old, head.tree_size)["consistency"] if 0 < old < head.tree_size else []
    lines = [f"old {old}"] + [base64.b64encode(bytes.fromhex(h)).decode() for h in proof]
    return "\n".join(lines) + "\n\n" + checkpoint_note(head)


def offer(witness: Configured, head: TreeHead | None = None) -> str:
    """Offer the newest signed head (signed by the key in use) to one witness; keep its cosignature.
    Returns what happened, in one line, for logs and the command line."""
    head = head or ledger.latest_head()
    if head is None:
        return f"{witness.label}: the ledger has no tree head yet"
    if head.key_id != signing.key_id():
        return f"{witness.label}: the newest head was signed by a retired key; integrate a new entry first"
    key = witness.key()
    done = Cosignature.objects.filter(witness=key.name, tree_size=head.tree_size).exists()
    if done:
        return f"{witness.label}: already cosigned size {head.tree_size}"
    last = Cosignature.objects.filter(witness=key.name).order_by("-tree_size").first()
    old = last.tree_size if last and last.tree_size <= head.tree_size else 0
    answer = witness.post(_request(old, head))
    if answer.status == 409:  # the witness holds another size: retry once from it
        held = int(answer.body.strip() or 0)
        if held > head.tree_size:
            log.error("audit: witness %s holds a tree of %s entries, larger than this ledger's %s: a rollback",
                      witness.label, held, head.tree_size)
            return (f"{witness.label}: refused: it holds a tree of {held} entries, this ledger only "
                    f"{head.tree_size} (a rollback?)")
        answer = witness.post(_request(held, head))
    if not answer.ok:
        log.error("audit: witness %s refused the head of size %s: %s %s", witness.label, head.tree_size,
                  answer.status, answer.body.strip())
        return f"{witness.label}: refused ({answer.status}): {answer.body.strip()}"
    text = checkpoint(head).text
    for line in answer.body.splitlines():
        sig = note.parse_signature(line)
        timestamp = note.verified(text, [sig], key)
        if timestamp:
            Cosignature.objects.get_or_create(witness=key.name, tree_size=head.tree_size,
                                              defaults={"timestamp": timestamp, "line": sig.line()})
            return f"{witness.label}: cosigned size {head.tree_size}"
    return f"{witness.label}: answered without a cosignature from its pinned key"


def offer_all(head: TreeHead | None = None, local_only: bool = False) -> list[str]:
    results = []
    for w in configured():
        if local_only and (not w.dir or not (Path(w.dir) / "witness.json").exists()):
            continue  # right after a write: HTTP witnesses and a folder not set up yet wait for the beat task
        try:
            results.append(offer(w, head))
        except (OSError, WitnessError, note.NoteError, ValueError) as exc:
            log.error("audit: could not offer the tree head to witness %s: %s", w.label, exc)
            results.append(f"{w.label}: unreachable: {exc}")
    return results


# -- what the witnesses hold -------------------------------------------------------------------

@dataclass(frozen=True)
class Held:
    """A checkpoint a witness cosigned, checked: the verify passes compare the ledger's root at
    `tree_size` with `root_hash` (see verify.verify)."""

    label: str
    tree_size: int
    root_hash: str
    cosigned_at: int

    @property
    def witness(self) -> str:
        return self.label


def held(witness: Configured) -> Held | None:
    """What `witness` holds for this ledger, after checking its cosignature (pinned key) and the
    ledger's own signature on it (a pinned or known ledger key). Raises WitnessError naming why
    it cannot be believed or reached."""
    try:
        text_note = witness.held_note()
    except OSError as exc:
        raise WitnessError(f"witness {witness.label} cannot be reached: {exc}") from exc
    if text_note is None:
        return None
    text, sigs = note.split(text_note)
    cp = note.parse_checkpoint(text)
    if cp.origin != origin():
        raise WitnessError(f"witness {witness.label} answered for another ledger ({cp.origin})")
    stamp = note.verified(text, sigs, witness.key())
    if not stamp:
        raise WitnessError(f"the checkpoint witness {witness.label} serves carries no cosignature of its pinned key")
    pins = signing.pinned()
    ledger_keys = [log_key(pub) for pub in signing.public_keys().values()
                   if not pins or signing.fingerprint(pub) in pins]
    if not any(note.verified(text, sigs, k) is not None for k in ledger_keys):
        raise WitnessError(f"the checkpoint witness {witness.label} holds is not signed by a key of this ledger")
    return Held(witness.label, cp.size, cp.root.hex(), stamp)

