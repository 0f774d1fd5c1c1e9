"""Appending to the full-process record and integrating entries into the Merkle tree.

`record` runs inside the caller's transaction and does one INSERT: the write path is never
serialised on the tree. The entry's `time` is the database's clock at that INSERT (entry body
version 2, INTERFACES.md "Audit tree"); the time of the act as the platform dates it (the legal
clock, which the time-travel tests move) is `acted_at`, a separate field. `integrate` (Celery beat, or right after commit in the embedded
default) takes pending entries in id order under a lock on the one TreeState row, assigns
tree indexes, updates the frontier and signs a head per batch, as Trillian's sequencer does.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import logging
import re
import threading
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from edugov.kernel import ledger_port
from edugov.kernel.crypto import blind_index
from edugov.kernel.middleware import current_request_id

from . import dbclock, merkle, signing
from .models import Entry, Quarantine, TreeHead, TreeNode, TreeState

log = logging.getLogger("edugov.audit")

# Keys whose values are personal data: the ledger keeps a keyed digest, never the plaintext.
# A school's or institution's address is public; a person's home address is not, so it is
# recorded under one of these names.
SENSITIVE_KEYS = frozenset({"phone", "identity_number", "id_number", "home_address", "residence_address",
                            "contact_phone", "contact_name", "guardian_phone", "guardian_identity_number"})


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, set | frozenset | tuple):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    if isinstance(value, models.Model):
        return f"{value._meta.label_lower}:{value.pk}"
    if hasattr(value, "__str__"):
        return str(value)
    raise TypeError(type(value))  # pragma: no cover


def canonical_json(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_json_default)


# The queried columns lead the body in this fixed order, so that verify can check that the
# columns still agree with what was hashed by comparing a prefix; the rest follows sorted.
HEAD_KEYS = ("v", "action", "actor", "org", "target", "request_id", "time")
# Identifiers that lead the body are plain tokens, which JSON never escapes; so the server can
# rebuild the expected prefix by concatenation (see verify._PREFIX).
SAFE_TOKEN = re.compile(r"^[A-Za-z0-9_.:\-]*$")


def entry_body(fields: dict[str, Any]) -> str:
    head = ",".join(f"{json.dumps(k)}:{canonical_json(fields[k])}" for k in HEAD_KEYS)
    rest = canonical_json({k: v for k, v in fields.items() if k not in HEAD_KEYS})
    return "{" + head + ("," + rest[1:] if rest != "{}" else "}")


def _scrub(data: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if data is None:
        return None
    clean: dict[str, Any] = {}
    for key, value in data.items():
        if key in SENSITIVE_KEYS and value:
            clean[key] = "hmac:" + blind_index(str(value), purpose=key)
        elif isinstance(value, Mapping):
            clean[key] = _scrub(value)
        else:
            clean[key] = value
    return clean


class UndeclaredField(ValueError):
    """An entry would record a field its action family did not declare (kernel.ledger_port.declare)."""


def _allowed(action: str, data: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    """`data` with only the fields `action` declared. Under EDUGOV["LEDGER_STRICT"] (development
    and tests) any other field is an error, so a new field is declared, or left out, on purpose;
    in production it is withheld from the entry and logged, so that a forgotten declaration
    neither loses the clerk's work nor lets a value into the permanent record."""
    if not data:
        return data
    allowed = ledger_port.declared(action)
    extra = sorted(k for k in data if k not in allowed)
    if not extra:
        return data
    if settings.EDUGOV.get("LEDGER_STRICT", True):
        raise UndeclaredField(f"{action} records undeclared fields {extra}; declare them with "
                              "kernel.ledger_port.declare, or leave them out")
    log.error("ledger: %s recorded undeclared fields %s; withheld", action, extra)
    return {k: (v if k in allowed else "[withheld: undeclared field]") for k, v in data.items()}


def target_ref(target: models.Model | None) -> tuple[str, str]:
    if target is None:
        return "", ""
    return target._meta.label_lower, str(target.pk)


