"""What the enforcement actions share: imports, publication terms and anonymising, the ledger's declared fields, the planner check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation, User
from edugov.kernel import ledger_port
from edugov.kernel.errors import PermissionDenied
from edugov.kernel.masking import mask_name

from ..permissions import can_plan

# What this module's ledger entries record (the ledger refuses any other field).
ledger_port.declare("enforcement", (
    "agencies", "campaign", "certificates_shown", "checklist", "code", "created", "ends_on", "file", "findings", "full_coverage",
    "kind", "left_out_no_disturbance", "matter", "name", "notice", "on", "outing", "outings", "people_met", "place",
    "ratio", "rectified", "stage", "starts_on", "take_down_on", "target", "target_draw", "targets", "team", "team_draw",
    "title", "updated"))

# Penalties that make the information serious under the credit-repair measures (a permit revoked, a
# person barred from the trade); the rest of a decision made in the general procedure is general.
SERIOUS_PENALTIES = frozenset({"revoke_permit", "trade_ban"})


def publication_term_rule(types: Iterable[str]) -> str:
    """The rule of how long a penalty decision stays published (信用修复管理办法: general or serious)."""
    return "publication.penalty_term_serious" if SERIOUS_PENALTIES & set(types) else "publication.penalty_term"


def anonymised(text: str, name: str) -> str:
    """A natural person's name masked wherever the text names them (张三 → 张*): the public sees the
    decision, not who the person is (个人信息保护法 art. 28; 国办发〔2018〕118号 asks for personal
    information to be handled before publication)."""
    name = name.strip()
    return text.replace(name, mask_name(name)) if name else text


def _now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def _planner(actor: User | None, bureau: Organisation) -> None:
    if actor is not None and not can_plan(actor, bureau):
        raise PermissionDenied(_("Enforcement planning is for enforcement officers and department heads."))
