"""SMS transport, pluggable by EDUGOV["SMS_BACKEND"].

It lives in the kernel because account sign-in (which sits left of `notifications` in the
layer contract) sends codes; `notifications` builds its templates and preferences on it.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import logging
import sys
import urllib.parse
import urllib.request
import uuid
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


class SmsGatewayError(Exception):
    """The gateway refused or did not answer; the caller's transaction has committed already."""


def percent_encode(value: str) -> str:
    """RFC 3986 encoding as the gateway signs it: only A-Z a-z 0-9 - _ . ~ stay as they are (a
    space is %20, never +)."""
    return urllib.parse.quote(value, safe="-_.~")


def signed_query(params: dict[str, str], secret: str, method: str = "GET") -> str:
    """The query string of a request to an Alibaba Cloud RPC-style API (the SMS gateway most
    Chinese bureaus use; Tencent's and others' gateways accept the same form through a relay):
    parameters sorted by name, RFC 3986 encoded, signed with HMAC-SHA1 over
    ``METHOD&%2F&percent_encode(canonical query)`` with the key ``secret + "&"``, base64.
    Written here because the vendor SDK is large and pulls in a dozen packages for this one call;
    the test checks it against the vendor's published example."""
    canonical = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))
    to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
    return f"Signature={percent_encode(base64.b64encode(digest).decode())}&{canonical}"


class GatewayBackend:
    """Sends through an HTTP SMS gateway (Alibaba Cloud's SendSms, version 2017-05-25), configured
    by EDUGOV["SMS_GATEWAY"]: url, access_key_id, access_key_secret, sign_name, template_code and
    the template's parameter that takes the text (template_param, default "content")."""

    def __init__(self) -> None:
        self.config = dict(settings.EDUGOV.get("SMS_GATEWAY") or {})

    def request_url(self, phone: str, text: str, *, nonce: str | None = None, now: dt.datetime | None = None) -> str:
        c = self.config
        params = {
            "AccessKeyId": c["access_key_id"], "Action": "SendSms", "Format": "JSON", "PhoneNumbers": phone,
            "RegionId": c.get("region", "cn-hangzhou"), "SignName": c["sign_name"],
            "SignatureMethod": "HMAC-SHA1", "SignatureNonce": nonce or uuid.uuid4().hex, "SignatureVersion": "1.0",
            "TemplateCode": c["template_code"],
            "TemplateParam": json.dumps({c.get("template_param", "content"): text}, ensure_ascii=False),
            "Timestamp": (now or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%dT%H:%M:%SZ"), "Version": "2017-05-25",
        }
        return f"{c.get('url', 'https://dysmsapi.aliyuncs.com/')}?{signed_query(params, c['access_key_secret'])}"

    def send(self, phone: str, text: str) -> None:
        url = self.request_url(phone, text)
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - a configured https URL
                answer = json.loads(response.read().decode() or "{}")
        except (OSError, ValueError) as exc:
            log.error("SMS gateway unreachable: %s", type(exc).__name__)
            raise SmsGatewayError("unreachable") from exc
        if answer.get("Code") != "OK":
            log.error("SMS gateway refused: %s", answer.get("Code"))
            raise SmsGatewayError(str(answer.get("Code")))


# Senders that only print or keep messages: the deploy check refuses them in production.
DEMO_BACKENDS = ("edugov.kernel.sms.ConsoleBackend", "edugov.kernel.sms.MemoryBackend")


def send_sms(phone: str, text: str) -> None:
    backend: SmsBackend = import_string(settings.EDUGOV["SMS_BACKEND"])()
    backend.send(phone, text)
