"""Campaigns and outings: planning, the two published draws (targets, teams), unplanned targets."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation, User
from edugov.audit.ledger import record
from edugov.cases import actions as engine
from edugov.draws.actions import draw_commit, draw_reveal
from edugov.draws.models import DrawState
from edugov.kernel import numbering
from edugov.kernel.calendar import get_calendar
from edugov.kernel.errors import Conflict, ValidationFailed
from edugov.registries.hooks import complaints_about_institutions
from edugov.registries.models import Institution, InstitutionStatus, Person

from ..models import (
    Campaign,
    CampaignKind,
    Inspection,
    InspectionMatter,
    Outing,
    RiskLevel,
)
from ..permissions import certificate_valid
from ..workflow import INSPECTION
from ._common import _now, _planner
from .inspections import _team_member


@transaction.atomic
def campaign_create(*, actor: User | None, organisation: Organisation, kind: str, title: str,
                    matter: InspectionMatter, starts_on: dt.date, ends_on: dt.date, full_coverage: bool = False,
                    ratio: Decimal | float = Decimal("0.05"), high_risk_ratio: Decimal | float = Decimal("0.2"),
                    team_size: int = 2, cap: int = 3, per_outing: int = 8, agencies: str = "",
                    at: dt.datetime | None = None) -> Campaign:
    _planner(actor, organisation)
    if kind not in CampaignKind.values:
        raise ValidationFailed(_("Choose the kind of work."), field="kind")
    if not title.strip():
        raise ValidationFailed(_("Please give the campaign a title."), field="title")
    if matter.organisation_id != organisation.pk:
        raise ValidationFailed(_("Choose a matter of this bureau's inspection list."), field="matter")
    if ends_on < starts_on:
        raise ValidationFailed(_("The end date is before the start date."), field="ends_on")
    ratio, high_risk_ratio = Decimal(str(ratio)), Decimal(str(high_risk_ratio))
    if not (Decimal("0") < ratio <= 1 and ratio <= high_risk_ratio <= 1):
        raise ValidationFailed(_("Shares are between 0 and 100%, the high-risk share at least the normal one."),
                               field="ratio")
    if team_size < 2:
        raise ValidationFailed(_("A team has at least 2 inspectors."), field="team_size")
    if kind == CampaignKind.JOINT and not agencies.strip():
        raise ValidationFailed(_("Name the agencies taking part in the joint operation."), field="agencies")
    now = _now(at)
    campaign = Campaign.objects.create(
        organisation=organisation, kind=kind, title=title.strip(), matter=matter, starts_on=starts_on, ends_on=ends_on,
        full_coverage=full_coverage, ratio=ratio, high_risk_ratio=high_risk_ratio, team_size=team_size, cap=cap,
        per_outing=max(1, per_outing), agencies=agencies.strip(), created_by=actor, created_at=now)
    record(actor=actor, action="enforcement.campaign_create", target=campaign, organisation=organisation, at=now,
           after={"kind": kind, "title": campaign.title, "matter": matter.name, "starts_on": starts_on,
                  "ends_on": ends_on, "full_coverage": full_coverage, "ratio": str(ratio), "agencies": agencies})
    return campaign


def target_roster(campaign: Campaign) -> tuple[list[Institution], dict[str, str], set[int]]:
    """The operating institutions of the bureau, each in its stratum ("high": high risk or
    complained of; "normal"), and the pks a random draw leaves out by 无事不扰 (inspected this
    year for the same matter, unless a complaint or a high risk reopens them)."""
    institutions = list(Institution.objects.filter(organisation=campaign.organisation,
                                                   status=InstitutionStatus.OPERATING)
                        .select_related("enforcement_profile").order_by("credit_code"))
    complained = complaints_about_institutions(i.pk for i in institutions)
    stratum = {}
    for inst in institutions:
        profile = getattr(inst, "enforcement_profile", None)
        high = (profile is not None and profile.risk == RiskLevel.HIGH) or complained.get(inst.pk, 0) > 0
        stratum[inst.credit_code] = "high" if high else "normal"
    if campaign.full_coverage:  # a campaign that covers every target (双减 全覆盖) leaves none out
        return institutions, stratum, set()
    seen = set(Inspection.objects.filter(
        institution__in=institutions, campaign__matter=campaign.matter, arrived_at__year=campaign.starts_on.year)
        .exclude(campaign=campaign).values_list("institution_id", flat=True))
    left_out = {i.pk for i in institutions if i.pk in seen and stratum[i.credit_code] == "normal"}
    return institutions, stratum, left_out


def _draw_id(campaign: Campaign, part: str) -> str:
    return f"{campaign.organisation.code}-ENF-{campaign.starts_on.year}-{campaign.pk:04d}-{part}"


def _officers(campaign: Campaign) -> dict[str, Person]:
    """The officers of the bureau (and its units) whose certificate is valid on the campaign's first day."""
    return {p.certificate_number: p for p in Person.objects.filter(kind="enforcement_officer", is_active=True)
            .filter(Q(organisation=campaign.organisation) | Q(organisation__path__startswith=campaign.organisation.path))
            if certificate_valid(p, campaign.starts_on)}


