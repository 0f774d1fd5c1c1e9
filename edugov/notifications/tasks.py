"""The outbox's worker, run by Celery beat every minute (and eagerly in the demo and the tests)."""

from __future__ import annotations

from celery import shared_task

from . import actions


@shared_task(name="edugov.notifications.tasks.send_messages", acks_late=True)
def send_messages() -> dict[str, int]:
    return actions.messages_send()
