"""A second implementation of draw version 1, written from INTERFACES.md's text only, used to
check edugov's: an auditor needs nothing more than this to re-run a bundle."""

import hashlib
import json


def order_of(bundle):
    ids = sorted(bundle["candidates"], key=lambda s: s.encode("utf-8"))
    digest = hashlib.sha256("\n".join(ids).encode("utf-8")).hexdigest()
    assert digest == bundle["candidates_digest"]
    secret = bytes.fromhex(bundle["secret"])
    assert hashlib.sha256(secret).hexdigest() == bundle["commitment"]
    canonical = json.dumps({"candidates_digest": digest, "draw_id": bundle["draw_id"],
                            "public_value": bundle["public_value"], "secret": bundle["secret"], "v": 1},
                           sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    seed = hashlib.sha256(canonical.encode("utf-8")).digest()
    keyed = [(hashlib.sha256(seed + c.encode("utf-8")).digest(), c.encode("utf-8"), c) for c in bundle["candidates"]]
    return [c for _, _, c in sorted(keyed)]


def selection_of(bundle):
    """Step 5 from the text: walk the order, take a candidate when the constraints allow it."""
    order = order_of(bundle)
    c = bundle.get("constraints") or {}
    excluded = set(c.get("exclude", []))
    if "teams" in c:
        teams = c["teams"]
        load, out = {}, {}
        for target in teams["targets"]:
            team = [i for i in order if i not in excluded and i not in teams.get("recusal", {}).get(target, [])
                    and load.get(i, 0) < teams.get("cap", 10**9)][:teams["size"]]
            for i in team:
                load[i] = load.get(i, 0) + 1
            out[target] = team
        return [i for i in order if i in load], out
    if "strata" in c:
        room = {name: s["k"] for name, s in c["strata"].items()}
        where = {m: name for name, s in c["strata"].items() for m in s["members"]}
        taken = []
        for cand in order:
            name = where.get(cand)
            if name is not None and room[name] > 0 and cand not in excluded:
                taken.append(cand)
                room[name] -= 1
        return taken, {}
    return [i for i in order if i not in excluded][:bundle["k"]], {}
