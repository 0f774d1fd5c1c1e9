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
