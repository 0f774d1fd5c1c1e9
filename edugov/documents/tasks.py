from celery import shared_task

from .actions import seal_pending as _seal_pending


@shared_task(name="edugov.documents.tasks.seal_pending", acks_late=True)
def seal_pending() -> int:
    """Sign the documents issued since the last run (idempotent: a killed run signs nothing twice,
    each document being locked and checked before it is signed)."""
    return _seal_pending()
