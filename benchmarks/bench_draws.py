"""A stratified draw over 1,000,000 candidates with constraints, and its verification, vs
`random.sample` ordering the same 1,000,000 candidates, same run.
Goal: at most 10x random.sample (ratio >= 0.1) and under 5 s here.

The draw is pure computation (no database): the ordering every auditor re-runs."""

from __future__ import annotations

import os
import random
import secrets
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness import report, save  # noqa: E402

from edugov.draws import algorithm  # noqa: E402

N = int(os.environ.get("BENCH_DRAW_CANDIDATES", "1000000"))


def main() -> None:
    candidates = [f"500101{i:09d}" for i in range(N)]
    high = candidates[: N // 20]            # 5% high-risk targets, 20% of them drawn
    complaints = candidates[N // 20: N // 10]  # 5% with complaints, 10% drawn
    normal = candidates[N // 10:]            # the rest at 5%
    constraints = {
        "strata": {"high": {"members": high, "k": len(high) // 5},
                   "complaints": {"members": complaints, "k": len(complaints) // 10},
                   "normal": {"members": normal, "k": len(normal) // 20}},
        "exclude": candidates[N // 10: N // 10 + 1000],  # inspected this year already (无事不扰)
    }
    k = sum(s["k"] for s in constraints["strata"].values())
    secret_hex = secrets.token_bytes(32).hex()

    t0 = time.perf_counter()
    outcome = algorithm.run(draw_id="BENCH-1", candidates=candidates, secret_hex=secret_hex, k=k,
                            constraints=constraints)
    draw_s = time.perf_counter() - t0
    bundle = {"v": 1, "draw_id": "BENCH-1", "candidates": candidates,
              "candidates_digest": algorithm.candidates_digest(candidates),
              "commitment": algorithm.commitment(bytes.fromhex(secret_hex)), "secret": secret_hex,
              "public_value": "", "k": k, "constraints": constraints, "order": outcome.order,
              "selected": outcome.selected}
    t0 = time.perf_counter()
    problems = algorithm.verify_bundle(bundle)
    verify_s = time.perf_counter() - t0
    assert problems == [], problems

    rng = random.Random(1)
    t0 = time.perf_counter()
    rng.sample(candidates, len(candidates))
    sample_s = time.perf_counter() - t0

    total = draw_s + verify_s
    report("draw_stratified_1m", sample_s / total, "random.sample ordering the same candidates",
           candidates=N, selected=len(outcome.selected), draw_s=draw_s, verify_s=verify_s, total_s=total,
           random_sample_s=sample_s)
    save()


if __name__ == "__main__":
    main()
