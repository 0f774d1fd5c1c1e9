"""What the enrollment actions share: imports, the application form as typed, the plain-words questions, the clock helpers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from edugov.kernel import ledger_port
from edugov.kernel.sms import send_sms

from ..models import (
    Application,
    Notice,
)

# What this module's ledger entries record (the ledger refuses any other field).
ledger_port.declare("intake", ("rows",))


def _now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def _tell(app: Application, text: str, at: dt.datetime | None = None) -> None:
    """Tell the parent: the message is kept on their page (and the tracking page), then sent by SMS."""
    Notice.objects.create(application=app, at=_now(at), text=text)
    phone = app.guardian_phone
    if phone:
        transaction.on_commit(lambda: send_sms(phone, text))


CHANGEABLE = {"closes_at", "lottery_on", "results_on", "appeal_days", "max_private_choices"}


@dataclass
class Form:
    """What a parent types, before checking."""

    child_name: str = ""
    child_id_number: str = ""
    household: str = ""
    guardian_name: str = ""
    guardian_id_number: str = ""
    guardian_phone: str = ""
    second_guardian_name: str = ""
    second_guardian_phone: str = ""
    address: str = ""
    community: str = ""
    category: int | None = None
    private_choices: Sequence[int] = ()
    consent: bool = False


def _locked(app: Application) -> Application:
    return Application.objects.select_for_update(of=("self",)).select_related("case", "intake").get(pk=app.pk)


@dataclass
class Imported:
    """One application taken over from the city's 入学一件事 platform, already reviewed there."""

    form: Form
    submitted_at: dt.datetime
    satisfaction: int | None = None
    rated_at: dt.datetime | None = None


QUESTIONS = ("q_household", "q_home", "q_permit")
