from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from edugov.audit.backup import PASSPHRASE_ENV, BackupError, backup, summary


class Command(BaseCommand):
    help = ("One file with a consistent copy of the database, the attachments and (sealed with "
            f"${PASSPHRASE_ENV}) the keys.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", default=None, help="the backup file (default: edugov-<time>.backup)")

    def handle(self, *args: Any, **opts: Any) -> None:
        out = Path(opts["out"] or f"edugov-{timezone.now():%Y%m%d-%H%M%S}.backup")
        passphrase = os.environ.get(PASSPHRASE_ENV)
        if not passphrase:
            self.stderr.write(f"warning: {PASSPHRASE_ENV} is not set: the keys are NOT in this backup; keep them "
                              "in your secret store, without them the encrypted fields cannot be read")
        try:
            manifest = backup(out, passphrase)
        except BackupError as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(f"{out} ({out.stat().st_size:,} bytes): {summary(manifest)}")
