from celery import shared_task

from .ledger import integrate as _integrate


@shared_task(name="edugov.audit.tasks.integrate", acks_late=True)
def integrate() -> int:
    return _integrate()
