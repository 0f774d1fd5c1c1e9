"""The assignment engine against the PyPI package `matching` (HospitalResident, resident-optimal)
on the same instances: 5 choices over 200 schools, zone priority then one lottery, at 10,000 and
50,000 students; the two must give the same matching. Goal: edugov at least 50x faster at 10,000
and 500x at 50,000. Each side is timed solving from its own prepared input (`matching`'s players
built by `create_from_dictionaries`, edugov's arrays built by `arrays_from_instance`); the time to
build each input is reported beside it.

Then edugov alone on 1,000,000 students x 5 choices over 2,000 schools, in a fresh process so its
peak memory is its own: goal under 10 s and 1 GiB. Its ratio is against numpy sorting the
5,000,000 (student, choice) ranks once, measured in the same run: a floor no assignment can beat."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness import report, save  # noqa: E402

from edugov.enrollment.engine import arrays_from_instance, deferred_acceptance  # noqa: E402

SIZES = [int(x) for x in os.environ.get("BENCH_ASSIGN_SIZES", "10000,50000").split(",")]
BIG = int(os.environ.get("BENCH_ASSIGN_BIG", "1000000"))


def instance(n: int, m: int, seed: int = 1) -> dict[str, list[dict[str, object]]]:
    """Each student: the zone school first, then 4 others; each school: its zone's students first,
    then everyone else who chose it, each group in the order of one lottery."""
    rng = random.Random(seed)
    zone = [rng.randrange(m) for _ in range(n)]
    prefs = []
    for i in range(n):
        others = rng.sample(range(m), 5)
        row = [zone[i]] + [s for s in others if s != zone[i]][:4]
        prefs.append(row)
    lottery = list(range(n))
    rng.shuffle(lottery)
    place = {s: i for i, s in enumerate(lottery)}
    applicants: list[list[int]] = [[] for _ in range(m)]
    for i, row in enumerate(prefs):
        for s in row:
            applicants[s].append(i)
    seats = max(1, int(n * 0.95 / m))
    schools = [{"id": f"S{s}", "capacity": seats,
                "priority": [f"A{i}" for i in sorted(applicants[s], key=lambda i, s=s: (zone[i] != s, place[i]))]}
               for s in range(m)]
    students = [{"id": f"A{i}", "preferences": [f"S{s}" for s in row]} for i, row in enumerate(prefs)]
    return {"schools": schools, "students": students}


def compare(n: int) -> None:
    from matching.games import HospitalResident

    sys.setrecursionlimit(max(10000, n * 4))
    inst = instance(n, 200)
    t0 = time.perf_counter()
    arrays, student_ids, school_ids = arrays_from_instance(inst)
    build_ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    result = deferred_acceptance(arrays)
    ours = time.perf_counter() - t0
    mine = {sid: (school_ids[c] if c >= 0 else None) for sid, c in zip(student_ids, result.school.tolist(), strict=True)}

    residents = {st["id"]: list(st["preferences"]) for st in inst["students"]}
    hospitals = {s["id"]: list(s["priority"]) for s in inst["schools"]}
    capacities = {s["id"]: s["capacity"] for s in inst["schools"]}
    t0 = time.perf_counter()
    game = HospitalResident.create_from_dictionaries(residents, hospitals, capacities, clean=False)
    build_theirs = time.perf_counter() - t0
    t0 = time.perf_counter()
    solution = game.solve(optimal="resident")
    theirs = time.perf_counter() - t0
    expected: dict[str, str | None] = dict.fromkeys(residents)
    for hospital, matched in solution.items():
        for r in matched:
            expected[r.name] = hospital.name
    assert mine == expected, "edugov and matching disagree"
    report(f"assignment_{n // 1000}k", theirs / ours, "matching.HospitalResident.solve on the same instance",
           students=n, schools=200, edugov_s=ours, matching_s=theirs, edugov_build_s=build_ours,
           matching_build_s=build_theirs, assigned=int((result.school >= 0).sum()), proposals=result.proposals,
           same_matching="yes")


BIG_SCRIPT = """
import json, resource, sys, time
import numpy as np
sys.path.insert(0, {root!r})
from edugov.enrollment.engine import Arrays, deferred_acceptance
n, m, k = {n}, 2000, 5
rng = np.random.default_rng(7)
zone = rng.integers(0, m, n)
choice = np.empty((n, k), np.int32)
choice[:, 0] = zone
choice[:, 1:] = rng.integers(0, m, (n, k - 1))
lottery = rng.permutation(n).astype(np.int64)
rank = np.where(choice == zone[:, None], 0, n) + lottery[:, None]
capacity = np.full(m, int(n * 0.95 / m), np.int64)
t0 = time.perf_counter()
np.sort(rank.reshape(-1) + choice.reshape(-1).astype(np.int64) * (2 * n + 1))
sort_s = time.perf_counter() - t0
t0 = time.perf_counter()
r = deferred_acceptance(Arrays(choice, rank, capacity))
da_s = time.perf_counter() - t0
print(json.dumps({{"seconds": da_s, "sort_s": sort_s, "assigned": int((r.school >= 0).sum()), "rounds": r.rounds,
                  "proposals": r.proposals, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def big() -> None:
    root = str(Path(__file__).resolve().parent.parent)
    out = subprocess.run([sys.executable, "-c", BIG_SCRIPT.format(root=root, n=BIG)], capture_output=True, text=True,
                         check=True)
    data = json.loads(out.stdout.strip().splitlines()[-1])
    report(f"assignment_{BIG // 1000}k_alone", data["sort_s"] / data["seconds"],
           "numpy sorting the 5,000,000 (student, choice) ranks once", students=BIG, schools=2000, choices=5,
           seconds=data["seconds"], peak_mib=round(data["peak_mib"]), rounds=data["rounds"],
           proposals=data["proposals"], assigned=data["assigned"])


def main() -> None:
    for n in SIZES:
        compare(n)
    big()
    save()


if __name__ == "__main__":
    main()
