"""Mediation of disputes between families and schools (矛盾纠纷调解, issue 32). The monthly screening
finds them (the risk ledgers, `screening.py`); here a dispute is mediated, with the community (社区)
where it took part, so that the three-in-one network (学校、家庭、社区) shows on each one, concluded
with an agreement or without, and followed up (回访) after an agreement."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation, Role, User
from edugov.accounts.permissions import has_role_over
from edugov.audit.ledger import record
from edugov.kernel import ledger_port
from edugov.kernel.errors import Conflict, PermissionDenied, ValidationFailed
from edugov.kernel.validators import not_after
from edugov.registries.models import School

from .models import Mediation, MediationOutcome, RiskItem
from .permissions import can_screen

ledger_port.declare("mediation", ("community", "concluded_on", "followed_up_on", "mediator", "outcome", "risk_item",
                                  "school", "started_on"))


def _may(actor: User | None, school: School) -> None:
    if actor is not None and not (can_screen(actor, school.organisation)
                                  or has_role_over(actor, school.organisation, {Role.SCHOOL_ADMIN})):
        raise PermissionDenied(_("Mediations are recorded by the bureau and the school concerned."))


def _day(at: dt.datetime | None) -> dt.date:
    return timezone.localdate(at or timezone.now())


@transaction.atomic
def mediation_start(*, actor: User | None, organisation: Organisation, school: School, family: str, subject: str,
                    started_on: dt.date, mediator: str, community: str = "", risk_item: RiskItem | None = None,
                    at: dt.datetime | None = None) -> Mediation:
    _may(actor, school)
    if not school.organisation.path.startswith(organisation.path):
        raise ValidationFailed(_("That school is not in this district."), field="school")
    family, subject, mediator = family.strip()[:80], subject.strip()[:200], mediator.strip()[:80]
    for value, field in ((family, "family"), (subject, "subject"), (mediator, "mediator")):
        if not value:
            raise ValidationFailed(_("Please fill in every field."), field=field)
    not_after(started_on, _day(at), "started_on")
    if risk_item is not None and risk_item.ledger.school_id != school.pk:
        raise ValidationFailed(_("That risk item is in another school's ledger."), field="risk_item")
    try:
        with transaction.atomic():
            mediation = Mediation.objects.create(organisation=organisation, school=school, family=family,
                                                 subject=subject, started_on=started_on, mediator=mediator,
                                                 community=community.strip()[:80], risk_item=risk_item,
                                                 recorded_by=actor)
    except IntegrityError:
        raise ValidationFailed(_("This has been recorded already; it is not counted twice."), field="subject") from None
    record(actor=actor, action="mediation.start", target=mediation, organisation=organisation, at=at,
           after={"school": school.code, "started_on": started_on, "mediator": mediator,
                  "community": mediation.community, "risk_item": risk_item.pk if risk_item else None})
    return mediation


@transaction.atomic
def mediation_conclude(*, actor: User | None, mediation: Mediation, outcome: str, agreement: str,
                       concluded_on: dt.date, at: dt.datetime | None = None) -> Mediation:
    locked = Mediation.objects.select_for_update().select_related("school__organisation").get(pk=mediation.pk)
    _may(actor, locked.school)
    if locked.outcome != MediationOutcome.PENDING:
        raise Conflict(_("This mediation was concluded on %(day)s.") % {"day": locked.concluded_on})
    if outcome not in (MediationOutcome.AGREED, MediationOutcome.FAILED):
        raise ValidationFailed(_("Choose the outcome."), field="outcome")
    if not agreement.strip():
        raise ValidationFailed(_("Please say what was agreed, or why no agreement was reached."), field="agreement")
    not_after(concluded_on, _day(at), "concluded_on")
    if concluded_on < locked.started_on:
        raise ValidationFailed(_("The mediation cannot end before it began (%(day)s).") % {"day": locked.started_on},
                               field="concluded_on")
    locked.outcome, locked.agreement, locked.concluded_on = outcome, agreement.strip()[:300], concluded_on
    locked.save(update_fields=["outcome", "agreement", "concluded_on"])
    record(actor=actor, action="mediation.conclude", target=locked, organisation=locked.organisation, at=at,
           after={"outcome": outcome, "concluded_on": concluded_on})
    return locked


@transaction.atomic
def mediation_follow_up(*, actor: User | None, mediation: Mediation, followed_up_on: dt.date, follow_up: str,
                        at: dt.datetime | None = None) -> Mediation:
    """The return visit after an agreement (反馈): whether it holds."""
    locked = Mediation.objects.select_for_update().select_related("school__organisation").get(pk=mediation.pk)
    _may(actor, locked.school)
    if locked.outcome != MediationOutcome.AGREED or locked.concluded_on is None:
        raise Conflict(_("A follow-up comes after an agreement."))
    if locked.followed_up_on is not None:
        raise Conflict(_("This mediation was followed up on %(day)s.") % {"day": locked.followed_up_on})
    if not follow_up.strip():
        raise ValidationFailed(_("Please say what the follow-up found."), field="follow_up")
    not_after(followed_up_on, _day(at), "followed_up_on")
    if followed_up_on < locked.concluded_on:
        raise ValidationFailed(_("The follow-up comes after the agreement (%(day)s).") % {"day": locked.concluded_on},
                               field="followed_up_on")
    locked.followed_up_on, locked.follow_up = followed_up_on, follow_up.strip()[:300]
    locked.save(update_fields=["followed_up_on", "follow_up"])
    record(actor=actor, action="mediation.follow_up", target=locked, organisation=locked.organisation, at=at,
           after={"followed_up_on": followed_up_on})
    return locked
