"""Compile the .po catalogues to .mo with polib, so a fresh machine needs no gettext tools.

With --check, first fail if any message lacks a translation or is fuzzy (CI runs makemessages
before it, so a new source string without its Chinese text fails the build)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Compile translation catalogues without gettext; --check fails on untranslated messages."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        problems: list[str] = []
        for base in settings.LOCALE_PATHS:
            for po_path in sorted(Path(base).glob("*/LC_MESSAGES/*.po")):
                po = polib.pofile(str(po_path))
                if opts["check"]:
                    for entry in po:
                        if entry.obsolete:
                            continue
                        if not entry.translated() or "fuzzy" in entry.flags:
                            problems.append(f"{po_path.parent.parent.name}: {entry.msgid!r}")
                po.save_as_mofile(str(po_path.with_suffix(".mo")))
                self.stdout.write(f"compiled {po_path.relative_to(settings.BASE_DIR)} ({po.percent_translated()}%)")
        if problems:
            raise CommandError("untranslated messages:\n  " + "\n  ".join(problems[:50]))
