"""What the services actions share: imports, the clock and the ledger's declared fields."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from edugov.kernel import ledger_port, rules
from edugov.kernel.sms import send_sms

from ..models import (
    Application,
)

# What this module's ledger entries record (the ledger refuses any other field).
ledger_port.declare("services", ("by", "year"))  # an export of the statistics: what it was made of

# how long a false commitment excludes from the scheme: the rule services.false_commitment (a term)
FALSE_COMMITMENT_YEARS = rules.get("services.false_commitment").count


def _now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def _sms(phone: str, text: str) -> None:
    if phone:
        transaction.on_commit(lambda: send_sms(phone, text))


def _locked(app: Application) -> Application:
    return Application.objects.select_for_update(of=("self",)).select_related(
        "case", "item", "version", "case__organisation").get(pk=app.pk)
