"""Verifiable draws, version 1 (INTERFACES.md, "Verifiable draws").

Pure functions over plain data, no Django: `edugov draw verify` and any auditor can re-run a
published bundle with nothing but this algorithm.

Constraints (all optional, part of the bundle; each key is documented in docs/draws.md):
- "exclude": [ids]: never selected (recusal, 无事不扰), but still ordered.
- "strata": {name: {"members": [ids], "k": n}}: the walk takes a candidate only while its
  stratum has room; candidates in no stratum are not selected. With strata, "k" is their sum.
- "teams": {"targets": [ids in order], "size": n, "cap": m, "recusal": {target: [ids]}}: the
  candidates are inspectors; for each target in the given order, the walk over the order takes
  the first `size` inspectors not recused for it and under `cap` teams. The result is
  "assignments": {target: [inspectors]}, and "selected" lists every inspector used, in order.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

VERSION = 1
SAFE_ID = re.compile(r"^[A-Za-z0-9_.\-]{1,60}$")


class DrawError(ValueError):
    """The draw's inputs are inconsistent (duplicate ids, impossible constraints …)."""


def candidates_digest(candidates: Iterable[str]) -> str:
    # Sorting by UTF-8 bytes (INTERFACES.md) is the same as Python's code-point order for str:
    # UTF-8 preserves code-point order byte by byte. Sorting the str directly skips a million
    # encodes (a third of the digest's time at 1,000,000 candidates).
    ids = sorted(candidates)
    return hashlib.sha256("\n".join(ids).encode("utf-8")).hexdigest()


def commitment(secret: bytes) -> str:
    if len(secret) != 32:
        raise DrawError("the secret is 32 bytes")
    return hashlib.sha256(secret).hexdigest()


def seed(*, draw_id: str, digest: str, secret_hex: str, public_value: str = "") -> bytes:
    obj = {"candidates_digest": digest, "draw_id": draw_id, "public_value": public_value,
           "secret": secret_hex, "v": VERSION}
    return hashlib.sha256(json.dumps(obj, sort_keys=True, separators=(",", ":"),
                                     ensure_ascii=False).encode("utf-8")).digest()


def order(candidates: Sequence[str], seed_bytes: bytes) -> list[str]:
    """Candidates sorted by SHA-256(seed ‖ UTF-8 id), ascending, ties by id.

    Distinct ids tie only on a SHA-256 collision, so sort by the key alone and look for a
    duplicate key (a set of the keys is cheaper than comparing sorted neighbours); the (key, id)
    sort, twice as slow, runs only if a tie is ever found."""
    sha = hashlib.sha256
    keys = [sha(seed_bytes + c.encode("utf-8")).digest() for c in candidates]
    idx = sorted(range(len(candidates)), key=keys.__getitem__)
    if len(set(keys)) != len(keys):
        idx.sort(key=lambda i: (keys[i], candidates[i].encode("utf-8")))
    return list(map(candidates.__getitem__, idx))


@dataclass
class Outcome:
    order: list[str]
    selected: list[str]
    assignments: dict[str, list[str]]


def select(ordered: Sequence[str], k: int, constraints: Mapping[str, Any] | None = None) -> Outcome:
    """Walk the order and take each candidate when the constraints allow it."""
    c = dict(constraints or {})
    unknown = set(c) - {"exclude", "strata", "teams"}
    if unknown:
        raise DrawError(f"unknown constraints: {', '.join(sorted(unknown))}")
    excluded = set(c.get("exclude", ()))
    if "teams" in c:
        return _teams(ordered, c["teams"], excluded)
    if "strata" in c:
        room = {name: int(s["k"]) for name, s in c["strata"].items()}
        stratum_of = {m: name for name, s in c["strata"].items() for m in s["members"]}
        if len(stratum_of) != sum(len(s["members"]) for s in c["strata"].values()):
            raise DrawError("a candidate is in two strata")
        chosen = []
        open_strata = sum(1 for r in room.values() if r > 0)
        for cand in ordered:
            if not open_strata:
                break  # every stratum is full: the rest of the order cannot change the selection
            name = stratum_of.get(cand)
            if name is None or room[name] <= 0 or cand in excluded:
                continue
            chosen.append(cand)
            room[name] -= 1
            if room[name] == 0:
                open_strata -= 1
        return Outcome(list(ordered), chosen, {})
    chosen = [cand for cand in ordered if cand not in excluded][:k]
    return Outcome(list(ordered), chosen, {})


