from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from edugov.draws.algorithm import verify_bundle


class Command(BaseCommand):
    help = "Verifiable draws."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="sub", required=True)
        v = sub.add_parser("verify", help="re-run a published draw from its bundle")
        v.add_argument("bundle")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            with open(opts["bundle"], encoding="utf-8") as fh:
                data = json.load(fh)
        except (OSError, ValueError) as exc:
            raise CommandError(f"cannot read the bundle: {exc}", returncode=2) from None
        required = {"v", "draw_id", "candidates", "candidates_digest", "commitment", "secret", "order", "selected"}
        missing = sorted(required - set(data)) if isinstance(data, dict) else sorted(required)
        if missing:
            raise CommandError(f"not a draw bundle: missing {', '.join(missing)}", returncode=2)
        problems = verify_bundle(data)
        if problems:
            sys.stderr.write(f"FAIL {problems[0]}\n")
            sys.exit(1)
        self.stdout.write("OK")
