"""`edugov report metrics|…`: reports other apps add subcommands to through REPORT_COMMANDS."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from edugov.accounts.cli import organisation_for
from edugov.metrics import registry

# name → (add_arguments, handle): the reports app registers "annual" here in its ready().
REPORT_COMMANDS: dict[str, tuple[Callable[[Any], None], Callable[..., None]]] = {}


class Command(BaseCommand):
    help = "Reports and figures."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="sub", required=True)
        m = sub.add_parser("metrics", help="every registered metric for a year")
        m.add_argument("--year", type=int, required=True)
        m.add_argument("--org", default=None, help="organisation code (its subtree is counted)")
        m.add_argument("--format", choices=["json", "table"], default="table")
        for name, (add_args, _handle) in REPORT_COMMANDS.items():
            add_args(sub.add_parser(name))

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["sub"] != "metrics":
            REPORT_COMMANDS[opts["sub"]][1](self, **opts)
            return
        if not 2000 <= opts["year"] <= 2100:
            raise CommandError("--year must be a year such as 2024", returncode=2)
        org = organisation_for(opts["org"])
        period = registry.Period.year(opts["year"])
        values = registry.compute_all(period, org)
        if opts["format"] == "json":
            self.stdout.write(json.dumps(registry.as_json(period, org, values), ensure_ascii=False, indent=1))
            return
        width = max((len(k) for k in values), default=10)
        self.stdout.write(f"{org.name} {period.start}..{period.end}")
        for key, value in values.items():
            self.stdout.write(f"{key:<{width}}  {value.display:>12}  {value.metric.title}")