@transaction.atomic
def campaign_commit(*, actor: User | None, campaign: Campaign, at: dt.datetime | None = None) -> Campaign:
    """双随机, step 1: freeze the target roster (stratified; every target under full coverage) and
    the officers with a valid certificate, and publish the commitments of both draws. The draw
    itself (`campaign_draw`) comes later, with a public value announced after this moment: the
    commitment is visibly older than the draw, so nobody, the bureau included, could have chosen
    a secret to suit the outcome."""
    campaign = Campaign.objects.select_for_update().select_related("organisation").get(pk=campaign.pk)
    _planner(actor, campaign.organisation)
    if campaign.target_draw_id:
        raise Conflict(_("The commitment of this campaign's draw has been published already; it is never repeated."))
    now = _now(at)
    institutions, stratum, left_out = target_roster(campaign)
    by_code = {i.credit_code: i for i in institutions if i.pk not in left_out}
    if not by_code:
        raise ValidationFailed(_("There is no target to draw: the roster is empty or every target was inspected "
                                 "for this matter this year."))
    ids = sorted(by_code)
    constraints: dict[str, Any] = {}
    k = len(ids)
    if not campaign.full_coverage:
        strata: dict[str, dict[str, Any]] = {}
        for name, share in (("high", campaign.high_risk_ratio), ("normal", campaign.ratio)):
            members = [c for c in ids if stratum[c] == name]
            if members:
                strata[name] = {"members": members, "k": min(len(members), max(1, math.ceil(len(members) * share)))}
        constraints = {"strata": strata}
        k = sum(s["k"] for s in strata.values())
    officers = _officers(campaign)
    if len(officers) < campaign.team_size:
        raise ValidationFailed(_("Fewer officers with a valid certificate than a team needs."))
    targets = draw_commit(actor=actor, draw_id=_draw_id(campaign, "T"), organisation=campaign.organisation,
                          candidates=ids, k=k, constraints=constraints, at=now,
                          labels={c: by_code[c].name for c in ids},
                          purpose=_("Targets of %(title)s") % {"title": campaign.title})
    outings = math.ceil(k / campaign.per_outing)
    teams = draw_commit(actor=actor, draw_id=_draw_id(campaign, "P"), organisation=campaign.organisation,
                        candidates=sorted(officers), k=0, at=now, labels={c: p.name for c, p in officers.items()},
                        constraints=_team_constraints(campaign, outings, {}),
                        purpose=_("Inspector teams of %(title)s") % {"title": campaign.title})
    campaign.target_draw, campaign.team_draw = targets, teams
    campaign.save(update_fields=["target_draw", "team_draw"])
    record(actor=actor, action="enforcement.campaign_commit", target=campaign, organisation=campaign.organisation,
           at=now, after={"target_draw": targets.draw_id, "team_draw": teams.draw_id, "targets": k,
                          "outings": outings, "left_out_no_disturbance": len(left_out)})
    return campaign


