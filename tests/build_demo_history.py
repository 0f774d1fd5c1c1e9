"""Build the demo's fixed history into the database DATABASE_URL names, with the clock held at the
history's end; print the counts as JSON. Run by tests/demo_db.py in a process of its own, so the
history builds while the rest of the suite runs."""

from __future__ import annotations

import json
import sys


def main() -> None:
    import django

    django.setup()
    import time_machine

    from edugov.audit import ledger
    from edugov.demo.clock import HISTORY_END, aware
    from edugov.demo.generator import generate_history

    seed = int(sys.argv[1])
    with time_machine.travel(aware(HISTORY_END, 18), tick=False):
        counts = generate_history(seed)
        ledger.integrate()
    print(json.dumps(counts))


if __name__ == "__main__":
    main()
