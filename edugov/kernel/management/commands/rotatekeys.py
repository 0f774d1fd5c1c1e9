"""Re-encrypt personal data still under an older data key with the current one.

Rotation: put the new key first in EDUGOV_DATA_KEYS (keep the old ones after it), restart, run
`edugov rotatekeys`, and when it reports nothing left under an old key, drop the old key."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from tqdm import tqdm

from edugov.kernel import ledger_port
from edugov.kernel.crypto import EncryptedTextField, Sealed, current_key_id, key_id_of

# What this module's ledger entries record (the ledger refuses any other field).
ledger_port.declare("keys", ("key_id", "rows"))


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field that is not under the current data key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="count only")
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args: Any, **opts: Any) -> None:
        current = current_key_id()
        totals: dict[str, int] = {}
        for model in apps.get_models():
            fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
            if not fields:
                continue
            label = model._meta.label
            names = [f.attname for f in fields]
            rows = model._default_manager.values_list("pk", *names)
            stale = [(pk, vals) for pk, *vals in rows.iterator(chunk_size=opts["batch"])
                     if any(isinstance(v, Sealed) and key_id_of(v.token) != current for v in vals)]
            totals[label] = len(stale)
            if opts["dry_run"] or not stale:
                continue
            for start in tqdm(range(0, len(stale), opts["batch"]), desc=label, unit="batch", disable=None):
                with transaction.atomic():
                    for pk, vals in stale[start:start + opts["batch"]]:
                        plain = {n: str(v) if isinstance(v, Sealed) else v for n, v in zip(names, vals, strict=True)}
                        model._default_manager.filter(pk=pk).update(**plain)
        changed = {k: v for k, v in totals.items() if v}
        if not opts["dry_run"] and changed:
            with transaction.atomic():
                ledger_port.record(actor=None, action="keys.rotate", after={"key_id": current, "rows": changed})
        verb = "would re-encrypt" if opts["dry_run"] else "re-encrypted"
        for label, n in totals.items():
            self.stdout.write(f"{label}: {verb} {n}")
