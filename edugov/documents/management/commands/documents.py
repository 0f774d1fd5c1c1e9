"""`edugov documents list|export` (INTERFACES.md, "Command line")."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from edugov.accounts.cli import organisation_for
from edugov.documents import selectors
from edugov.documents.actions import document_export


class Command(BaseCommand):
    help = "Issued documents: list them, or export one as issued."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="sub", required=True)
        lst = sub.add_parser("list", help="issued documents with their verification codes and status")
        lst.add_argument("--org", default=None, help="organisation code (its subtree is listed)")
        lst.add_argument("--format", choices=["json"], default="json")
        exp = sub.add_parser("export", help="write the issued, signed PDF, byte for byte")
        exp.add_argument("code", metavar="VERIFY_CODE")
        exp.add_argument("--out", required=True, metavar="FILE.pdf")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["sub"] == "list":
            org = organisation_for(opts["org"])
            today = timezone.localdate()
            rows = [{"number": d.number, "kind": d.kind, "date": d.issued_on.isoformat(),
                     "verify_code": d.verify_code, "status": d.status_on(today)}
                    for d in selectors.issued_documents(org).only(
                        "number", "kind", "issued_on", "verify_code", "revoked_on", "replaced_by", "valid_until")
                    .iterator(chunk_size=2000)]
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1))
            return
        doc = selectors.issued_by_code(opts["code"])
        if doc is None:
            raise CommandError("no issued document has that verification code", returncode=1)
        out = Path(opts["out"])
        if not out.parent.exists():
            raise CommandError(f"the folder {out.parent} does not exist", returncode=2)
        data = document_export(actor=None, document=doc)
        tmp = out.with_name(out.name + ".part")
        tmp.write_bytes(data)
        os.replace(tmp, out)
        self.stdout.write(f"{doc.number} {hashlib.sha256(data).hexdigest()} {out}")
