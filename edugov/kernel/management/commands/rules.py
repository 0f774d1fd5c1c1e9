"""`edugov rules`: the registry of legal time limits (INTERFACES.md, "Legal rules")."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from edugov.kernel import rules
from edugov.kernel.errors import ValidationFailed

DOC = Path(settings.BASE_DIR) / "docs" / "legal-rules.md"
UNITS = {"working_days": "working days", "natural_days": "days", "months": "months", "years": "years"}


def markdown() -> str:
    """docs/legal-rules.md, generated from the registry (English, with the bases as written)."""
    with translation.override("en"):
        lines = ["# Legal rules", "",
                 "Every time limit edugov enforces, generated from `edugov/kernel/rules.py` by "
                 "`edugov rules docs` (do not edit by hand). `edugov rules deadline penalty.hearing_request 2024-09-27` gives the last "
                 "day of a period for an event on that date (here 2024-10-10). Local rules are the bureau's (or a policy document's), "
                 "not a statute's; an installation may set their counts (`EDUGOV_LOCAL_RULES`).", "",
                 "| id | what | period | from | basis or source |", "|---|---|---|---|---|"]
        for r in rules.all_rules():
            unit = UNITS[r.unit][:-1] if r.count == 1 else UNITS[r.unit]  # 1 year, 1 day
            period = f"{r.count} {unit}" + (" (at most; per case)" if r.sized_per_case else "") + (
                " (a term: ends on the corresponding day, rest day or not)" if r.term else "") + (
                " (the party's time: never the bureau's due date)" if r.party else "")
            basis = str(r.basis) + (" — local rule" if r.local else "") + (f". {r.note}" if r.note else "")
            lines.append(f"| `{r.id}` | {r.title} | {period} | {r.starts_on} | {basis} |")
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = "The legal time limits the platform enforces: list them, or count one from a date."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="sub", required=True)
        ls = sub.add_parser("list", help="every rule")
        ls.add_argument("--format", choices=["json", "text"], default="text")
        d = sub.add_parser("deadline", help="the last day of RULE_ID's period for an event on DATE")
        d.add_argument("rule_id")
        d.add_argument("date")
        docs = sub.add_parser("docs", help="write docs/legal-rules.md from the registry")
        docs.add_argument("--check", action="store_true", help="exit 1 if the file differs")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["sub"] == "list":
            found = rules.all_rules()
            if opts["format"] == "json":
                self.stdout.write(json.dumps(rules.as_json(found), ensure_ascii=False, indent=1))
            else:
                for r in found:
                    self.stdout.write(f"{r.id}\t{r.count} {r.unit}\t{r.basis}")
            return
        if opts["sub"] == "docs":
            text = markdown()
            if opts["check"]:
                if not DOC.exists() or DOC.read_text(encoding="utf-8") != text:
                    raise CommandError("docs/legal-rules.md is not the registry's; run `edugov rules docs`",
                                       returncode=1)
                return
            DOC.write_text(text, encoding="utf-8")
            self.stdout.write(str(DOC))
            return
        try:
            event = dt.date.fromisoformat(opts["date"])
        except ValueError:
            raise CommandError(f"not an ISO date (YYYY-MM-DD): {opts['date']!r}", returncode=2) from None
        try:
            rule = rules.get(opts["rule_id"])
            if rule.term:  # how long something lasts: its last day, which no rest day moves
                self.stdout.write(rule.ends(event).isoformat())
                return
            result = rule.deadline(event)
        except ValidationFailed as exc:
            raise CommandError(f"{exc.message} (edugov rules list)", returncode=2) from None
        self.stdout.write(result.date.isoformat())
        if result.provisional:
            sys.stderr.write(f"provisional: no holiday data for a year in {event}..{result.date}; Monday to Friday "
                             "assumed until the holiday notice is loaded\n")
