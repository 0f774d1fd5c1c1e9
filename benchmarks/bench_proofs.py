"""Inclusion-proof latency as the ledger grows (issue 23, proofs that scale).

A proof used to read every leaf hash and rebuild the tree per request (~3.3 µs a leaf: ~30 s at
10M entries). It now reads the O(log n) perfect subtrees the sequencer stores. The benchmark fills
two ledgers, SMALL and BIG entries (integrated rows and their tree nodes, written with COPY in the
sequencer's own order), and times `ledger.inclusion_proof` for random leaves in each.

    BENCH proofs small=… big=… ms_small=… ms_big=… ratio=<ms_small/ms_big> baseline=the same proof in a 1/k-size ledger

A ratio near 1 is O(log n); the old path would give about SMALL/BIG. It also prints the old
path's latency at SMALL entries for comparison. Sizes: BENCH_PROOF_SMALL (default 100,000) and
BENCH_PROOF_BIG (default 1,600,000; the issue's figure is 10,000,000: set it, and allow ~3 minutes
and ~2 GB of database)."""

from __future__ import annotations

import hashlib
import os
import random
import time

from harness import report, save, setup_django

SMALL = int(os.environ.get("BENCH_PROOF_SMALL", "100000"))
BIG = int(os.environ.get("BENCH_PROOF_BIG", "1600000"))
PROOFS = 200


def _fill(n: int) -> None:
    """n integrated entries and their tree nodes, as the sequencer would have written them."""
    from django.db import connection

    from edugov.audit import merkle

    with connection.cursor() as cur:
        cur.execute("TRUNCATE audit_entry, audit_treenode, audit_treehead RESTART IDENTITY")
    frontier = merkle.CompactRange()
    raw = connection.connection  # psycopg 3: COPY straight from Python rows
    with raw.cursor() as cur:
        with cur.copy("COPY audit_entry (action, target_type, target_id, request_id, body, tree_index, leaf_hash) "
                      "FROM STDIN") as entries:
            nodes: list[tuple[int, int, bytes]] = []
            for i in range(n):
                body = f'{{"v":1,"i":{i}}}'
                h = hashlib.sha256(b"\x00" + body.encode()).digest()
                entries.write_row(("bench.fill", "", "", "", body, i, h))
                nodes.extend(frontier.append(h))
        with cur.copy("COPY audit_treenode (level, index, hash) FROM STDIN") as copy:
            for node in nodes:
                copy.write_row(node)
    raw.commit()
    with connection.cursor() as cur:
        cur.execute("INSERT INTO audit_treehead (tree_size, root_hash, timestamp, signature, key_id, max_entry_id) "
                    "VALUES (%s, %s, '', '', '', %s)", [n, frontier.root().hex(), n])
        cur.execute("ANALYZE audit_entry; ANALYZE audit_treenode")


def _latency_ms(n: int) -> float:
    from edugov.audit import ledger

    rng = random.Random(n)
    ledger.inclusion_proof(0, n)  # warm the connection
    t0 = time.perf_counter()
    for _ in range(PROOFS):
        ledger.inclusion_proof(rng.randrange(n), n)
    return 1000 * (time.perf_counter() - t0) / PROOFS


def _old_path_ms(n: int) -> float:
    from edugov.audit import ledger, merkle

    t0 = time.perf_counter()
    for index in (0, n // 2, n - 1):
        merkle.inclusion_path(index, ledger.leaf_hashes(n))
    return 1000 * (time.perf_counter() - t0) / 3


def main() -> None:
    setup_django()
    _fill(SMALL)
    ms_small = _latency_ms(SMALL)
    old_small = _old_path_ms(SMALL)
    _fill(BIG)
    ms_big = _latency_ms(BIG)
    report("proofs", ms_small / ms_big, f"the same proof in a ledger of {SMALL} entries",
           small=SMALL, big=BIG, ms_small=round(ms_small, 3), ms_big=round(ms_big, 3),
           old_path_ms_small=round(old_small, 1), old_path_projected_ms_big=round(old_small * BIG / SMALL, 1))
    save()


if __name__ == "__main__":
    main()
