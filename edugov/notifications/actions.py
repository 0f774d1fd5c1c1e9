"""Writing messages to the outbox and sending them. Each write leaves its ledger entry; no entry
holds an address or a text (a message says what it reminds of; the ledger says that it was sent)."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from edugov.accounts.models import NotifyBy, User
from edugov.kernel import ledger_port
from edugov.kernel.sms import send_sms

from .models import Channel, Message, State

log = logging.getLogger("edugov.notifications")

ledger_port.declare("message", ("channel", "failed", "key", "recipient", "sent"))

# A message that fails this many times is left failed (the reminder stays on the workbench).
MAX_ATTEMPTS = 3


def message_queue(*, recipient_id: int, key: str, subject: str, body: str,
                  at: dt.datetime | None = None) -> Message | None:
    """Write a message for a person who chose SMS or e-mail (None for those who did not, or whose
    account lacks the address). Idempotent on `key`: called twice, it writes once."""
    user = User.objects.filter(pk=recipient_id, is_active=True).only("pk", "notify_by", "phone", "email").first()
    if user is None or not user.notify_by:
        return None
    channel, address = (Channel.SMS, user.phone) if user.notify_by == NotifyBy.SMS else (Channel.EMAIL, user.email)
    if not address:
        return None
    now = at or timezone.now()
    try:
        with transaction.atomic():
            message = Message.objects.create(key=key, recipient_id=user.pk, channel=channel, address=address,
                                             subject=subject[:200], body=body, created_at=now)
            ledger_port.record(actor=None, action="message.queue", target=message, at=now,
                               after={"key": key, "channel": channel, "recipient": user.pk})
    except IntegrityError:
        return None
    return message


def messages_queue_texts(*, texts: list[tuple[str, str, str]], what: str, at: dt.datetime | None = None) -> int:
    """Write SMS to numbers that belong to no account (`texts`: key, number, text; every key begins
    with `what` and a colon), e.g. every family
    of an intake told its result, in the caller's transaction: the messages exist exactly when the
    act that causes them is committed, and a worker killed while sending cannot send one twice
    (messages_send). Idempotent on each key. One ledger entry says how many, never to whom."""
    now = at or timezone.now()
    rows = [Message(key=key, recipient=None, channel=Channel.SMS, address=phone, subject="", body=text, created_at=now)
            for key, phone, text in texts if phone]
    if any(not m.key.startswith(what + ":") for m in rows):
        raise ValueError("every key starts with the batch's name and a colon")
    mine = Message.objects.filter(key__startswith=what + ":")
    before = mine.count()
    Message.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    written = mine.count() - before
    ledger_port.record(actor=None, action="message.queue_texts", target_type="notifications.outbox", target_id=what,
                       at=now, after={"channel": Channel.SMS, "key": what, "sent": written})
    return written


def _deliver(message: Message) -> None:
    if message.channel == Channel.SMS:
        send_sms(message.address, f"{message.subject}：{message.body}" if message.subject else message.body)
    else:
        send_mail(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.address])


def messages_send(*, limit: int = 200, at: dt.datetime | None = None) -> dict[str, int]:
    """Send what waits in the outbox, oldest first, at most once each: the batch is claimed and
    committed before anything is sent (another worker skips the claimed rows), each message is
    confirmed after its send; a failure is tried again on a later run, up to MAX_ATTEMPTS."""
    now = at or timezone.now()
    with transaction.atomic():
        batch = list(Message.objects.select_for_update(skip_locked=True).filter(state=State.PENDING)
                     .order_by("created_at", "id")[:limit])
        Message.objects.filter(pk__in=[m.pk for m in batch]).update(state=State.SENDING, claimed_at=now,
                                                                   attempts=F("attempts") + 1)
    sent = failed = 0
    for message in batch:
        try:
            _deliver(message)
        except Exception as exc:  # a gateway's or a mail server's refusal: kept, tried again
            log.warning("message %s not sent: %s", message.pk, exc.__class__.__name__)
            final = message.attempts + 1 >= MAX_ATTEMPTS
            Message.objects.filter(pk=message.pk).update(state=State.FAILED if final else State.PENDING,
                                                         error=exc.__class__.__name__[:200])
            failed += 1
            continue
        Message.objects.filter(pk=message.pk).update(state=State.SENT, sent_at=timezone.now())
        sent += 1
    if batch:
        ledger_port.record(actor=None, action="message.send", target_type="notifications.outbox", target_id="run",
                           at=now, after={"sent": sent, "failed": failed})
    return {"sent": sent, "failed": failed}
