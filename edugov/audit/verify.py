"""Recompute the whole ledger and name the first thing that does not match.

Checks, in tree order: every index is present; each body hashes to its recorded leaf hash;
the queried columns agree with the body; the root at each signed head's size equals the head
and its signature verifies."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import queue
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection

from . import merkle, signing
from .models import Entry, Quarantine, TreeHead


@dataclass
class VerifyResult:
    ok: bool
    tree_size: int
    root_hex: str
    problem: str = ""
    bad_index: int | None = None
    entries: int = 0


def verify(progress: Callable[[int], None] | None = None, held: Sequence[Any] = ()) -> VerifyResult:
    """Verify the whole ledger: the streaming pass on PostgreSQL, the row-by-row pass elsewhere
    (and to name the first bad entry when the streaming pass finds a head that does not match).

    `held` are the checkpoints witnesses cosigned (witnessing.Held): the ledger must still extend
    each, so a rollback (fewer entries than a witness saw) or a rewrite or fork (another root at a
    size a witness saw) fails, naming the witness, the sizes and the roots. Entries the sequencer
    quarantined fail it too until an administrator releases them."""
    problem = _quarantine_problem() or _rollback_problem(held)
    if problem:
        return problem
    result = None
    if connection.vendor == "postgresql":
        result = _verify_streaming(progress, held)
    result = result or verify_detailed(progress, held)
    return (_rotation_problem() or result) if result.ok else result


def _rotation_problem() -> VerifyResult | None:
    """Every head is signed by the first head's key or by a key a recorded rotation endorsed: an
    `audit.key_rotate` entry carrying the previous key's signature over both fingerprints."""
    import base64

    from .actions import ROTATION_MESSAGE

    first = TreeHead.objects.order_by("tree_size").first()
    if first is None:
        return None
    keys = signing.public_keys()
    endorsed = {first.key_id}
    for body in Entry.objects.filter(action="audit.key_rotate", tree_index__isnull=False) \
            .order_by("tree_index").values_list("body", flat=True):
        after = json.loads(body).get("after") or {}
        old, new = str(after.get("old_key", "")), str(after.get("new_key", ""))
        pub = keys.get(old[:16])
        if old[:16] not in endorsed or pub is None or signing.fingerprint(pub) != old:
            continue
        try:
            pub.verify(base64.b64decode(after.get("endorsement", "")),
                       ROTATION_MESSAGE.format(old=old, new=new).encode())
        except Exception:  # noqa: BLE001,S112 - a bad endorsement endorses nothing
            continue
        endorsed.add(new[:16])
    stray = TreeHead.objects.exclude(key_id__in=endorsed).order_by("tree_size").first()
    if stray is None:
        return None
    return VerifyResult(False, stray.tree_size, stray.root_hash,
                        f"tree head of size {stray.tree_size} is signed by key {stray.key_id}, which no recorded key "
                        f"rotation endorsed (the first head's key is {first.key_id}): the heads were re-signed")


def _quarantine_problem() -> VerifyResult | None:
    waiting = list(Quarantine.objects.filter(released=False).order_by("entry_id")[:6])
    if waiting:
        listed = "; ".join(f"entry id {q.entry_id}: {q.reason}" for q in waiting[:5])
        more = Quarantine.objects.filter(released=False).count() - 5
        return VerifyResult(False, 0, "", f"quarantined entries are waiting (not integrated): {listed}"
                            + (f"; and {more} more" if more > 0 else "")
                            + " (edugov audit quarantine; release a legitimate one with edugov audit release)")
    released = {str(i) for i in Quarantine.objects.filter(released=True).values_list("entry_id", flat=True)}
    if released:
        recorded = set(Entry.objects.filter(action="audit.release", target_type="audit.entry", target_id__in=released,
                                            tree_index__isnull=False).values_list("target_id", flat=True))
        unrecorded = sorted(released - recorded, key=int)
        if unrecorded:
            return VerifyResult(False, 0, "", f"quarantined entries {', '.join(unrecorded[:5])} were marked released "
                                "without a recorded release (audit.release): the quarantine table was edited")
    return None


