"""Recompute the whole ledger and name the first thing that does not match.

Checks, in tree order: every index is present; each body hashes to its recorded leaf hash;
the queried columns agree with the body; the root at each signed head's size equals the head
and its signature verifies."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection

from . import merkle, signing
from .models import Entry, TreeHead


@dataclass
class VerifyResult:
    ok: bool
    tree_size: int
    root_hex: str
    problem: str = ""
    bad_index: int | None = None
    entries: int = 0


def _as_utc(value: object) -> str:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    assert isinstance(value, dt.datetime)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat()


def verify(progress: Callable[[int], None] | None = None) -> VerifyResult:
    heads = list(TreeHead.objects.order_by("tree_size"))
    if not heads:
        count = Entry.objects.filter(tree_index__isnull=False).count()
        if count:
            return VerifyResult(False, 0, "", f"{count} entries are integrated but no signed tree head exists")
        return VerifyResult(True, 0, merkle.EMPTY_ROOT.hex())
    pub = signing.public_key()
    for head in heads:
        if not signing.verify_head(head.tree_size, head.root_hash, head.timestamp, head.signature, pub):
            return VerifyResult(False, head.tree_size, head.root_hash,
                                f"tree head of size {head.tree_size} has an invalid signature")
    head_iter = iter(heads)
    next_head: TreeHead | None = next(head_iter)
    prev_size = 0
    frontier = merkle.CompactRange()
    sha = hashlib.sha256
    loads = json.loads
    table = Entry._meta.db_table
    sql = (f"SELECT tree_index, leaf_hash, body, created_at, action, actor_id, target_type, target_id, "  # noqa: S608
           f"organisation_id, id FROM {table} WHERE tree_index IS NOT NULL ORDER BY tree_index")
    expected = 0
    with connection.chunked_cursor() as cur:
        cur.execute(sql)
        while True:
            rows = cur.fetchmany(5000)
            if not rows:
                break
            for index, stored, body, created_at, action, actor_id, ttype, tid, org_id, pk in rows:
                if index != expected:
                    return VerifyResult(False, expected, "", f"entry at tree index {expected} is missing "
                                        f"(the next present is {index}): an entry was deleted", expected)
                h = sha(b"\x00" + body.encode("utf-8")).digest()
                if stored is None or h != bytes(stored):
                    return VerifyResult(False, index, "", f"entry at tree index {index} (id {pk}) does not match "
                                        "its recorded leaf hash: its content was changed", index)
                doc = loads(body)
                if (doc["action"] != action or doc["actor"] != actor_id or doc["target"] != [ttype, tid]
                        or doc["org"] != org_id or doc["time"] != _as_utc(created_at)):
                    return VerifyResult(False, index, "", f"entry at tree index {index} (id {pk}): its columns "
                                        "no longer agree with its hashed body", index)
                frontier.append(h)
                expected += 1
                while next_head is not None and frontier.size == next_head.tree_size:
                    if frontier.root().hex() != next_head.root_hash:
                        return VerifyResult(
                            False, next_head.tree_size, next_head.root_hash,
                            f"the root over entries {prev_size}..{next_head.tree_size - 1} differs from the signed "
                            f"tree head of size {next_head.tree_size}: an entry in that range was altered, "
                            "reordered or replaced with its hash", prev_size)
                    prev_size = next_head.tree_size
                    next_head = next(head_iter, None)
            if progress:
                progress(expected)
    last = heads[-1]
    if expected < last.tree_size:
        return VerifyResult(False, expected, "", f"entries from tree index {expected} up to {last.tree_size - 1} "
                            "are missing: they were deleted", expected)
    return VerifyResult(True, last.tree_size, last.root_hash, entries=expected)
