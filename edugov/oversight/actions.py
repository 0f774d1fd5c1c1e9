"""One write per register entry, each with its ledger entry."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation, User
from edugov.audit.ledger import record
from edugov.kernel import ledger_port
from edugov.kernel.errors import PermissionDenied, ValidationFailed

from .models import Channel, Inquiry, PublicationItem
from .permissions import can_keep_registers

# What this module's ledger entries record (the ledger refuses any other field).
ledger_port.declare("oversight", ("answered_on", "channel", "held_on", "place", "problem_solved", "published_on",
                                  "title"))


def _check(actor: User | None, org: Organisation, fields: dict[str, Any]) -> None:
    if actor is not None and not can_keep_registers(actor, org):
        raise PermissionDenied(_("The registers are kept by the bureau's departments."))
    for name, value in fields.items():
        if value in (None, "") or (isinstance(value, str) and not value.strip()):
            raise ValidationFailed(_("Please fill in every field."), field=name)
    if "channel" in fields and fields["channel"] not in Channel.values:
        raise ValidationFailed(_("Choose the channel."), field="channel")
    for name, value in fields.items():
        if isinstance(value, dt.date) and value > timezone.localdate():
            raise ValidationFailed(_("A date in the future cannot be recorded."), field=name)


@transaction.atomic
def add_publication(*, actor: User | None, organisation: Organisation, title: str, category: str,
                    published_on: dt.date, channel: str) -> PublicationItem:
    _check(actor, organisation, {"title": title, "category": category, "published_on": published_on,
                                 "channel": channel})
    item = PublicationItem.objects.create(organisation=organisation, title=title.strip()[:200],
                                          category=category.strip()[:40], published_on=published_on, channel=channel,
                                          recorded_by=actor)
    record(actor=actor, action="oversight.publication", target=item, organisation=organisation,
           after={"title": item.title, "published_on": published_on, "channel": channel})
    return item


@transaction.atomic
def add_inquiry(*, actor: User | None, organisation: Organisation, received_on: dt.date, channel: str, summary: str,
                answered_on: dt.date, problem_solved: bool) -> Inquiry:
    _check(actor, organisation, {"received_on": received_on, "channel": channel, "summary": summary,
                                 "answered_on": answered_on})
    if answered_on < received_on:
        raise ValidationFailed(_("An inquiry is answered after it is received."), field="answered_on")
    inquiry = Inquiry.objects.create(organisation=organisation, received_on=received_on, channel=channel,
                                     summary=summary.strip()[:200], answered_on=answered_on,
                                     problem_solved=problem_solved, recorded_by=actor)
    record(actor=actor, action="oversight.inquiry", target=inquiry, organisation=organisation,
           after={"answered_on": answered_on, "problem_solved": problem_solved})
    return inquiry


def record_portal_publication(*, organisation: Organisation, title: str, category: str,
                              published_on: dt.date) -> PublicationItem:
    """A document the portal published (a normative document, a decision, a catalogue, a yearly
    report), announced through kernel.publishing: the register counts what was actually published."""
    return add_publication(actor=None, organisation=organisation, title=title, category=category[:40],
                           published_on=published_on, channel=Channel.WEBSITE)