def _rollback_problem(held: Sequence[Any]) -> VerifyResult | None:
    newest = TreeHead.objects.order_by("-tree_size").first()
    size = newest.tree_size if newest else 0
    for h in held:
        if h.tree_size > size:
            return VerifyResult(
                False, size, newest.root_hash if newest else "",
                f"witness {h.witness} cosigned a tree of {h.tree_size} entries (root {h.root_hash}) at "
                f"{_when(h.cosigned_at)}; this ledger's newest signed head has {size} entries"
                f"{' (root ' + newest.root_hash + ')' if newest else ''}: entries and heads were removed "
                "(a rollback)")
    return None


def _when(posix: int) -> str:
    return dt.datetime.fromtimestamp(posix, dt.UTC).isoformat().replace("+00:00", "Z")


def _checks(heads: list[TreeHead], held: Sequence[Any]) -> list[Any]:
    """The signed heads and the witnessed checkpoints, by size (a head before a checkpoint)."""
    return sorted([*heads, *held], key=lambda h: (h.tree_size, isinstance(h, TreeHead) is False))


def _differs(check: Any, prev_size: int) -> VerifyResult:
    if isinstance(check, TreeHead):
        return VerifyResult(
            False, check.tree_size, check.root_hash,
            f"the root over entries {prev_size}..{check.tree_size - 1} differs from the signed "
            f"tree head of size {check.tree_size}: an entry in that range was altered, "
            "reordered or replaced with its hash", prev_size)
    return VerifyResult(
        False, check.tree_size, check.root_hash,
        f"the ledger's root over its first {check.tree_size} entries differs from the root {check.root_hash} "
        f"that witness {check.witness} cosigned at {_when(check.cosigned_at)}: the history before that "
        "size was rewritten, or the ledger forked (showed the witness another tree)", prev_size)


def verify_detailed(progress: Callable[[int], None] | None = None, held: Sequence[Any] = ()) -> VerifyResult:
    heads = list(TreeHead.objects.order_by("tree_size"))
    if not heads:
        count = Entry.objects.filter(tree_index__isnull=False).count()
        if count:
            return VerifyResult(False, 0, "", f"{count} entries are integrated but no signed tree head exists")
        return VerifyResult(True, 0, merkle.EMPTY_ROOT.hex())
    keys = signing.public_keys()
    for head in heads:
        problem = signing.head_problem(head, keys)
        if problem:
            return VerifyResult(False, head.tree_size, head.root_hash, problem)
    head_iter = iter(_checks(heads, held))
    next_head: Any = next(head_iter)
    prev_size = 0
    frontier = merkle.CompactRange()
    sha = hashlib.sha256
    loads = json.loads
    table = Entry._meta.db_table
    sql = (f"SELECT tree_index, leaf_hash, body, request_id, action, actor_id, target_type, target_id, "  # noqa: S608
           f"organisation_id, id FROM {table} WHERE tree_index IS NOT NULL ORDER BY tree_index")
    expected = 0
    with connection.chunked_cursor() as cur:
        cur.execute(sql)
        while True:
            rows = cur.fetchmany(5000)
            if not rows:
                break
            for index, stored, body, request_id, action, actor_id, ttype, tid, org_id, pk in rows:
                if index != expected:
                    return VerifyResult(False, expected, "", f"entry at tree index {expected} is missing "
                                        f"(the next present is {index}): an entry was deleted", expected)
                h = sha(b"\x00" + body.encode("utf-8")).digest()
                if stored is None or h != bytes(stored):
                    return VerifyResult(False, index, "", f"entry at tree index {index} (id {pk}) does not match "
                                        "its recorded leaf hash: its content was changed", index)
                doc = loads(body)
                if (doc["action"] != action or doc["actor"] != actor_id or doc["target"] != [ttype, tid]
                        or doc["org"] != org_id or doc["request_id"] != request_id):
                    return VerifyResult(False, index, "", f"entry at tree index {index} (id {pk}): its columns "
                                        "no longer agree with its hashed body", index)
                frontier.append(h)
                expected += 1
                while next_head is not None and frontier.size == next_head.tree_size:
                    if frontier.root().hex() != next_head.root_hash:
                        return _differs(next_head, prev_size)
                    prev_size = next_head.tree_size
                    next_head = next(head_iter, None)
            if progress:
                progress(expected)
    last = heads[-1]
    if expected < last.tree_size:
        return VerifyResult(False, expected, "", f"entries from tree index {expected} up to {last.tree_size - 1} "
                            "are missing: they were deleted", expected)
    return VerifyResult(True, last.tree_size, last.root_hash, entries=expected)