def record(*, actor: Any, action: str, target: models.Model | None = None, organisation: Any = None,
           before: Mapping[str, Any] | None = None, after: Mapping[str, Any] | None = None,
           files: Iterable[Mapping[str, str]] = (), note: str = "",
           target_type: str = "", target_id: str = "", at: dt.datetime | None = None) -> int:
    """Append one entry in the caller's transaction and return its id.
    `files` are {"name", "sha256"} of attachments."""
    if target is not None:
        target_type, target_id = target_ref(target)
    before, after = _allowed(action, before), _allowed(action, after)
    request_id = current_request_id()
    for token in (action, target_type, target_id, request_id):
        if not SAFE_TOKEN.match(token):
            raise ValueError(f"ledger identifiers are plain tokens; got {token!r}")
    acted_at = (at or timezone.now()).astimezone(dt.UTC)
    actor_id = actor.pk if actor is not None and getattr(actor, "pk", None) else None
    org_id = organisation.pk if organisation is not None else None
    body = entry_body({
        "v": 2,
        "time": TIME_SLOT,
        "acted_at": acted_at.isoformat(timespec="microseconds"),
        "actor": actor_id,
        "actor_name": str(actor) if actor_id else "system",
        "action": action,
        "target": [target_type, target_id],
        "org": org_id,
        "before": _scrub(before),
        "after": _scrub(after),
        "files": [dict(f) for f in files],
        "note": note,
        "request_id": request_id,
    })
    # One raw INSERT: the ORM's model machinery cost more than the row itself on this hot path.
    # The database writes the time into the body (between the two halves) as it inserts the row.
    before_time, after_time = body.split(_SLOT_JSON, 1)
    with connection.cursor() as cur:
        cur.execute(_insert_sql(), [actor_id, action, target_type, target_id, org_id, request_id,
                                    before_time, after_time])
        pk = int(cur.fetchone()[0] if connection.features.can_return_columns_from_insert else cur.lastrowid)
    if settings.CELERY_TASK_ALWAYS_EAGER and settings.EDUGOV.get("AUDIT_INTEGRATE_ON_COMMIT", True):
        _this_thread.wrote = True
        transaction.on_commit(_integrate_soon)
    return pk


# One integration per commit, not one per entry: the first hook after a commit integrates every
# entry this thread wrote (and any other pending one); the transaction's other hooks find nothing
# new and return without a query. Per thread: another thread's commit must not mark this thread's
# entries, still uncommitted, as done. A rolled-back transaction's hooks never run; its flag stays
# set, so the next commit integrates, which is harmless.
_this_thread = threading.local()


# The placeholder the database replaces with its clock (JSON-quoted: it sits where a string goes).
TIME_SLOT = "\x1fdbtime\x1f"
_SLOT_JSON = json.dumps(TIME_SLOT)  # as it stands in the body; the first occurrence is the head's


def _insert_sql() -> str:
    returning = " RETURNING id" if connection.features.can_return_columns_from_insert else ""
    return (f"INSERT INTO {Entry._meta.db_table} (actor_id, action, target_type, target_id, "  # noqa: S608 - table name only
            f"organisation_id, request_id, body) VALUES (%s, %s, %s, %s, %s, %s, "
            f"%s || {dbclock.iso_sql()} || %s){returning}")


def _integrate_soon() -> None:
    if not getattr(_this_thread, "wrote", False):
        return
    _this_thread.wrote = False
    if integrate() and settings.EDUGOV.get("AUDIT_WITNESSES"):
        from . import witnessing  # the witnesses read proofs from here

        witnessing.offer_all(local_only=True)  # a folder witness: cheap; HTTP ones by the beat task


def _utc_iso(now: dt.datetime) -> str:
    return now.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


_BODY_TIME = re.compile(r'"time":"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6})\+00:00"')


