from celery import shared_task

from .ledger import integrate as _integrate


@shared_task(name="edugov.audit.tasks.integrate", acks_late=True)
def integrate() -> int:
    return _integrate()


@shared_task(name="edugov.audit.tasks.offer_to_witnesses")
def offer_to_witnesses() -> list[str]:
    """Offer the newest signed head to every configured witness (Celery beat, each minute)."""
    from .witnessing import offer_all

    _integrate()
    return offer_all()
