from __future__ import annotations

import base64
import json
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from edugov.audit import ledger, signing
from edugov.audit.models import Entry
from edugov.audit.verify import verify


class Command(BaseCommand):
    help = "The full-process record: verify, tree heads, export, proofs."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="sub", required=True)
        sub.add_parser("verify", help="recompute the whole ledger")
        th = sub.add_parser("tree-head", help="the newest signed tree head")
        th.add_argument("--json", action="store_true")
        ex = sub.add_parser("export", help="one line per integrated entry")
        ex.add_argument("--jsonl", action="store_true")
        ex.add_argument("--start", type=int, default=0)
        ex.add_argument("--end", type=int, default=None)
        pr = sub.add_parser("prove", help="inclusion proof for one entry")
        pr.add_argument("index", type=int)
        pr.add_argument("--tree-size", type=int, default=None)
        co = sub.add_parser("consistency", help="consistency proof between two tree sizes")
        co.add_argument("first", type=int)
        co.add_argument("second", type=int)
        sub.add_parser("integrate", help="integrate pending entries now")
        kg = sub.add_parser("keygen", help="create the tree-signing key file")
        kg.add_argument("--out", default=None)
        kg.add_argument("--rotate", action="store_true",
                        help="keep the current public key for old heads, then replace the signing key")
        sub.add_parser("public-key", help="print the public key (PEM)")

    def handle(self, *args: Any, **opts: Any) -> None:
        getattr(self, "do_" + opts["sub"].replace("-", "_"))(**opts)

    def do_verify(self, **opts: Any) -> None:
        ledger.integrate()
        result = verify()
        if result.ok:
            self.stdout.write(f"OK {result.tree_size} {result.root_hex}")
            return
        sys.stderr.write(f"FAIL {result.problem}\n")
        sys.exit(1)

    def do_tree_head(self, **opts: Any) -> None:
        ledger.integrate()
        head = ledger.latest_head()
        if head is None:
            raise CommandError("the ledger has no tree head yet", returncode=1)
        data = {"tree_size": head.tree_size, "root_hash": head.root_hash, "timestamp": head.timestamp,
                "signature": head.signature, "key_id": head.key_id}
        self.stdout.write(json.dumps(data) if opts["json"] else f"{head.tree_size} {head.root_hash} {head.timestamp}")

    def do_export(self, **opts: Any) -> None:
        qs = Entry.objects.filter(tree_index__isnull=False, tree_index__gte=opts["start"])
        if opts["end"] is not None:
            qs = qs.filter(tree_index__lt=opts["end"])
        out = self.stdout
        for index, body in qs.order_by("tree_index").values_list("tree_index", "body").iterator(chunk_size=5000):
            out.write(json.dumps({"index": index, "leaf": base64.b64encode(body.encode()).decode()}))

    def do_prove(self, **opts: Any) -> None:
        try:
            proof = ledger.inclusion_proof(opts["index"], opts["tree_size"])
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(json.dumps(proof))

    def do_consistency(self, **opts: Any) -> None:
        try:
            self.stdout.write(json.dumps(ledger.consistency(opts["first"], opts["second"])))
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from None

    def do_integrate(self, **opts: Any) -> None:
        self.stdout.write(str(ledger.integrate()))

    def do_keygen(self, **opts: Any) -> None:
        path = Path(opts["out"] or settings.EDUGOV["SIGNING_KEY_FILE"])
        if opts["rotate"] and path.exists():
            kept = signing.retire_current_key()
            path.replace(path.with_suffix(".retired"))
            signing._load.cache_clear()
            signing.generate_key_file(path)
            signing._load.cache_clear()
            self.stdout.write(f"kept the old public key in {kept}; new signing key {signing.key_id()} in {path}")
            return
        if path.exists():
            raise CommandError(f"{path} exists already; refusing to overwrite a signing key", returncode=2)
        signing.generate_key_file(path)
        self.stdout.write(f"created {path}")

    def do_public_key(self, **opts: Any) -> None:
        self.stdout.write(signing.public_key_pem())