def _iso26(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


class _Dating:
    """Whether a pending entry's recorded time is believable: not earlier than the newest signed
    head by more than the tolerance (the database dated both, so a row inserted with an old time,
    or held back and then released, stands out) and not in the database's future. Compared as
    fixed-width strings: one regex per entry on the sequencer's hot path."""

    def __init__(self, head: TreeHead | None, now: dt.datetime) -> None:
        tolerance = dt.timedelta(seconds=settings.EDUGOV["AUDIT_BACKDATE_TOLERANCE_SECONDS"])
        newest = dt.datetime.fromisoformat(head.timestamp.replace("Z", "+00:00")) if head else None
        self.earliest = _iso26(newest - tolerance) if newest else ""
        self.latest = _iso26(now + tolerance)
        self.newest = head.timestamp if head else ""

    def problem(self, body: str) -> str | None:
        found = _BODY_TIME.search(body, 0, 400)
        if found is None:
            return "its body has no time in the ledger's format"
        when = found.group(1)
        if when < self.earliest:
            return (f"dated {when}Z, earlier than the newest signed tree head ({self.newest}) by more than "
                    f"{settings.EDUGOV['AUDIT_BACKDATE_TOLERANCE_SECONDS']} s: inserted to look older than it is")
        if when > self.latest:
            return f"dated {when}Z, after the database's own time: inserted with a future time"
        return None


def integrate(batch: int | None = None) -> int:
    """Integrate pending entries into the tree; returns how many were integrated. A pending entry
    whose time is not believable (`_Dating`) is quarantined instead, raised to the administrators
    and listed by `audit verify`, and stays pending (nothing is lost) until released."""
    limit = batch or settings.EDUGOV["AUDIT_BATCH"]
    total = 0
    while True:
        with transaction.atomic():
            state, _ = TreeState.objects.select_for_update().get_or_create(pk=1)
            held = Quarantine.objects.filter(entry_id=models.OuterRef("pk"), released=False)
            pending = list(Entry.objects.filter(tree_index__isnull=True).exclude(models.Exists(held))
                           .order_by("id").values_list("id", "body")[:limit])
            if not pending:
                return total
            now = dbclock.now()
            dating = _Dating(latest_head(), now)
            # A range, not an IN list of the batch's ids: 5,000 placeholders cost 10 µs an entry.
            released = set(Quarantine.objects.filter(entry_id__gte=pending[0][0], entry_id__lte=pending[-1][0],
                                                     released=True).values_list("entry_id", flat=True))
            frontier = merkle.CompactRange.from_bytes(state.tree_size, bytes(state.frontier))
            rows = []
            nodes: list[tuple[int, int, bytes]] = []
            quarantined = []
            sha = hashlib.sha256
            for entry_id, body in pending:
                problem = dating.problem(body) if entry_id not in released else None
                if problem:
                    quarantined.append(Quarantine(entry_id=entry_id, reason=problem[:300], found_at=_utc_iso(now)))
                    continue
                h = sha(b"\x00" + body.encode("utf-8")).digest()
                rows.append((frontier.size, h, entry_id))
                nodes.extend(frontier.append(h))
            if quarantined:
                Quarantine.objects.bulk_create(quarantined, ignore_conflicts=True)
                for q in quarantined:
                    log.error("ledger: entry %s quarantined, not integrated: %s", q.entry_id, q.reason)
            if rows:
                _write_indexes(rows)
                _write_nodes(nodes)
                state.tree_size = frontier.size
                state.frontier = frontier.to_bytes()
                state.save(update_fields=["tree_size", "frontier"])
                root_hex = frontier.root().hex()
                stamp = _utc_iso(now)
                TreeHead.objects.create(tree_size=frontier.size, root_hash=root_hex, timestamp=stamp,
                                        signature=signing.sign_head(frontier.size, root_hex, stamp),
                                        key_id=signing.key_id(), max_entry_id=pending[-1][0])
            total += len(rows)
        if len(pending) < limit:
            return total


def _write_indexes(rows: list[tuple[int, bytes, int]]) -> None:
    """Set (tree_index, leaf_hash) on a batch of entries: one statement on PostgreSQL."""
    table = Entry._meta.db_table
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                f"UPDATE {table} AS e SET tree_index = v.idx, leaf_hash = v.h "  # noqa: S608
                "FROM unnest(%s::bigint[], %s::bytea[], %s::bigint[]) AS v(idx, h, id) WHERE e.id = v.id",
                [[r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]])
        else:
            cur.executemany(f"UPDATE {table} SET tree_index = %s, leaf_hash = %s WHERE id = %s", rows)  # noqa: S608


