"""The outbox: every SMS or e-mail the platform sends besides a sign-in code (issue 26).

A message is written in the transaction of the act that causes it (a reminder, an escalation),
then sent by a worker. Its `key` makes the write idempotent; its state makes the sending at most
once: a worker claims a batch (SENDING, committed) before it sends, so a worker restarted after
the claim never sends those again, and they stay visible as unconfirmed instead."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from edugov.kernel.crypto import EncryptedTextField


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")


class State(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Handed to a worker, not confirmed")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Message(models.Model):
    key = models.CharField(max_length=80, unique=True)  # what caused it, e.g. "reminder:1234"
    # None for a family without an account (an enrollment result sent to the number on the application)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="messages", null=True,
                                  blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    address = EncryptedTextField(_("address"))  # the number or e-mail address at the time of writing
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(_("written at"))
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["state", "created_at"], name="message_state")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} · {self.subject}"
