"""The outbox's worker, run by Celery beat every minute (and eagerly in the demo and the tests)."""

from __future__ import annotations

import time

from celery import shared_task

from . import actions

# A run sends batch after batch for up to this long (an intake's 300,000 results), then leaves the
# rest to the next run, so that beat's next minute never finds two runs side by side for long.
RUN_SECONDS = 50.0
# Claimed (and committed) before sending: a process killed mid-batch leaves at most this many
# messages "sending", never sent twice, for a person to check against the gateway's report.
BATCH = 50


@shared_task(name="edugov.notifications.tasks.send_messages", acks_late=True)
def send_messages() -> dict[str, int]:
    total = {"sent": 0, "failed": 0}
    until = time.monotonic() + RUN_SECONDS
    while True:
        done = actions.messages_send(limit=BATCH)
        total = {k: total[k] + done[k] for k in total}
        if not done["sent"] + done["failed"] or time.monotonic() > until:
            return total