_NODE_TABLE = TreeNode._meta.db_table


def _write_nodes(nodes: list[tuple[int, int, bytes]]) -> None:
    """Insert the perfect subtrees a batch completed: one statement on PostgreSQL (the ORM's
    bulk_create cost 55 µs an entry here, three times the rest of the sequencer)."""
    if not nodes:
        return
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                f'INSERT INTO {_NODE_TABLE} (level, "index", hash) '  # noqa: S608 - table name only
                "SELECT * FROM unnest(%s::smallint[], %s::bigint[], %s::bytea[])",
                [[n[0] for n in nodes], [n[1] for n in nodes], [n[2] for n in nodes]])
        else:
            cur.executemany(f'INSERT INTO {_NODE_TABLE} (level, "index", hash) VALUES (%s, %s, %s)', nodes)  # noqa: S608


def pending_count() -> int:
    return Entry.objects.filter(tree_index__isnull=True).count()


def latest_head() -> TreeHead | None:
    return TreeHead.objects.order_by("-tree_size").first()


def leaf_hashes(tree_size: int) -> list[bytes]:
    qs = Entry.objects.filter(tree_index__lt=tree_size).order_by("tree_index").values_list("leaf_hash", flat=True)
    hashes = [bytes(h) for h in qs.iterator(chunk_size=20000) if h is not None]
    if len(hashes) != tree_size:
        raise ValueError("the tree has fewer integrated entries than asked for")
    return hashes


def _pieces(keys: set[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
    """The stored hashes of these pieces: leaves from the entries, nodes from the tree nodes."""
    found: dict[tuple[int, int], bytes] = {}
    leaves = [i for level, i in keys if level == 0]
    if leaves:
        for index, h in Entry.objects.filter(tree_index__in=leaves).values_list("tree_index", "leaf_hash"):
            if index is not None and h is not None:
                found[(0, index)] = bytes(h)
    by_level: dict[int, list[int]] = {}
    for level, i in keys:
        if level:
            by_level.setdefault(level, []).append(i)
    for level, indexes in by_level.items():
        for index, h in TreeNode.objects.filter(level=level, index__in=indexes).values_list("index", "hash"):
            found[(level, index)] = bytes(h)
    missing = keys - found.keys()
    if missing:
        raise LookupError(f"tree nodes missing: {sorted(missing)[:5]} (run `edugov migrate`: audit 0003 writes them)")
    return found


def _from_store(compute: Any) -> Any:
    """Run a proof computation on the stored pieces it needs, fetched in a few queries."""
    found = _pieces(merkle.needed(compute))
    return compute(lambda level, index: found[(level, index)])


def inclusion_proof(index: int, tree_size: int | None = None) -> dict[str, Any]:
    """RFC 9162 inclusion proof from O(log n) stored nodes (it read every leaf before: ~30 s at 10M)."""
    head = latest_head()
    size = tree_size if tree_size is not None else (head.tree_size if head else 0)
    if not 0 <= index < size or size > (head.tree_size if head else 0):
        raise ValueError(f"index {index} is not in a tree of size {size}")
    path, root = _from_store(lambda get: (merkle.inclusion_path_from(index, size, get),
                                          merkle.range_root(0, size, get)))
    return {"leaf_index": index, "tree_size": size, "root_hash": root.hex(), "audit_path": [h.hex() for h in path]}


def consistency(first: int, second: int) -> dict[str, Any]:
    proof, first_root, second_root = _from_store(lambda get: (
        merkle.consistency_proof_from(first, second, get), merkle.range_root(0, first, get),
        merkle.range_root(0, second, get)))
    return {"first": first, "second": second, "first_root": first_root.hex(), "second_root": second_root.hex(),
            "consistency": [h.hex() for h in proof]}
