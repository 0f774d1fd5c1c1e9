"""What services publishes as open data: the catalogue and the licensing decisions."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from edugov.kernel.publishing import CHUNK, Dataset, latest, register

from .models import Application, Decision, ItemStatus, ItemType, ServiceItem, StatutoryUnit


def published_items() -> QuerySet[ServiceItem]:
    return ServiceItem.objects.filter(status=ItemStatus.PUBLISHED, current__isnull=False)


def _item_rows() -> Iterator[dict[str, Any]]:
    for item in published_items().select_related("current", "organisation").order_by("code").iterator(CHUNK):
        snap, version = item.current.snapshot, item.current  # type: ignore[union-attr]
        yield {"code": snap.get("code", item.code), "name": snap.get("name", item.name),
               "item_type": snap.get("item_type", item.item_type), "organisation": item.organisation.name,
               "statutory_days": snap.get("statutory_days"),
               "statutory_unit": snap.get("statutory_unit", "working_days"), "promised_days": snap.get("promised_days"),
               "fee": snap.get("fee", ""), "visits_needed": snap.get("visits_needed"),
               "version": version.number, "published_at": version.published_at}  # type: ignore[union-attr]


def published_decisions() -> QuerySet[Application]:
    return Application.objects.filter(published_at__isnull=False)


def _decision_rows() -> Iterator[dict[str, Any]]:
    qs = published_decisions().select_related("case", "item", "case__organisation").order_by("-published_at", "-id")
    for a in qs.iterator(CHUNK):
        yield {"reference": a.case.reference, "item": a.item.name, "applicant": a.applicant_label,
               "decision": a.decision, "revoked": a.case.state == "revoked",
               "certificate_number": a.certificate_number, "valid_until": a.valid_until,
               "decided_at": a.decided_at, "organisation": a.case.organisation.name}


register(Dataset(
    "service-items", _("Service catalogue"),
    _("Every published service item with its time limits, fee and visits needed, at its current version."),
    (("code", _("Item code")), ("name", _("Item name")), ("item_type", _("Item type")),
     ("organisation", _("Organisation")), ("statutory_days", _("Statutory limit")),
     ("statutory_unit", _("Unit of the statutory limit")),
     ("promised_days", _("Promised limit (working days)")), ("fee", _("Fee")),
     ("visits_needed", _("Visits needed")), ("version", _("Version")), ("published_at", _("Published at"))),
    _item_rows, lambda: latest(published_items(), "current__published_at"), lambda: published_items().count(),
    "services:guides", order=10,
    values={"item_type": dict(ItemType.choices), "statutory_unit": dict(StatutoryUnit.choices)}))
register(Dataset(
    "licensing-decisions", _("Licensing decisions"),
    _("Published decisions on licence applications; a person applying is shown with a masked name."),
    (("reference", _("Reference")), ("item", _("Item name")), ("applicant", _("Applicant")),
     ("decision", _("Decision taken")), ("revoked", _("Revoked")), ("certificate_number", _("Certificate number")),
     ("valid_until", _("Valid until")), ("decided_at", _("Decided at")), ("organisation", _("Organisation"))),
    _decision_rows, lambda: latest(published_decisions(), "published_at"), lambda: published_decisions().count(),
    "services:decisions", order=20, values={"decision": dict(Decision.choices)}))