# --- the streaming pass (PostgreSQL) ------------------------------------------------------------

# The server checks that the queried columns still agree with the hashed body: the body starts
# with exactly these fields in this order (ledger.HEAD_KEYS) and the identifiers are plain tokens
# (ledger.SAFE_TOKEN), so the check is one prefix comparison built by concatenation.
_COLUMNS_AGREE = ("""left(body, 6) IN ('{"v":1', '{"v":2') AND starts_with(substr(body, 7), ',"action":"' || action || '","actor":' || COALESCE(actor_id::text, 'null')"""
                  """ || ',"org":' || COALESCE(organisation_id::text, 'null') || ',"target":["' || target_type"""
                  """ || '","' || target_id || '"],"request_id":"' || request_id || '",')""")


class _HeadChecker:
    """Builds the tree in aligned chunks of leaves, level by level (list comprehensions, the fast
    way to hash in Python), and checks the root at every signed head's size in O(log n) per head
    with bounded memory."""

    CHUNK = 1 << 16

    def __init__(self, heads: list[Any]) -> None:
        self.heads = heads
        self.next = 0
        self.frontier = merkle.CompactRange()
        self.bad: Any = None
        self.prev_size = 0

    def feed(self, leaves: list[bytes]) -> None:
        """Take a full chunk (or the last, partial one) of leaf hashes."""
        start = self.frontier.size
        levels = [leaves]
        while len(levels[-1]) > 1:
            lv = levels[-1]
            levels.append([merkle.node_hash(lv[i], lv[i + 1]) for i in range(0, len(lv) - 1, 2)])
        while self.bad is None and self.next < len(self.heads) \
                and self.heads[self.next].tree_size <= start + len(leaves):
            head = self.heads[self.next]
            pieces, offset, r = [], 0, head.tree_size - start
            for k in range(len(levels) - 1, -1, -1):
                if r >> k & 1:
                    pieces.append(levels[k][offset >> k])
                    offset += 1 << k
            fr = merkle.CompactRange(self.frontier.size, self.frontier.hashes)
            for k, piece in zip((k for k in range(len(levels) - 1, -1, -1) if r >> k & 1), pieces, strict=True):
                fr.append_subtree(piece, 1 << k)
            if fr.root().hex() != head.root_hash:
                self.bad = head
                return
            self.prev_size = head.tree_size
            self.next += 1
        if len(leaves) == self.CHUNK:
            self.frontier.append_subtree(levels[-1][0], self.CHUNK)


GROUP = 512  # entries per COPY row: one message per entry would cost more than hashing it
RANGE = 64 * GROUP  # entries per COPY query taken by one reader
READERS = 2  # database connections streaming at once (the server's share is the larger one)


def _range_sql(table: str, lo: int, hi: int) -> str:
    # chr(30) separates bodies: canonical JSON escapes every control character, so none contains it.
    return (f"COPY (SELECT min(tree_index), max(tree_index), count(*), bool_and({_COLUMNS_AGREE}), "  # noqa: S608
            f"string_agg(body, chr(30) ORDER BY tree_index) FROM {table} "
            f"WHERE tree_index >= {int(lo)} AND tree_index < {int(hi)} "
            f"GROUP BY tree_index / {GROUP} ORDER BY 1) TO STDOUT")


