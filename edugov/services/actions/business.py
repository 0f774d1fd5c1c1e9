"""The business environment (营商环境, issue 31): policies brought to private schools, kindergartens
and training institutions, and the free training the bureau arranged for their staff. Each write is
checked, entered once, and leaves its ledger entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation, User
from edugov.audit.ledger import record
from edugov.kernel import ledger_port
from edugov.kernel.errors import PermissionDenied, ValidationFailed
from edugov.kernel.validators import not_after
from edugov.registries.models import Institution, School

from ..models import FreeTraining, InstitutionType, OutreachTopic, PolicyOutreach, TraineeKind
from ..permissions import can_keep_business_env

ledger_port.declare("business_env", ("audience", "held_on", "institution_type", "institutions", "schools", "sent_on",
                                     "title", "topic", "trainees"))

MAX_TRAINEES = 100_000


def _check(actor: User | None, bureau: Organisation, day: dt.date, field: str, title: str) -> None:
    if actor is not None and not can_keep_business_env(actor, bureau):
        raise PermissionDenied(_("This is recorded by the bureau's departments."))
    not_after(day, timezone.localdate(), field)
    if not title.strip():
        raise ValidationFailed(_("Please fill in every field."), field="title")


@transaction.atomic
def outreach_record(*, actor: User | None, organisation: Organisation, sent_on: dt.date, topic: str, title: str,
                    channel: str, schools: Iterable[School] = (), institutions: Iterable[Institution] = (),
                    at: dt.datetime | None = None) -> PolicyOutreach:
    """A policy sent: to the district's private schools and kindergartens and its training institutions."""
    _check(actor, organisation, sent_on, "sent_on", title)
    if topic not in OutreachTopic.values:
        raise ValidationFailed(_("Choose the policy area."), field="topic")
    if not channel.strip():
        raise ValidationFailed(_("Please say how it was sent."), field="channel")
    to_schools, to_institutions = list(schools), list(institutions)
    if not to_schools and not to_institutions:
        raise ValidationFailed(_("Choose who it was sent to."), field="schools")
    if any(not s.is_private or not s.organisation.path.startswith(organisation.path) for s in to_schools):
        raise ValidationFailed(_("Only the district's private schools and kindergartens."), field="schools")
    if any(i.organisation_id != organisation.pk for i in to_institutions):
        raise ValidationFailed(_("Only the district's training institutions."), field="institutions")
    title = title.strip()[:200]
    if PolicyOutreach.objects.filter(organisation=organisation, sent_on=sent_on, title=title).exists():
        raise ValidationFailed(_("This has been recorded already; it is not counted twice."), field="title")
    try:
        with transaction.atomic():
            outreach = PolicyOutreach.objects.create(organisation=organisation, sent_on=sent_on, topic=topic,
                                                     title=title, channel=channel.strip()[:60], recorded_by=actor)
    except IntegrityError:
        raise ValidationFailed(_("This has been recorded already; it is not counted twice."), field="title") from None
    outreach.schools.set(to_schools)
    outreach.institutions.set(to_institutions)
    record(actor=actor, action="business_env.outreach", target=outreach, organisation=organisation, at=at,
           after={"sent_on": sent_on, "topic": topic, "title": title, "schools": len(to_schools),
                  "institutions": len(to_institutions)})
    return outreach


@transaction.atomic
def training_record(*, actor: User | None, organisation: Organisation, held_on: dt.date, title: str, audience: str,
                    institution_type: str, trainees: int, institutions: int, hours: Decimal,
                    at: dt.datetime | None = None) -> FreeTraining:
    """A free training session for founders, teachers, nursery staff or guards of one kind of institution."""
    _check(actor, organisation, held_on, "held_on", title)
    if audience not in TraineeKind.values:
        raise ValidationFailed(_("Choose who was trained."), field="audience")
    if institution_type not in InstitutionType.values:
        raise ValidationFailed(_("Choose which institutions."), field="institution_type")
    if not 1 <= trainees <= MAX_TRAINEES:
        raise ValidationFailed(_("The people trained are a number from 1 to %(most)d.") % {"most": MAX_TRAINEES},
                               field="trainees")
    if not 1 <= institutions <= trainees:
        raise ValidationFailed(_("The institutions are from 1 to the number of people trained."), field="institutions")
    if not Decimal("0.5") <= hours <= Decimal(80):
        raise ValidationFailed(_("Hours are from 0.5 to 80."), field="hours")
    title = title.strip()[:200]
    if FreeTraining.objects.filter(organisation=organisation, held_on=held_on, title=title, audience=audience,
                                   institution_type=institution_type).exists():
        raise ValidationFailed(_("This has been recorded already; it is not counted twice."), field="title")
    try:
        with transaction.atomic():
            training = FreeTraining.objects.create(organisation=organisation, held_on=held_on, title=title,
                                                   audience=audience, institution_type=institution_type,
                                                   trainees=trainees, institutions=institutions, hours=hours,
                                                   recorded_by=actor)
    except IntegrityError:
        raise ValidationFailed(_("This has been recorded already; it is not counted twice."), field="title") from None
    record(actor=actor, action="business_env.training", target=training, organisation=organisation, at=at,
           after={"held_on": held_on, "title": title, "audience": audience, "institution_type": institution_type,
                  "trainees": trainees})
    return training
