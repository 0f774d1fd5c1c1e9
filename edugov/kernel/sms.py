"""SMS transport, pluggable by EDUGOV["SMS_BACKEND"].

It lives in the kernel because account sign-in (which sits left of `notifications` in the
layer contract) sends codes; `notifications` builds its templates and preferences on it.
"""

from __future__ import annotations

import logging
import sys
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger("edugov.sms")

# Messages sent by the console backend, newest last; tests and the demo read them here.
outbox: list[tuple[str, str]] = []


class SmsBackend(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class ConsoleBackend:
    """Writes each message to stderr (demo and development)."""

    def send(self, phone: str, text: str) -> None:
        outbox.append((phone, text))
        del outbox[:-200]
        sys.stderr.write(f"[SMS to {phone}] {text}\n")


class MemoryBackend:
    """Keeps messages in `outbox` only (tests)."""

    def send(self, phone: str, text: str) -> None:
        outbox.append((phone, text))


def send_sms(phone: str, text: str) -> None:
    backend: SmsBackend = import_string(settings.EDUGOV["SMS_BACKEND"])()
    backend.send(phone, text)
