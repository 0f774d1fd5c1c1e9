from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from edugov.accounts.actions import api_key_create
from edugov.accounts.cli import organisation_for
from edugov.kernel.errors import EdugovError


class Command(BaseCommand):
    help = "API keys for other systems (Open311, the agency API)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="sub", required=True)
        c = sub.add_parser("create", help="print a new key once; only its hash is stored")
        c.add_argument("--name", required=True)
        c.add_argument("--org", default=None, help="organisation code (default: the only district)")

    def handle(self, *args: Any, **opts: Any) -> None:
        org = organisation_for(opts["org"])
        try:
            _api_key, key = api_key_create(actor=None, name=opts["name"], organisation=org)
        except EdugovError as exc:
            raise CommandError(exc.message, returncode=2) from None
        self.stdout.write(key)
