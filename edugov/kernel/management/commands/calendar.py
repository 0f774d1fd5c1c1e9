from __future__ import annotations

import datetime as dt
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from edugov.kernel.calendar import get_calendar
from edugov.kernel.errors import ValidationFailed


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"not an ISO date (YYYY-MM-DD): {value!r}", returncode=2) from None


class Command(BaseCommand):
    help = "The legal clock: deadlines and working days."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="sub", required=True)
        d = sub.add_parser("deadline", help="the date a time limit of N days started on START ends")
        d.add_argument("start")
        d.add_argument("n", type=int)
        d.add_argument("unit", choices=["working", "natural", "months"])
        w = sub.add_parser("is-workday", help="yes or no")
        w.add_argument("date")

    def handle(self, *args: Any, **opts: Any) -> None:
        cal = get_calendar()
        if opts["sub"] == "is-workday":
            day = _date(opts["date"])
            self.stdout.write("yes" if cal.is_workday(day) else "no")
            if not cal.has_data(day.year):
                sys.stderr.write(f"provisional: no holiday data for {day.year}; Monday to Friday assumed\n")
            return
        if opts["n"] < 0:
            raise CommandError("N must be zero or more", returncode=2)
        try:
            result = cal.deadline(_date(opts["start"]), opts["n"], opts["unit"])
        except ValidationFailed as exc:
            raise CommandError(exc.message, returncode=2) from None
        self.stdout.write(result.date.isoformat())
        if result.provisional:
            sys.stderr.write(
                f"provisional: no holiday data for a year in {opts['start']}..{result.date}; "
                "Monday to Friday assumed until the holiday notice is loaded\n"
            )