def _verify_streaming(progress: Callable[[int], None] | None, held: Sequence[Any] = ()) -> VerifyResult | None:
    """Stream the ledger in groups of entries over a few connections at once. The server checks,
    per group, that the indexes are contiguous and that the columns agree with the bodies; the
    verifier hashes every body itself (it does not trust the database to compute the digests it
    is checking) and builds the tree strictly in index order. Returns None when anything is
    wrong, so that the detailed pass names the first bad entry.

    Readers use their own connections, so they see committed entries only; the detailed pass
    (on the caller's connection) is the fallback when the two disagree."""
    from django.db import connections
    from django.db.models import Max

    heads = list(TreeHead.objects.order_by("tree_size"))
    if not heads:
        return None
    keys = signing.public_keys()
    for head in heads:
        problem = signing.head_problem(head, keys)
        if problem:
            return VerifyResult(False, head.tree_size, head.root_hash, problem)
    top = Entry.objects.aggregate(m=Max("tree_index"))["m"]
    if top is None:
        return None
    table = Entry._meta.db_table
    work: queue.Queue[int] = queue.Queue()
    for lo in range(0, top + 1, RANGE):
        work.put(lo)
    results: queue.Queue[tuple[int, int, int, bool, str] | BaseException | None] = queue.Queue()
    # No flow control between readers: ranges are taken in order, so one reader is at most a few
    # ranges ahead of the other, and a range that yields nothing (deleted entries) cannot block.
    stop = threading.Event()

    def read() -> None:
        conn = connections.create_connection("default")
        try:
            with conn.cursor() as cur:
                while not stop.is_set():
                    try:
                        lo = work.get_nowait()
                    except queue.Empty:
                        break
                    with cur.cursor.copy(_range_sql(table, lo, lo + RANGE)) as copy:
                        copy.set_types(["int8", "int8", "int8", "bool", "text"])  # psycopg unescapes COPY text
                        for row in copy.rows():
                            if not stop.is_set():  # after a stop, drain so the connection ends cleanly
                                results.put(row)
            results.put(None)
        except BaseException as exc:  # hand any error to the verifying thread
            results.put(exc)
        finally:
            conn.close()

    checker = _HeadChecker(_checks(heads, held))
    sha = hashlib.sha256
    expected = 0
    leaves: list[bytes] = []
    pending: dict[int, tuple[int, list[bytes]]] = {}
    chunk = _HeadChecker.CHUNK
    failed = False
    readers = [threading.Thread(target=read, name=f"ledger-verify-{i}", daemon=True) for i in range(READERS)]
    for t in readers:
        t.start()
    finished = 0
    try:
        while finished < READERS:
            item = results.get()
            if item is None:
                finished += 1
                continue
            if isinstance(item, BaseException):
                raise item
            if failed:
                continue
            first, last, count, agree, bodies = item
            if last - first + 1 != count or not agree:
                failed = True
                stop.set()
                continue
            pending[first] = (count, [sha(b"\x00" + b).digest() for b in bodies.encode("utf-8").split(b"\x1e")])
            while expected in pending:
                n, hashes = pending.pop(expected)
                leaves.extend(hashes)
                expected += n
                while len(leaves) >= chunk:
                    checker.feed(leaves[:chunk])
                    del leaves[:chunk]
                    if checker.bad is not None:
                        failed = True
                        stop.set()
                        break
            if progress:
                progress(expected)
    finally:
        stop.set()
        for t in readers:
            t.join(timeout=60)
    if failed or pending:
        return None
    if leaves:
        checker.feed(leaves)
    if checker.bad is not None:
        return None
    last_head = heads[-1]
    if expected != last_head.tree_size:
        return None
    return VerifyResult(True, last_head.tree_size, last_head.root_hash, entries=expected)
