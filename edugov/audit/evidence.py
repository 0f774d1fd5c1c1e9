"""An evidence bundle (证据材料) of one act's full-process record, for a reconsideration body or a
court (issue 29): every ledger entry about the act, each with its RFC 9162 inclusion proof against
one signed tree head, and the files attached to it, in one ZIP that anyone can check without edugov:

- `manifest.json`: {"v": 1, "tree_head": {tree_size, root_hash, timestamp, signature, key_id},
  "entries": [{"leaf_index", "body", "audit_path": [hex …]}], "files": [{"name", "path", "sha256"}]};
- `files/…`: the attachments, each named in the manifest with its SHA-256;
- `README.txt`: how to check it (leaf = SHA-256(0x00 ‖ body), the path up to the root, the head's
  Ed25519 signature over `edugov-tree-head-v1\\n<size>\\n<root>\\n<timestamp>`, the key at
  /api/v1/audit/public-key, the files' digests).

A signed head is what a court can compare with the one the bureau published (or a witness holds):
the bundle integrates the pending entries first, so its head covers every entry it lists."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from . import ledger, merkle, signing
from .models import Entry

README = """edugov evidence bundle, version 1

1. For each entry of manifest.json: leaf = SHA-256(0x00 || UTF-8 bytes of "body").
2. Walk "audit_path" from the leaf up to the root as RFC 9162 section 2.1.3.2 says, with
   "leaf_index" and the head's "tree_size"; the result must equal the head's "root_hash".
3. The head's "signature" is Ed25519 (base64) over the UTF-8 bytes of
   "edugov-tree-head-v1\\n<tree_size>\\n<root_hash>\\n<timestamp>"; the public key is served at
   /api/v1/audit/public-key. Compare the head with the one the bureau published or a witness holds.
4. Each file under files/ has the SHA-256 the manifest names, and the entry that attached it names
   the same digest.
"""


@dataclass
class BundleCheck:
    entries: int = 0
    files: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def build(targets: Iterable[tuple[str, str]], files: Iterable[tuple[str, bytes]]) -> bytes:
    """The ZIP for the entries whose target is one of `targets` ((type, id) as the ledger writes
    them) and the given files."""
    ledger.integrate()
    head = ledger.latest_head()
    if head is None:
        raise ValueError("the ledger has no signed tree head yet")
    wanted = list(dict.fromkeys(targets))
    entries: list[tuple[int, str]] = []
    for target_type, target_id in wanted:
        entries.extend((int(index or 0), body) for index, body in Entry.objects.filter(
            target_type=target_type, target_id=target_id, tree_index__isnull=False,
            tree_index__lt=head.tree_size).values_list("tree_index", "body"))
    entries.sort()
    manifest: dict[str, Any] = {
        "v": 1,
        "tree_head": {"tree_size": head.tree_size, "root_hash": head.root_hash, "timestamp": head.timestamp,
                      "signature": head.signature, "key_id": head.key_id},
        "entries": [{"leaf_index": index, "body": body,
                     "audit_path": ledger.inclusion_proof(index, head.tree_size)["audit_path"]}
                    for index, body in entries],
        "files": [],
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for n, (name, content) in enumerate(files, 1):
            path = f"files/{n:03d}-{name}"
            z.writestr(path, content)
            manifest["files"].append({"name": name, "path": path, "sha256": hashlib.sha256(content).hexdigest()})
        z.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True))
        z.writestr("README.txt", README)
    return out.getvalue()


def check(data: bytes, public_key_pem: bytes | None = None) -> BundleCheck:
    """Check a bundle as its README says (the key: the installation's unless one is given)."""
    result = BundleCheck()
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        manifest = json.loads(z.read("manifest.json"))
    except (zipfile.BadZipFile, KeyError, ValueError):
        result.problems.append("not an evidence bundle (no readable manifest.json)")
        return result
    head = manifest["tree_head"]
    size, root_hex = int(head["tree_size"]), head["root_hash"]
    keys = signing.public_keys() if public_key_pem is None else {head["key_id"]: signing.load_public_key(public_key_pem)}
    key = keys.get(head["key_id"])
    if key is None or not signing.verify_head(size, root_hex, head["timestamp"], head["signature"], key):
        result.problems.append("the tree head's signature does not verify")
    for entry in manifest["entries"]:
        leaf = merkle.leaf_hash(entry["body"].encode("utf-8"))
        path = [bytes.fromhex(h) for h in entry["audit_path"]]
        if merkle.root_from_path(entry["leaf_index"], size, leaf, path).hex() != root_hex:
            result.problems.append(f"entry {entry['leaf_index']} is not in the tree the head signs")
        result.entries += 1
    for f in manifest["files"]:
        try:
            content = z.read(f["path"])
        except KeyError:
            result.problems.append(f"{f['name']}: missing from the bundle")
            continue
        if hashlib.sha256(content).hexdigest() != f["sha256"]:
            result.problems.append(f"{f['name']}: its SHA-256 is not the one recorded")
        result.files += 1
    return result
