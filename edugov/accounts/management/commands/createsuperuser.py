"""`edugov createsuperuser`: the first system administrator, through accounts.actions (so the
account and its role are recorded like any other), replacing Django's command of the same name,
which writes the user directly and records nothing."""

from __future__ import annotations

import getpass
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from edugov.accounts import actions
from edugov.accounts.cli import organisation_for
from edugov.accounts.models import Role
from edugov.kernel.errors import EdugovError


class Command(BaseCommand):
    help = "Create a system administrator (with Django's admin flags) and give them the role at an organisation."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=False)
        parser.add_argument("--full-name", default="")
        parser.add_argument("--org", default=None, help="organisation code (default: the only district)")
        parser.add_argument("--noinput", "--no-input", action="store_true",
                            help="read the password from EDUGOV_NEW_PASSWORD instead of asking")

    def handle(self, *args: Any, **opts: Any) -> None:
        import os

        username = opts["username"] or input("Username: ").strip()
        if opts["noinput"]:
            password = os.environ.get("EDUGOV_NEW_PASSWORD", "")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ.", returncode=2)
        try:
            validate_password(password)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages), returncode=2) from None
        org = organisation_for(opts["org"])
        try:
            with transaction.atomic():
                user = actions.staff_create(actor=None, username=username, full_name=opts["full_name"],
                                            password=password, grants=[(Role.SYSADMIN, org)])
                actions.user_update(actor=None, user=user, data={"is_staff": True, "is_superuser": True})
        except EdugovError as exc:
            raise CommandError(exc.message, returncode=2) from None
        self.stdout.write(f"{username}: system administrator at {org.code}")