def _team_constraints(campaign: Campaign, outings: int, recusal: Mapping[str, list[str]]) -> dict[str, Any]:
    return {"teams": {"size": campaign.team_size, "cap": campaign.cap,
                      "targets": [f"O{n}" for n in range(1, outings + 1)], "recusal": dict(recusal)}}


@transaction.atomic
def campaign_draw(*, actor: User | None, campaign: Campaign, public_value: str = "",
                  at: dt.datetime | None = None) -> Campaign:
    """双随机, step 2: draw the targets committed to, group them into outings in the drawn order,
    then draw a team for each outing from the committed officers, with recusal (which depends on
    the targets drawn, so it is fixed now, from the declared conflicts and the last inspections)
    and a cap. Two published draws; the outings and inspections follow from them and nothing else."""
    # of=self: PostgreSQL locks no row on the nullable side of the draws' outer joins
    campaign = (Campaign.objects.select_for_update(of=("self",))
                .select_related("organisation", "target_draw", "team_draw").get(pk=campaign.pk))
    _planner(actor, campaign.organisation)
    if campaign.target_draw is None or campaign.team_draw is None:
        raise ValidationFailed(_("Publish the commitment first: the draw is made after it, never in the same step."))
    if campaign.target_draw.state == DrawState.DRAWN:
        raise Conflict(_("The targets of this campaign have been drawn already; a draw is never repeated."))
    now = _now(at)
    targets = draw_reveal(actor=actor, draw=campaign.target_draw, public_value=public_value, at=now)
    by_code = {i.credit_code: i for i in Institution.objects.filter(
        organisation=campaign.organisation, credit_code__in=targets.selected or []).select_related("enforcement_profile")}
    chosen = [by_code[c] for c in targets.selected or []]
    groups = [chosen[i:i + campaign.per_outing] for i in range(0, len(chosen), campaign.per_outing)]
    officers = {p.certificate_number: p for p in Person.objects.filter(
        kind="enforcement_officer", certificate_number__in=campaign.team_draw.candidates)}
    recusal = _recusal(groups, officers)
    lapsed = sorted(c for c in campaign.team_draw.candidates  # since the commitment: no longer an officer on duty
                    if c not in officers or not officers[c].is_active or not certificate_valid(officers[c], campaign.starts_on))
    for n in range(1, len(groups) + 1):
        if lapsed:
            recusal[f"O{n}"] = sorted({*recusal.get(f"O{n}", []), *lapsed})
    teams = draw_reveal(actor=actor, draw=campaign.team_draw, public_value=public_value, at=now,
                        constraints=_team_constraints(campaign, len(groups), recusal))
    days = _working_days(campaign.starts_on, campaign.ends_on)
    visits: list[Inspection] = []
    leaders: dict[int, User | None] = {}
    for n, group in enumerate(groups, start=1):
        outing = Outing.objects.create(campaign=campaign, number=n, on=days[(n - 1) % len(days)])
        outing.team.set([officers[c] for c in teams.assignments[f"O{n}"]])
        leaders[outing.pk] = officers[teams.assignments[f"O{n}"][0]].user
        visits += Inspection.objects.bulk_create(Inspection(campaign=campaign, outing=outing, institution=inst,
                                                            target_name=inst.name, address=inst.address)
                                                 for inst in group)
    _open_inspection_cases(actor, campaign, visits, now, leaders)
    campaign.target_draw, campaign.team_draw = targets, teams  # as drawn, not as loaded before the draw
    record(actor=actor, action="enforcement.campaign_draw", target=campaign, organisation=campaign.organisation,
           at=now, after={"target_draw": targets.draw_id, "team_draw": teams.draw_id, "targets": len(chosen),
                          "outings": len(groups)})
    return campaign


