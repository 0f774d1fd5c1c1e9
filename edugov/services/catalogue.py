"""The service catalogue: saving items with their materials, publishing versions, withdrawing,
and the XLSX import and export. Every write leaves its ledger entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation, OrgKind, User
from edugov.audit.ledger import record
from edugov.kernel import ledger_port
from edugov.kernel.cache import public_pages_changed
from edugov.kernel.errors import Conflict, PermissionDenied, ValidationFailed
from edugov.kernel.xlsx import Column, read_rows, write_workbook

from .models import (
    GUIDE_FIELDS,
    ItemStatus,
    ItemType,
    ItemVersion,
    Material,
    MaterialForm,
    ServiceItem,
    StatutoryUnit,
)
from .permissions import can_edit_catalogue, can_edit_item, can_publish_item

# What this module's ledger entries record (the ledger refuses any other field).
ledger_port.declare("service_item", (
    "address", "code", "complaint_phone", "conditions", "created", "department", "faq", "fee", "fee_basis", "in_center",
    "item_type", "legal_basis", "materials", "name", "note", "permit_years", "phone", "private_school", "promised_days",
    "statutory_days", "statutory_unit", "steps", "updated", "version", "visits_needed"))


FIELDS = GUIDE_FIELDS
REQUIRED = ("code", "name", "item_type", "legal_basis", "department", "address", "phone", "complaint_phone",
            "conditions")
MAX_DAYS = 250  # a year of working days: anything longer is a typing error


def snapshot(item: ServiceItem) -> dict[str, Any]:
    return item.guide_snapshot()


def _now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def _clean(values: Mapping[str, Any], bureau: Organisation) -> dict[str, Any]:
    """Check an item's fields; raise one message naming every problem."""
    v: dict[str, Any] = {k: values.get(k) for k in FIELDS}
    problems = []
    for key in REQUIRED:
        if v[key] is None or str(v[key]).strip() == "":
            problems.append(str(getattr(ServiceItem._meta.get_field(key), "verbose_name", key)))
    if problems:
        raise ValidationFailed(_("Please fill in: %(fields)s.") % {"fields": "、".join(problems)})
    for key in ("code", "name", "legal_basis", "address", "phone", "complaint_phone", "conditions", "steps", "fee",
                "fee_basis", "faq"):
        v[key] = str(v[key] or "").strip()
    if v["item_type"] not in ItemType.values:
        raise ValidationFailed(_("Unknown item type “%(t)s”.") % {"t": v["item_type"]}, field="item_type")
    v["statutory_unit"] = _choice(StatutoryUnit.choices, v.get("statutory_unit"), StatutoryUnit.WORKING_DAYS)
    if v["statutory_unit"] not in StatutoryUnit.values:
        raise ValidationFailed(_("The unit of the statutory time limit is working days, days or months."),
                               field="statutory_unit")
    for key in ("statutory_days", "promised_days"):
        try:
            v[key] = int(v[key] or 0)
        except (TypeError, ValueError):
            raise ValidationFailed(_("Time limits are whole numbers of working days."), field=key) from None
        if not 0 <= v[key] <= MAX_DAYS:
            raise ValidationFailed(_("A time limit must be between 0 and %(n)d working days.") % {"n": MAX_DAYS},
                                   field=key)
    if v["statutory_unit"] == StatutoryUnit.WORKING_DAYS and v["promised_days"] > v["statutory_days"]:
        raise ValidationFailed(_("The promised time limit cannot be longer than the statutory one."),
                               field="promised_days")
    v["visits_needed"] = 0 if str(v["visits_needed"]) in ("0", "False", "false") else 1
    v["in_center"] = v["in_center"] in (True, "on", "1", "true", "True", "是", 1)
    v["private_school"] = v["private_school"] in (True, "on", "1", "true", "True", "是", 1)
    years = v["permit_years"]
    try:
        v["permit_years"] = int(years) if years not in (None, "") else None
    except (TypeError, ValueError):
        raise ValidationFailed(_("A permit's validity is a whole number of years."), field="permit_years") from None
    if v["permit_years"] is not None and not 1 <= v["permit_years"] <= 10:
        raise ValidationFailed(_("A permit's validity is between 1 and 10 years."), field="permit_years")
    dept = v["department"]
    if not isinstance(dept, Organisation):
        dept = Organisation.objects.filter(path__startswith=bureau.path, kind=OrgKind.DEPARTMENT).filter(
            code=str(dept)).first() or Organisation.objects.filter(
            path__startswith=bureau.path, kind=OrgKind.DEPARTMENT, name=str(dept).strip()).first()
    if dept is None or not dept.path.startswith(bureau.path):
        raise ValidationFailed(_("The accepting department must be a department of this bureau."), field="department")
    v["department"] = dept
    return v


