"""`edugov changepassword <username>`: through accounts.actions.password_set (recorded, without
the password), replacing Django's command of the same name, which records nothing."""

from __future__ import annotations

import getpass
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from edugov.accounts import actions
from edugov.accounts.models import User


class Command(BaseCommand):
    help = "Set a staff member's password from the terminal (recorded as a reset, without the password)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **opts: Any) -> None:
        user = User.objects.filter(username=opts["username"]).first()
        if user is None:
            raise CommandError(f"No user {opts['username']!r}.", returncode=2)
        password = getpass.getpass("New password: ")
        if password != getpass.getpass("New password (again): "):
            raise CommandError("The two passwords differ.", returncode=2)
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages), returncode=2) from None
        actions.password_set(actor=None, user=user, password=password)
        self.stdout.write(f"Password changed for {user.username}.")
