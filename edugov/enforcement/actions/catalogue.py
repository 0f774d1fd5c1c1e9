"""The enforcement item catalogue (权责清单): claim, release, import."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation, User
from edugov.audit.ledger import record
from edugov.kernel.errors import Conflict, ValidationFailed

from ..models import (
    EnforcementItem,
)
from ._common import _now, _planner
from .penalties import _amount


@transaction.atomic
def item_claim(*, actor: User | None, item: EnforcementItem, at: dt.datetime | None = None) -> EnforcementItem:
    _planner(actor, item.organisation)
    if item.claimed:
        raise Conflict(_("Item %(code)s is claimed already.") % {"code": item.code})
    item.claimed_at, item.released_at, item.release_reason = _now(at), None, ""
    item.save(update_fields=["claimed_at", "released_at", "release_reason"])
    record(actor=actor, action="enforcement.item_claim", target=item, organisation=item.organisation,
           at=item.claimed_at, after={"code": item.code, "name": item.name})
    return item


@transaction.atomic
def item_release(*, actor: User | None, item: EnforcementItem, reason: str, at: dt.datetime | None = None) -> EnforcementItem:
    _planner(actor, item.organisation)
    if not item.claimed:
        raise Conflict(_("Item %(code)s is not claimed.") % {"code": item.code})
    if not reason.strip():
        raise ValidationFailed(_("Please give the reason for releasing the item."), field="reason")
    item.released_at, item.release_reason = _now(at), reason.strip()[:200]
    item.save(update_fields=["released_at", "release_reason"])
    record(actor=actor, action="enforcement.item_release", target=item, organisation=item.organisation,
           at=item.released_at, after={"code": item.code}, note=item.release_reason)
    return item


@transaction.atomic
def item_import(*, actor: User | None, organisation: Organisation, data: bytes,
                 at: dt.datetime | None = None) -> dict[str, int]:
    """Import the city catalogue from XLSX: new codes are added (unclaimed), known codes updated.
    A file with any bad row saves nothing and says which lines to fix."""
    from edugov.kernel.xlsx import read_rows

    from ..documents import item_columns

    _planner(actor, organisation)
    rows = read_rows(data, item_columns())
    departments = {o.name: o for o in Organisation.objects.filter(path__startswith=organisation.path)}
    problems: list[str] = []
    parsed = []
    for line, row in rows:
        code, name, basis = (str(row.get(k) or "").strip() for k in ("code", "name", "legal_basis"))
        if not (code and name and basis):
            problems.append(_("line %(n)d: code, item and legal basis are required") % {"n": line})
            continue
        try:
            low, high = _amount(row.get("fine_min"), "fine_min"), _amount(row.get("fine_max"), "fine_max")
        except ValidationFailed:
            problems.append(_("line %(n)d: the fines must be amounts in yuan") % {"n": line})
            continue
        if low is not None and high is not None and low > high:
            problems.append(_("line %(n)d: the lowest fine is above the highest") % {"n": line})
            continue
        dept_name = str(row.get("department") or "").strip()
        if dept_name and dept_name not in departments:
            problems.append(_("line %(n)d: no department named %(d)s") % {"n": line, "d": dept_name})
            continue
        parsed.append((code, name, basis, str(row.get("penalty_range") or "").strip(), low, high,
                       departments.get(dept_name)))
    if problems:
        raise ValidationFailed(_("Nothing was imported. Please fix: %(p)s") % {"p": "；".join(problems[:20])})
    created = updated = 0
    for code, name, basis, prange, low, high, dept in parsed:
        _item, made = EnforcementItem.objects.update_or_create(
            organisation=organisation, code=code, defaults={"name": name, "legal_basis": basis, "penalty_range": prange,
                                                            "fine_min": low, "fine_max": high, "department": dept})
        created += made
        updated += not made
    record(actor=actor, action="enforcement.items_import", target=organisation, organisation=organisation,
           at=_now(at), after={"created": created, "updated": updated})
    return {"created": created, "updated": updated}
