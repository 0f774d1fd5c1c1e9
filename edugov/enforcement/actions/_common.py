"""What the enforcement actions share: imports, publication periods, the ledger's declared fields, the planner check."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation, User
from edugov.kernel import ledger_port
from edugov.kernel.errors import PermissionDenied

from ..permissions import can_plan

# What this module's ledger entries record (the ledger refuses any other field).
ledger_port.declare("enforcement", (
    "agencies", "campaign", "certificates_shown", "checklist", "code", "created", "ends_on", "file", "findings", "full_coverage",
    "kind", "left_out_no_disturbance", "matter", "name", "notice", "on", "outing", "outings", "people_met", "place",
    "ratio", "rectified", "stage", "starts_on", "take_down_on", "target", "target_draw", "targets", "team", "team_draw",
    "title", "updated"))

# how long a published result stays up (issue 25 item 7: the credit-repair rules in force are still to be checked)
KEEP_YEARS, KEEP_YEARS_PERSON = 5, 2


def _now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def _planner(actor: User | None, bureau: Organisation) -> None:
    if actor is not None and not can_plan(actor, bureau):
        raise PermissionDenied(_("Enforcement planning is for enforcement officers and department heads."))
