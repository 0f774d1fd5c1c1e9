from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from edugov.audit import signing
from edugov.audit.backup import PASSPHRASE_ENV, BackupError, restore, summary


class Command(BaseCommand):
    help = "Restore a backup onto an empty database and attachment store, then verify the ledger."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup")
        parser.add_argument("--keys-out", default=None,
                            help="directory to write the unsealed keys to (keys.env and the signing key files)")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            manifest = restore(Path(opts["backup"]), os.environ.get(PASSPHRASE_ENV),
                               Path(opts["keys_out"]) if opts["keys_out"] else None)
        except BackupError as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(f"restored: {summary(manifest)}")
        if opts["keys_out"]:
            self.stdout.write(f"keys written to {opts['keys_out']} (mode 0600): load keys.env into the service's "
                              "environment, then delete the directory")
        sys.stdout.flush()
        keyfile = manifest.get("signing_key_file")
        if opts["keys_out"]:
            # verify against the keys that came with the backup (the public halves, in production),
            # not this process's
            settings.EDUGOV["SIGNING_KEY_FILE"] = str(Path(opts["keys_out"]) / (keyfile or "tree-signing.pem"))
            signing._load.cache_clear()
        call_command("audit", "verify", stdout=self.stdout)