def _teams(ordered: Sequence[str], teams: Mapping[str, Any], excluded: set[str]) -> Outcome:
    size, cap = int(teams["size"]), int(teams.get("cap", 10**9))
    recusal = {t: set(ids) for t, ids in teams.get("recusal", {}).items()}
    load: dict[str, int] = {}
    assignments: dict[str, list[str]] = {}
    for target in teams["targets"]:
        team: list[str] = []
        for inspector in ordered:
            if len(team) == size:
                break
            if inspector in excluded or inspector in recusal.get(target, ()) or load.get(inspector, 0) >= cap:
                continue
            team.append(inspector)
        if len(team) < size:
            raise DrawError(f"not enough eligible inspectors for {target}: needs {size}, found {len(team)}")
        for inspector in team:
            load[inspector] = load.get(inspector, 0) + 1
        assignments[target] = team
    used = {i for team in assignments.values() for i in team}
    return Outcome(list(ordered), [i for i in ordered if i in used], assignments)


def run(*, draw_id: str, candidates: Sequence[str], secret_hex: str, public_value: str = "", k: int = 0,
        constraints: Mapping[str, Any] | None = None, digest: str | None = None) -> Outcome:
    if len(set(candidates)) != len(candidates):
        raise DrawError("candidate ids must be unique")
    digest = digest or candidates_digest(candidates)
    return select(order(candidates, seed(draw_id=draw_id, digest=digest, secret_hex=secret_hex,
                                         public_value=public_value)), k, constraints)


def verify_bundle(bundle: Mapping[str, Any]) -> list[str]:
    """Re-run a published bundle. Returns the differences found (empty when it verifies)."""
    problems: list[str] = []
    if bundle.get("v") != VERSION:
        return [f"unsupported bundle version {bundle.get('v')!r}"]
    candidates = list(bundle["candidates"])
    digest = candidates_digest(candidates)
    if digest != bundle["candidates_digest"]:
        problems.append(f"candidates_digest: the candidates hash to {digest}, the bundle says "
                        f"{bundle['candidates_digest']}")
    try:
        secret = bytes.fromhex(bundle["secret"])
    except (ValueError, TypeError):
        return problems + ["secret: not 64 hexadecimal characters"]
    if len(secret) != 32 or bundle["secret"] != bundle["secret"].lower():
        problems.append("secret: not 32 bytes written as 64 lowercase hexadecimal characters")
    elif commitment(secret) != bundle["commitment"]:
        problems.append("commitment: the revealed secret does not hash to the published commitment")
    if not problems:
        try:
            outcome = run(draw_id=bundle["draw_id"], candidates=candidates, secret_hex=bundle["secret"],
                          public_value=bundle.get("public_value", ""), k=int(bundle.get("k", 0)),
                          constraints=bundle.get("constraints") or {}, digest=digest)
        except DrawError as exc:
            return [f"constraints: {exc}"]
        for name, got in (("order", outcome.order), ("selected", outcome.selected)):
            published = list(bundle.get(name, []))
            if published != got:
                at = next((i for i, (a, b) in enumerate(zip(published, got, strict=False)) if a != b),
                          min(len(published), len(got)))
                problems.append(f"{name}: differs at position {at + 1}: published "
                                f"{published[at] if at < len(published) else '(end)'!r}, re-run gives "
                                f"{got[at] if at < len(got) else '(end)'!r}")
        if outcome.assignments and bundle.get("assignments") != outcome.assignments:
            problems.append("assignments: the published teams differ from the re-run")
    return problems
