"""`edugov democity --districts N`: the demo city's districts (edugov/demo/city.py)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from edugov.audit import ledger
from edugov.demo.city import NAMES, generate_city


class Command(BaseCommand):
    help = "Add N districts to the demo city (each with its hotline, categories, schools and two accounts)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--districts", type=int, default=5, help=f"1 to {len(NAMES)} (5 by default)")
        parser.add_argument("--schools", type=int, default=20, help="primary schools in each district")
        parser.add_argument("--seed", type=int, default=2024)

    def handle(self, *args: Any, **opts: Any) -> None:
        if not 1 <= opts["districts"] <= len(NAMES):
            raise CommandError(f"--districts takes 1 to {len(NAMES)}")
        if not 1 <= opts["schools"] <= 500:
            raise CommandError("--schools takes 1 to 500")
        call_command("migrate", interactive=False, verbosity=0)
        with tqdm(total=opts["districts"] * (opts["schools"] + 1), desc="生成示范市各区", unit="条", file=sys.stderr,
                  dynamic_ncols=True) as bar:
            made = generate_city(opts["districts"], opts["schools"], opts["seed"], progress=bar.update)
        ledger.integrate()
        self.stdout.write("demo city: " + ", ".join(f"{k}={v}" for k, v in made.items()))
        if made["accounts"]:
            self.stdout.write("accounts: cd01-leader, cd01-sup … (the demo password)")
