"""The `edugov` command: Django's management commands with edugov's defaults.

Exit status: 0 on success, 1 when a verification fails, 2 on bad arguments.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.demo")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    execute_from_command_line(["edugov", *args])


if __name__ == "__main__":  # pragma: no cover
    main()
