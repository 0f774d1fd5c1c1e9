from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from edugov.enrollment.engine import InstanceError, assign


class Command(BaseCommand):
    help = "School enrollment: the assignment engine on an explicit instance (see docs/enrollment.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="sub", required=True)
        a = sub.add_parser("assign", help="student-proposing deferred acceptance over explicit strict priorities")
        a.add_argument("--input", default="-", help="the instance as JSON (a file, or - for stdin)")
        a.add_argument("--output", default="-", help="where to write the result (default: stdout)")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            if opts["input"] == "-":
                instance = json.load(sys.stdin)
            else:
                with open(opts["input"], encoding="utf-8") as fh:
                    instance = json.load(fh)
        except (OSError, ValueError) as exc:
            raise CommandError(f"cannot read the instance: {exc}", returncode=2) from None
        try:
            result = assign(instance)
        except InstanceError as exc:
            raise CommandError(f"not a valid instance: {exc}", returncode=2) from None
        text = json.dumps(result, ensure_ascii=False)
        if opts["output"] == "-":
            self.stdout.write(text)
        else:
            with open(opts["output"], "w", encoding="utf-8") as fh:
                fh.write(text + "\n")
