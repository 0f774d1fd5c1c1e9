"""Publications past their time come down (5 years; 2 for a natural person): hourly, idempotent."""

from __future__ import annotations

from celery import shared_task

from . import actions


@shared_task(name="edugov.enforcement.tasks.take_down_expired", acks_late=True)
def take_down_expired() -> int:
    return actions.publication_take_down_expired()