def _recusal(groups: Sequence[Sequence[Institution]], officers: Mapping[str, Person]) -> dict[str, list[str]]:
    """For each outing: officers with a declared conflict with one of its targets, or who
    inspected one of them last time."""
    by_pk = {p.pk: code for code, p in officers.items()}
    recusal: dict[str, list[str]] = {}
    for n, group in enumerate(groups, start=1):
        out: set[str] = set()
        for inst in group:
            profile = getattr(inst, "enforcement_profile", None)
            if profile is not None:
                out |= {by_pk[p] for p in profile.conflicts.values_list("pk", flat=True) if p in by_pk}
            last = Inspection.objects.filter(institution=inst, arrived_at__isnull=False).order_by("-arrived_at").first()
            if last is not None:
                out |= {by_pk[p] for p in last.outing.team.values_list("pk", flat=True) if p in by_pk}
        if out:
            recusal[f"O{n}"] = sorted(out)
    return recusal


def _working_days(start: dt.date, end: dt.date) -> list[dt.date]:
    cal = get_calendar()
    days, day = [], start
    while day <= end:
        if cal.is_workday(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days or [start]


@transaction.atomic
def outing_create(*, actor: User | None, campaign: Campaign, on: dt.date, team: Sequence[Person],
                  at: dt.datetime | None = None) -> Outing:
    """An outing whose team is named, not drawn: a joint operation on a tip-off, with the other
    agencies. Every member needs a valid certificate on the day, and a team has at least two."""
    _planner(actor, campaign.organisation)
    if campaign.kind != CampaignKind.JOINT:
        raise ValidationFailed(_("Teams of random inspections and campaigns are drawn, not named."))
    members = list(dict.fromkeys(team))
    if len(members) < 2:
        raise ValidationFailed(_("A team has at least 2 inspectors."), field="team")
    invalid = [p.name for p in members if not certificate_valid(p, on)]
    if invalid:
        raise ValidationFailed(_("No valid enforcement certificate on %(day)s: %(names)s.")
                               % {"day": on.isoformat(), "names": "、".join(invalid)}, field="team")
    number = numbering.next_number("outing", campaign, 0, floor=lambda: campaign.outings.count())
    outing = Outing.objects.create(campaign=campaign, number=number, on=on)
    outing.team.set(members)
    record(actor=actor, action="enforcement.outing_create", target=outing, organisation=campaign.organisation,
           at=_now(at), after={"campaign": campaign.pk, "on": on, "team": [p.certificate_number for p in members]})
    return outing


@transaction.atomic
def inspection_add_unplanned(*, actor: User, outing: Outing, target_name: str, address: str = "",
                         institution: Institution | None = None, at: dt.datetime | None = None) -> Inspection:
    """A target found during an outing (an unlicensed operator seen on the way, a joint
    operation's tip-off): inspected by the same team, on the record like the others."""
    now = _now(at)
    _team_member(actor, outing, timezone.localdate(now))  # the certificate on the day of the act
    if not target_name.strip():
        raise ValidationFailed(_("Please name the target."), field="target_name")
    inspection = Inspection.objects.create(campaign=outing.campaign, outing=outing, institution=institution,
                                           target_name=target_name.strip()[:120], address=address.strip()[:200])
    _open_inspection_cases(actor, outing.campaign, [inspection], now, {outing.pk: actor})
    record(actor=actor, action="enforcement.inspection_add", target=inspection, organisation=outing.campaign.organisation,
           at=now, after={"target": inspection.target_name, "outing": outing.number})
    return inspection


def _open_inspection_cases(actor: User | None, campaign: Campaign, visits: list[Inspection], now: dt.datetime,
                           leaders: dict[int, User | None] | None = None) -> None:
    """Each inspection's case on the engine (its stages are the case's states), opened at once and
    assigned to its team's leader (the first officer drawn for the outing), whose workbench lists it."""
    leaders = leaders or {}
    cases = engine.case_bulk_open(actor=actor, kind=INSPECTION.kind, organisation=campaign.organisation, at=now,
                                  rows=[{"title": f"{v.target_name}（{campaign.title}）", "opened_at": now,
                                         "assignee": leaders.get(v.outing_id)} for v in visits])
    for visit, case in zip(visits, cases, strict=True):
        visit.case = case
    Inspection.objects.bulk_update(visits, ["case"], batch_size=2000)
