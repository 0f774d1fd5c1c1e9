"""Publication of results (一公开) and their taking down."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.selectors import rule_of
from edugov.audit.ledger import record
from edugov.kernel.calendar import get_calendar

from ..models import (
    Finding,
    Inspection,
    Publication,
    PublicationKind,
)


def _publish_inspection(inspection: Inspection, findings: Sequence[Finding], now: dt.datetime) -> Publication:
    cal = get_calendar()
    labels = "、".join(str(f.get_kind_display()) for f in findings)
    body = _("%(target)s was inspected on %(day)s under “%(campaign)s” (%(matter)s). Result: %(result)s.") % {
        "target": inspection.target_name, "day": inspection.outing.on.isoformat(), "campaign": inspection.campaign.title,
        "matter": inspection.campaign.matter.name, "result": labels}
    day = timezone.localdate(now)
    return Publication.objects.create(
        organisation=inspection.campaign.organisation, kind=PublicationKind.INSPECTION, inspection=inspection,
        title=_("Inspection result: %(target)s") % {"target": inspection.target_name}, body=body,
        draw=inspection.campaign.target_draw, published_at=now,
        due_on=rule_of(inspection.campaign.organisation, "publication.inspection").deadline(day, cal).date,
        take_down_on=rule_of(inspection.campaign.organisation, "publication.inspection_term").ends(day))


def publication_take_down_expired(today: dt.date | None = None) -> int:
    """Publications past their term come down (a penalty: 1 year, 3 when serious, under the credit-repair
    measures; an inspection's result: the bureau's 1 year). Run daily."""
    today = today or timezone.localdate()
    with transaction.atomic():
        due = list(Publication.objects.select_for_update().filter(taken_down_at__isnull=True, take_down_on__lte=today))
        now = timezone.now()
        for pub in due:
            pub.taken_down_at, pub.take_down_reason = now, _("Publication period over")
            pub.save(update_fields=["taken_down_at", "take_down_reason"])
            record(actor=None, action="enforcement.take_down", target=pub, organisation=pub.organisation, at=now,
                   after={"title": pub.title, "take_down_on": pub.take_down_on})
    return len(due)