def _clean_materials(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for n, row in enumerate(rows, start=1):
        name = str(row.get("name") or "").strip()
        if not name:
            continue
        form = str(row.get("form") or MaterialForm.ELECTRONIC)
        if form not in MaterialForm.values:
            raise ValidationFailed(_("Material %(n)d: unknown form “%(f)s”.") % {"n": n, "f": form})
        try:
            copies = int(row.get("copies") or 1)
        except (TypeError, ValueError):
            raise ValidationFailed(_("Material %(n)d: copies is a whole number.") % {"n": n}) from None
        if not 1 <= copies <= 20:
            raise ValidationFailed(_("Material %(n)d: between 1 and 20 copies.") % {"n": n})
        out.append({"id": row.get("id"), "name": name[:200], "form": form, "copies": copies,
                    "required": bool(row.get("required", True)), "commitment_allowed": bool(row.get("commitment_allowed")),
                    "note": str(row.get("note") or "").strip()[:200]})
    names = [m["name"] for m in out]
    if len(names) != len(set(names)):
        raise ValidationFailed(_("Each material may be listed once."))
    if not out:
        raise ValidationFailed(_("An item lists at least one material (an application form, if nothing else)."))
    return out


@transaction.atomic
def item_save(*, actor: User | None, bureau: Organisation, values: Mapping[str, Any],
              materials: Sequence[Mapping[str, Any]], item: ServiceItem | None = None,
              expected_edits: int | None = None, at: dt.datetime | None = None) -> ServiceItem:
    """Create or edit an item (the working copy; the public guide changes only when published)."""
    if item is None and actor is not None and not can_edit_catalogue(actor, bureau):
        raise PermissionDenied(_("You may not edit this bureau's service catalogue."))
    v = _clean(values, bureau)
    mats = _clean_materials(materials)
    if item is not None:
        item = ServiceItem.objects.select_for_update().get(pk=item.pk)
        if actor is not None and not can_edit_item(actor, item):
            raise PermissionDenied(_("Only the accepting department edits this item."))
        if expected_edits is not None and item.edits != expected_edits:
            raise Conflict(_("Someone else has just saved this item. Nothing you entered was saved; please reload "
                             "the page and make your change again."))
    others = ServiceItem.objects.filter(organisation=bureau, code=v["code"])
    if (others.exclude(pk=item.pk) if item is not None else others).exists():
        raise ValidationFailed(_("Another item has the code %(c)s.") % {"c": v["code"]}, field="code")
    before = snapshot(item) if item is not None else None
    if item is None:
        item = ServiceItem(organisation=bureau)
    for key, value in v.items():
        setattr(item, key, value)
    item.edits += 1
    item.save()
    keep = []
    for n, m in enumerate(mats):
        existing = item.materials.filter(pk=m["id"]).first() if m["id"] else item.materials.filter(name=m["name"]).first()
        existing = existing or Material(item=item)
        for key in ("name", "form", "copies", "required", "commitment_allowed", "note"):
            setattr(existing, key, m[key])
        existing.order = n
        existing.save()
        keep.append(existing.pk)
    item.materials.exclude(pk__in=keep).delete()
    record(actor=actor, action="service_item.save", target=item, organisation=bureau, at=_now(at),
           before=before, after=snapshot(item))
    return item


@transaction.atomic
def item_publish(*, actor: User | None, item: ServiceItem, note: str, at: dt.datetime | None = None) -> ItemVersion:
    """Publish the working copy as the next version of the public guide."""
    item = ServiceItem.objects.select_for_update(of=("self",)).select_related("current", "department").get(pk=item.pk)
    if actor is not None and not can_publish_item(actor, item):
        raise PermissionDenied(_("A change is published by the department head or a bureau leader."))
    note = (note or "").strip()
    if not note:
        raise ValidationFailed(_("Please say what changed; the note is shown with the version."), field="note")
    data = snapshot(item)
    if item.current is not None and item.current.snapshot == data and item.status == ItemStatus.PUBLISHED:
        raise Conflict(_("Nothing has changed since version %(n)d was published.") % {"n": item.current.number})
    now = _now(at)
    number = (item.current.number if item.current else 0) + 1
    version = ItemVersion.objects.create(item=item, number=number, snapshot=data, published_at=now,
                                         published_by=actor, note=note[:200])
    item.current, item.status, item.withdrawn_on = version, ItemStatus.PUBLISHED, None
    item.in_force_from = item.in_force_from or timezone.localdate(now)
    item.save(update_fields=["current", "status", "withdrawn_on", "in_force_from"])
    record(actor=actor, action="service_item.publish", target=item, organisation=item.organisation, at=now,
           after={"version": number, "code": item.code, "note": note[:200]}, note=note[:200])
    transaction.on_commit(lambda: public_pages_changed(item.get_absolute_url()))  # the cached guide gives way
    return version


@transaction.atomic
def item_withdraw(*, actor: User | None, item: ServiceItem, reason: str, at: dt.datetime | None = None) -> ServiceItem:
    item = ServiceItem.objects.select_for_update().get(pk=item.pk)
    if actor is not None and not can_publish_item(actor, item):
        raise PermissionDenied(_("An item is withdrawn by the department head or a bureau leader."))
    if item.status != ItemStatus.PUBLISHED:
        raise Conflict(_("Only a published item can be withdrawn."))
    if not (reason or "").strip():
        raise ValidationFailed(_("Please give the reason for withdrawing the item."), field="reason")
    now = _now(at)
    item.status, item.withdrawn_on = ItemStatus.WITHDRAWN, timezone.localdate(now)
    item.save(update_fields=["status", "withdrawn_on"])
    record(actor=actor, action="service_item.withdraw", target=item, organisation=item.organisation, at=now,
           note=reason.strip()[:300])
    transaction.on_commit(lambda: public_pages_changed(item.get_absolute_url()))
    return item


def columns() -> list[Column]:
    """The catalogue workbook: one row per item; materials as lines “name|form|copies|required|commitment”."""
    return [Column("code", _("Item code"), required=True), Column("name", _("Item name"), required=True),
            Column("item_type", _("Item type"), required=True), Column("legal_basis", _("Legal basis"), required=True),
            Column("department", _("Accepting department"), required=True),
            Column("address", _("Where to apply"), required=True), Column("phone", _("Enquiry phone"), required=True),
            Column("complaint_phone", _("Complaint phone"), required=True),
            Column("conditions", _("Conditions"), required=True), Column("steps", _("How it is handled")),
            Column("statutory_days", _("Statutory limit"), required=True),
            Column("promised_days", _("Promised limit (working days)"), required=True),
            Column("fee", _("Fee")), Column("fee_basis", _("Basis of the fee")),
            Column("visits_needed", _("Visits needed (0 or 1)")), Column("faq", _("FAQ")),
            Column("in_center", _("At the service centre (是/否)")),
            Column("private_school", _("Private-school matter (是/否)")),
            Column("permit_years", _("Permit validity (years)")),
            Column("materials", _("Materials (one per line: name|form|copies|required|commitment)"), required=True),
            # last, so that a workbook made before it (working days, then) still imports
            Column("statutory_unit", _("Unit of the statutory limit (working days, days or months)"))]


def _choice(choices: Any, text: object, default: str) -> str:
    """A choice's value from its value, or its label in the current language or in Chinese."""
    text = str(text or "").strip()
    if not text:
        return default
    with translation.override("zh-hans"):
        chinese = {str(label): value for value, label in choices}
    labels = {str(label): value for value, label in choices}
    return labels.get(text) or chinese.get(text) or text


def export_catalogue(bureau: Organisation) -> bytes:
    def yes(b: bool) -> str:
        return "是" if b else "否"

    rows = []
    for item in ServiceItem.objects.filter(organisation=bureau).select_related("department").prefetch_related(
            "materials"):
        mats = "\n".join(f"{m.name}|{m.get_form_display()}|{m.copies}|{yes(m.required)}|{yes(m.commitment_allowed)}"
                         for m in item.materials.all())
        rows.append([item.code, item.name, item.get_item_type_display(), item.legal_basis, item.department.name,
                     item.address, item.phone, item.complaint_phone, item.conditions, item.steps,
                     item.statutory_days, item.promised_days, item.fee, item.fee_basis, item.visits_needed, item.faq,
                     yes(item.in_center), yes(item.private_school), item.permit_years, mats,
                     item.get_statutory_unit_display()])
    return write_workbook(columns(), rows, title=_("Service catalogue"))


def _materials_cell(text: str) -> list[dict[str, Any]]:
    out = []
    for raw in str(text or "").splitlines():
        parts = [p.strip() for p in raw.split("|")]
        if not parts or not parts[0]:
            continue
        parts += [""] * (5 - len(parts))
        form = _choice(MaterialForm.choices, parts[1], MaterialForm.ELECTRONIC)
        out.append({"name": parts[0], "form": form, "copies": parts[2] or 1, "required": parts[3] != "否",
                    "commitment_allowed": parts[4] == "是"})
    return out


@transaction.atomic
def import_catalogue(*, actor: User | None, bureau: Organisation, data: bytes,
                     at: dt.datetime | None = None) -> dict[str, int]:
    """Import items from XLSX: new codes are added as drafts, known codes updated (still to be
    published). A file with any bad row saves nothing and names the lines to fix."""
    if actor is not None and not can_edit_catalogue(actor, bureau):
        raise PermissionDenied(_("You may not edit this bureau's service catalogue."))
    rows = read_rows(data, columns())
    problems: list[str] = []
    created = updated = 0
    for line, row in rows:
        row = dict(row)
        row["item_type"] = _choice(ItemType.choices, row.get("item_type"), "")
        existing = ServiceItem.objects.filter(organisation=bureau, code=str(row.get("code") or "").strip()).first()
        try:
            with transaction.atomic():
                item_save(actor=actor, bureau=bureau, values=row, materials=_materials_cell(str(row.get("materials") or "")),
                          item=existing, at=at)
        except (ValidationFailed, PermissionDenied, Conflict) as exc:
            problems.append(_("line %(n)d: %(why)s") % {"n": line, "why": exc.message})
            continue
        created += existing is None
        updated += existing is not None
    if problems:
        raise ValidationFailed(_("Nothing was imported. Please fix: %(p)s") % {"p": "；".join(problems[:20])})
    record(actor=actor, action="service_item.import", target=bureau, organisation=bureau, at=_now(at),
           after={"created": created, "updated": updated})
    return {"created": created, "updated": updated}
