"""Ledger cost on the write path, verify rate, and the amortised cost of integrating an entry.

- ledger_cost: case transitions per second with the ledger on vs off (the ledger's `record`
  replaced by a no-op), same run, PostgreSQL. Goal: the ledger costs under 15% (ratio >= 0.85).
- verify: entries verified per second, read from PostgreSQL, vs a raw hashlib loop over the same
  leaf bytes in memory. Goal >= 0.2; the tree computation alone >= 0.4.
- append: integrating one entry into the tree (leaf hash + compact-range append), vs hashing the
  same leaf alone. Goal: under 10 µs. The full sequencer with its database UPDATEs is reported too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import time

from harness import report, save, setup_django, timeit

N_CASES = int(os.environ.get("BENCH_LEDGER_CASES", "1500"))
N_VERIFY = int(os.environ.get("BENCH_VERIFY_ENTRIES", "500000"))
N_APPEND = int(os.environ.get("BENCH_APPEND_ENTRIES", "1000000"))


def ledger_cost() -> None:
    from django.db import transaction

    from edugov.accounts.models import Grant, Organisation, OrgKind, Role, User
    from edugov.cases import actions
    from edugov.cases.workflow import ClockSpec, Transition, Workflow, register
    from edugov.kernel.calendar import get_calendar

    register(Workflow(kind="bench", title="bench", states={"new": "new", "a": "a", "b": "b"}, initial="new",
                      terminal=frozenset(), open_clocks=(ClockSpec("c1", "c1", 5),),
                      transitions=(Transition("go", "go", ("new", "b"), "a", roles=frozenset({Role.DEPARTMENT_STAFF}),
                                              stop_clocks=("c1",), start_clocks=(ClockSpec("c2", "c2", 10),)),
                                   Transition("back", "back", ("a",), "b", roles=frozenset({Role.DEPARTMENT_STAFF})))))
    bureau = Organisation.objects.create(code="BB", name="bench bureau", kind=OrgKind.BUREAU)
    dept = Organisation.objects.create(code="BB-d", name="bench dept", kind=OrgKind.DEPARTMENT, parent=bureau)
    user = User.objects.create_user(username="bench", password="x")
    Grant.objects.create(user=user, role=Role.DEPARTMENT_STAFF, organisation=dept)
    cal = get_calendar()
    cases = []
    with transaction.atomic():
        for i in range(N_CASES):
            cases.append(actions.case_open(actor=user, kind="bench", organisation=bureau, department=dept,
                                           title=f"case {i}", contact_phone="13812345678", calendar=cal))
    real_record = actions.record

    def run() -> float:
        """One round: every case forward and back again (both steps, so on and off do the same work)."""
        t0 = time.perf_counter()
        for step in ("go", "back"):
            for c in cases:
                actions.case_transition(actor=user, case=c, transition=step)
        return 2 * len(cases) / (time.perf_counter() - t0)

    on, off = [], []
    for _ in range(3):
        on.append(run())
        actions.record = lambda **kw: None  # type: ignore[assignment]
        try:
            off.append(run())
        finally:
            actions.record = real_record
    on_rate, off_rate = sorted(on)[1], sorted(off)[1]
    report("ledger_cost", on_rate / off_rate, "the same case transitions with the ledger off",
           transitions_per_s_on=on_rate, transitions_per_s_off=off_rate, cost_pct=100 * (1 - on_rate / off_rate),
           cases=len(cases))


def _bodies(n: int) -> list[bytes]:
    from edugov.audit.ledger import entry_body

    base = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    out = []
    for i in range(n):
        t = (base + dt.timedelta(seconds=i)).isoformat(timespec="microseconds")
        out.append(entry_body({"v": 1, "time": t, "actor": 7, "actor_name": "督导室·刘洋", "action": "petition.accept",
                                   "target": ["cases.case", str(i)], "org": 3, "before": {"state": "new"},
                                   "after": {"state": "accepted", "note": "已受理，转基础教育科办理"},
                                   "files": [], "note": "", "request_id": f"{i:032x}"}).encode())
    return out


def verify_rate() -> None:
    """Load N entries with COPY (with their tree indexes, as the sequencer leaves them), sign the
    head, then time `verify()` against a raw loop over the same bytes."""
    from django.db import connection

    from edugov.audit import merkle, signing
    from edugov.audit.models import TreeHead, TreeState
    from edugov.audit.verify import verify

    bodies = _bodies(N_VERIFY)
    hashes = [merkle.leaf_hash(b) for b in bodies]
    with connection.cursor() as cur:
        cur.execute("SELECT COALESCE(MAX(tree_index) + 1, 0) FROM audit_entry")
        offset = cur.fetchone()[0]
        cur.execute("SELECT body FROM audit_entry WHERE tree_index IS NOT NULL ORDER BY tree_index")
        previous = [merkle.leaf_hash(r[0].encode()) for r in cur.fetchall()]
    buf = io.StringIO()
    for i, (b, h) in enumerate(zip(bodies, hashes, strict=True)):
        body = b.decode().replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
        buf.write(f"7\tpetition.accept\tcases.case\t{i}\t3\t{i:032x}\t{body}\t{offset + i}\t\\\\x{h.hex()}\n")
    buf.seek(0)
    raw = connection.connection
    with raw.cursor() as cur, cur.copy("COPY audit_entry (actor_id, action, target_type, target_id, "
                                       "organisation_id, request_id, body, tree_index, leaf_hash) FROM STDIN") as cp:
        while chunk := buf.read(1 << 20):
            cp.write(chunk)
    all_hashes = previous + hashes
    frontier = merkle.CompactRange()
    for h in all_hashes:
        frontier.append(h)
    root_hex = frontier.root().hex()
    stamp = "2024-12-31T00:00:00Z"
    TreeHead.objects.create(tree_size=len(all_hashes), root_hash=root_hex, timestamp=stamp, key_id=signing.key_id(),
                            signature=signing.sign_head(len(all_hashes), root_hex, stamp))
    TreeState.objects.update_or_create(pk=1, defaults={"tree_size": frontier.size, "frontier": frontier.to_bytes()})
    everything = list(bodies)

    def raw_loop() -> None:
        sha = hashlib.sha256
        for b in everything:
            sha(b"\x00" + b).digest()

    raw_t = timeit(raw_loop, 3)
    t0 = time.perf_counter()
    result = verify()
    verify_t = time.perf_counter() - t0
    assert result.ok, result.problem
    n = len(all_hashes)
    raw_rate = len(everything) / raw_t
    report("audit_verify", (n / verify_t) / raw_rate, "raw hashlib SHA-256 loop over the same leaf bytes in memory",
           entries=n, entries_per_s=n / verify_t, raw_per_s=raw_rate, seconds=verify_t)
    tree_t = timeit(lambda: merkle.root(hashes), 3)
    report("audit_tree_root", raw_t / tree_t, "raw hashlib SHA-256 loop over the same leaf bytes in memory",
           leaves=len(hashes), seconds=tree_t, raw_seconds=raw_t)


def append_cost() -> None:
    from edugov.audit import merkle
    from edugov.audit.ledger import integrate, record

    bodies = _bodies(N_APPEND)

    def integrate_in_memory() -> None:
        cr = merkle.CompactRange()
        sha = hashlib.sha256
        for b in bodies:
            cr.append(sha(b"\x00" + b).digest())
        cr.root()

    def hash_only() -> None:
        sha = hashlib.sha256
        for b in bodies:
            sha(b"\x00" + b).digest()

    t = timeit(integrate_in_memory, 3)
    raw = timeit(hash_only, 3)
    per_us = t / len(bodies) * 1e6
    report("audit_append", raw / t, "hashing the same leaf alone (no tree)", entries=len(bodies),
           us_per_entry=per_us, raw_us_per_entry=raw / len(bodies) * 1e6, goal_us=10)
    # The sequencer as it runs: pending rows read, indexes and leaf hashes written back, head signed.
    from django.db import transaction

    from edugov.kernel import ledger_port

    ledger_port.declare("bench", ("i",))  # what this benchmark's entries record
    with transaction.atomic():
        for i in range(20000):
            record(actor=None, action="bench.write", target_type="t", target_id=str(i), after={"i": i})
    t0 = time.perf_counter()
    done = integrate(batch=5000)
    seq = time.perf_counter() - t0
    report("audit_sequencer", (raw / len(bodies)) / (seq / done), "hashing the same leaf alone (no tree)",
           entries=done, us_per_entry=seq / done * 1e6)


def main() -> None:
    import sys

    chosen = sys.argv[1:] or ["ledger_cost", "verify_rate", "append_cost"]
    setup_django()
    for name in chosen:
        globals()[name]()
    save()


if __name__ == "__main__":
    main()
