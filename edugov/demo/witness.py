"""The demo's witness: the city bureau (示范市教育局) keeps the newest head of the district's
ledger it cosigned, in a folder beside the data directory (settings.demo: `var-witness/`), so
that `edugov audit verify` catches a rollback of `var/` without options."""

from __future__ import annotations

import shutil
from pathlib import Path

from django.conf import settings

from edugov.audit import witnessing
from edugov.audit.witness import Witness

NAME = "city.demo.edugov.invalid/witness"
LABEL = "示范市教育局"


def city_witness(fresh: bool) -> list[str]:
    """Set up the demo's witness folder when it is missing, or anew with a freshly generated
    district (the old folder witnessed a ledger that no longer exists), then offer it the newest
    head. Returns what was done, for the console."""
    folders = [w.get("dir") for w in settings.EDUGOV.get("AUDIT_WITNESSES", []) if w.get("label") == LABEL]
    if not folders or not folders[0]:
        return []
    folder = Path(folders[0])
    done = []
    if fresh and folder.exists():
        shutil.rmtree(folder)
    if not (folder / "witness.json").exists():
        witness = Witness.init(folder, NAME, LABEL)
        witness.follow(witnessing.origin(), witnessing.log_vkey())
        done.append(f"witness {LABEL} set up in {folder} (outside the data directory)")
    return done + witnessing.offer_all(local_only=True)
