from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from tqdm import tqdm

from edugov.accounts.models import Organisation
from edugov.audit import ledger
from edugov.demo.clock import Live
from edugov.demo.generator import DEMO_PASSWORD, account_table, generate
from edugov.demo.witness import city_witness


class Command(BaseCommand):
    help = "Set up the demo district (migrate, generate when empty) and serve it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="set up only")
        parser.add_argument("--addr", default="127.0.0.1:8000", help="HOST:PORT to serve on")
        parser.add_argument("--seed", type=int, default=2024)

    def handle(self, *args: Any, **opts: Any) -> None:
        translation.activate("zh-hans")
        call_command("migrate", interactive=False, verbosity=0)
        if not Organisation.objects.exists():
            try:
                Live.at()
            except ValueError as e:
                raise CommandError(str(e)) from e
            with tqdm(total=3153, desc="生成示范区数据", unit="条", file=sys.stderr, dynamic_ncols=True) as bar:
                counts = generate(seed=opts["seed"], progress=bar.update)
                bar.set_description("整合全过程记录")
                ledger.integrate()
                bar.update(max(0, bar.total - bar.n))
            self.stdout.write("demo district created: " + ", ".join(f"{k}={v}" for k, v in counts.items()))
            fresh = True
        else:
            ledger.integrate()
            self.stdout.write("demo district already present; nothing generated")
            fresh = False
        for line in city_witness(fresh):
            self.stdout.write(line)
        # The demo runs no Celery beat: send the reminders and escalations due now, once.
        from edugov.cases.tasks import send_clock_reminders
        from edugov.demo.generator import verification_examples

        send_clock_reminders()
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (DEMO ONLY password for all: {DEMO_PASSWORD})")
        for username, role, org in account_table():
            self.stdout.write(f"  {username:<14} {role:<12} {org}")
        self.stdout.write("  Public users sign in with any mobile number; the SMS code is printed on this console.")
        for label, code in verification_examples():
            self.stdout.write(f"  {label}: http://{opts['addr']}/verify/{code}")
        if opts["no_serve"]:
            return
        self.stdout.write(f"\nServing http://{opts['addr']}/  (Ctrl+C to stop)")
        self.stdout.flush()
        # gunicorn, as in production (static files through whitenoise); one worker because the
        # embedded SQLite database and the eager task runner live in-process.
        os.execvp(sys.executable, [sys.executable, "-m", "gunicorn", "config.wsgi:application",  # noqa: S606
                                   "--bind", opts["addr"], "--workers", "1", "--threads", "8",
                                   "--access-logfile", "-", "--log-level", "warning"])
