"""Outbox reads: a person's own messages, and what operations watch."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from edugov.accounts.models import User

from .models import Message, State


def messages_of(actor: User) -> QuerySet[Message]:
    return Message.objects.filter(recipient=actor.pk)


def unconfirmed(before: dt.datetime) -> QuerySet[Message]:
    """Claimed by a worker before `before` and never confirmed (a worker died mid-send): not sent
    again automatically, since they may have gone out; operations look at them."""
    return Message.objects.filter(state=State.SENDING, claimed_at__lt=before)
