"""Writes of enforcement. Each checks the actor's scope, changes the records in one transaction
and appends its ledger entry; penalty cases move through the case engine."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation, User
from edugov.audit.ledger import record
from edugov.cases import actions as engine
from edugov.cases.attachments import as_content_file, check_upload
from edugov.draws.actions import draw_commit, draw_reveal
from edugov.kernel import ledger_port, numbering
from edugov.kernel.calendar import get_calendar, years_later
from edugov.kernel.errors import Conflict, PermissionDenied, ValidationFailed
from edugov.kernel.locking import lock_version
from edugov.registries.hooks import complaints_about_institutions
from edugov.registries.models import Institution, InstitutionStatus, Person

from .models import (
    REVIEW_POINTS,
    Campaign,
    CampaignKind,
    EnforcementItem,
    EvidenceFile,
    Finding,
    FindingKind,
    Inspection,
    InspectionMatter,
    LegalReview,
    Outing,
    Penalty,
    PenaltyType,
    Publication,
    PublicationKind,
    ReviewOutcome,
    RiskLevel,
    Stage,
)
from .permissions import can_plan, can_review, certificate_valid, officer_for
from .workflow import INSPECTION, PENALTY

# What this module's ledger entries record (the ledger refuses any other field).
ledger_port.declare("enforcement", (
    "agencies", "campaign", "certificates_shown", "checklist", "code", "created", "ends_on", "file", "findings", "full_coverage",
    "kind", "left_out_no_disturbance", "matter", "name", "notice", "on", "outing", "outings", "people_met", "place",
    "ratio", "rectified", "stage", "starts_on", "take_down_on", "target", "target_draw", "targets", "team", "team_draw",
    "title", "updated"))


INSPECTION_PUBLISH_DAYS = 20  # working days after the inspection's end
PENALTY_PUBLISH_DAYS = 7  # working days after the decision
KEEP_YEARS, KEEP_YEARS_PERSON = 5, 2


def _now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def _planner(actor: User | None, bureau: Organisation) -> None:
    if actor is not None and not can_plan(actor, bureau):
        raise PermissionDenied(_("Enforcement planning is for enforcement officers and department heads."))


# ---- catalogue -------------------------------------------------------------------------------

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


# ---- campaigns and draws ---------------------------------------------------------------------

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


@transaction.atomic
def campaign_draw(*, actor: User | None, campaign: Campaign, public_value: str = "",
                  at: dt.datetime | None = None) -> Campaign:
    """双随机: draw the targets (stratified; every target under full coverage), group them into
    outings in the drawn order, then draw a team for each outing from the officers whose
    certificate is valid, with recusal and a cap. Two published draws; the outings and
    inspections follow from them and nothing else."""
    campaign = Campaign.objects.select_for_update().select_related("organisation").get(pk=campaign.pk)
    _planner(actor, campaign.organisation)
    if campaign.target_draw_id:
        raise Conflict(_("The targets of this campaign have been drawn already; a draw is never repeated."))
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
    targets = draw_commit(actor=actor, draw_id=_draw_id(campaign, "T"), organisation=campaign.organisation,
                          candidates=ids, k=k, constraints=constraints, at=now,
                          purpose=_("Targets of %(title)s") % {"title": campaign.title})
    targets = draw_reveal(actor=actor, draw=targets, public_value=public_value, at=now)
    chosen = [by_code[c] for c in targets.selected or []]
    groups = [chosen[i:i + campaign.per_outing] for i in range(0, len(chosen), campaign.per_outing)]
    officers = {p.certificate_number: p for p in Person.objects.filter(kind="enforcement_officer", is_active=True)
                .filter(Q(organisation=campaign.organisation) | Q(organisation__path__startswith=campaign.organisation.path))
                if certificate_valid(p, campaign.starts_on)}
    if len(officers) < campaign.team_size:
        raise ValidationFailed(_("Fewer officers with a valid certificate than a team needs."))
    recusal = _recusal(groups, officers)
    team_constraints = {"teams": {"size": campaign.team_size, "cap": campaign.cap,
                                  "targets": [f"O{n}" for n in range(1, len(groups) + 1)], "recusal": recusal}}
    teams = draw_commit(actor=actor, draw_id=_draw_id(campaign, "P"), organisation=campaign.organisation,
                        candidates=sorted(officers), k=0, constraints=team_constraints, at=now,
                        purpose=_("Inspector teams of %(title)s") % {"title": campaign.title})
    teams = draw_reveal(actor=actor, draw=teams, public_value=public_value, at=now)
    days = _working_days(campaign.starts_on, campaign.ends_on)
    visits: list[Inspection] = []
    for n, group in enumerate(groups, start=1):
        outing = Outing.objects.create(campaign=campaign, number=n, on=days[(n - 1) % len(days)])
        outing.team.set([officers[c] for c in teams.assignments[f"O{n}"]])
        visits += Inspection.objects.bulk_create(Inspection(campaign=campaign, outing=outing, institution=inst,
                                                            target_name=inst.name, address=inst.address)
                                                 for inst in group)
    _open_inspection_cases(actor, campaign, visits, now)
    campaign.target_draw, campaign.team_draw = targets, teams
    campaign.save(update_fields=["target_draw", "team_draw"])
    record(actor=actor, action="enforcement.campaign_draw", target=campaign, organisation=campaign.organisation,
           at=now, after={"target_draw": targets.draw_id, "team_draw": teams.draw_id, "targets": len(chosen),
                          "outings": len(groups), "left_out_no_disturbance": len(left_out)})
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
def add_unplanned_target(*, actor: User, outing: Outing, target_name: str, address: str = "",
                         institution: Institution | None = None, at: dt.datetime | None = None) -> Inspection:
    """A target found during an outing (an unlicensed operator seen on the way, a joint
    operation's tip-off): inspected by the same team, on the record like the others."""
    now = _now(at)
    _team_member(actor, outing, timezone.localdate(now))  # the certificate on the day of the act
    if not target_name.strip():
        raise ValidationFailed(_("Please name the target."), field="target_name")
    inspection = Inspection.objects.create(campaign=outing.campaign, outing=outing, institution=institution,
                                           target_name=target_name.strip()[:120], address=address.strip()[:200])
    _open_inspection_cases(actor, outing.campaign, [inspection], now)
    record(actor=actor, action="enforcement.inspection_add", target=inspection, organisation=outing.campaign.organisation,
           at=now, after={"target": inspection.target_name, "outing": outing.number})
    return inspection


def _open_inspection_cases(actor: User | None, campaign: Campaign, visits: list[Inspection], now: dt.datetime) -> None:
    """Each inspection's case on the engine (its stages are the case's states), opened at once."""
    cases = engine.case_bulk_open(actor=actor, kind=INSPECTION.kind, organisation=campaign.organisation, at=now,
                                  rows=[{"title": f"{v.target_name}（{campaign.title}）", "opened_at": now}
                                        for v in visits])
    for visit, case in zip(visits, cases, strict=True):
        visit.case = case
    Inspection.objects.bulk_update(visits, ["case"], batch_size=2000)


# ---- the inspection on site ------------------------------------------------------------------

def _team_member(actor: User, outing: Outing, on: dt.date | None = None) -> Person:
    person = officer_for(actor)
    if person is None or not outing.team.filter(pk=person.pk).exists():
        raise PermissionDenied(_("Only the officers of this outing's team record its inspections."))
    if not certificate_valid(person, on):
        raise PermissionDenied(_("Your enforcement certificate is not valid; you cannot act until it is renewed."))
    return person


def _lock(inspection: Inspection, expected_version: int | None) -> Inspection:
    return lock_version(inspection, expected_version, lambda fresh: _(
        "Someone else has just recorded on this inspection. Nothing you entered was saved; please reload the page."),
        related=("campaign__organisation", "outing"))


def _save(inspection: Inspection, actor: User, action: str, now: dt.datetime, fields: list[str],
          after: dict[str, Any], files: list[dict[str, str]] | None = None, step: str = "") -> Inspection:
    """Save what the act changed, with its ledger entry; a change of stage is the engine's `step`
    on the inspection's case (the team was checked by the act), whose state the stage mirrors."""
    if step and inspection.case is not None:
        case = engine.case_transition(actor=actor, case=inspection.case, transition=step, at=now, system=True)
        if case.state != inspection.stage:
            raise Conflict(_("The inspection's stage and its case disagree; please tell the system administrator."))
    inspection.version += 1
    inspection.save(update_fields=[*fields, "version"])
    record(actor=actor, action=f"enforcement.{action}", target=inspection, organisation=inspection.campaign.organisation,
           at=now, after=after, files=files or ())
    return inspection


@transaction.atomic
def inspection_arrive(*, actor: User, inspection: Inspection, place: str, certificates_shown: bool,
                      expected_version: int | None = None, at: dt.datetime | None = None) -> Inspection:
    """启动 → 调查取证: arrival, place, and the showing of certificates (required by law)."""
    inspection = _lock(inspection, expected_version)
    now = _now(at)
    _team_member(actor, inspection.outing, timezone.localdate(now))
    if inspection.stage != Stage.STARTED:
        raise Conflict(_("Arrival has been recorded already."))
    if not certificates_shown:
        raise ValidationFailed(_("Show your enforcement certificates to the people met and tick the box: an "
                                 "inspection starts with it."), field="certificates_shown")
    if not place.strip():
        raise ValidationFailed(_("Please record where you are."), field="place")
    inspection.arrived_at, inspection.place, inspection.certificates_shown = now, place.strip()[:200], True
    inspection.stage = Stage.INVESTIGATING
    return _save(inspection, actor, "inspection_arrive", now, ["arrived_at", "place", "certificates_shown", "stage"],
                 {"place": inspection.place, "certificates_shown": True}, step="arrive")


@transaction.atomic
def inspection_record(*, actor: User, inspection: Inspection, checklist: Mapping[str, str], people_met: str,
                      expected_version: int | None = None, at: dt.datetime | None = None) -> Inspection:
    """The checklist answers (yes / no / n.a. per item of the matter) and the people met."""
    inspection = _lock(inspection, expected_version)
    now = _now(at)
    _team_member(actor, inspection.outing, timezone.localdate(now))
    if inspection.stage != Stage.INVESTIGATING:
        raise Conflict(_("The checklist is recorded on site, between arrival and sign-off."))
    items = list(inspection.campaign.matter.checklist)
    answers = {k: v for k, v in checklist.items() if k in items and v in ("yes", "no", "na")}
    inspection.checklist, inspection.people_met = answers, people_met.strip()[:200]
    return _save(inspection, actor, "inspection_record", now, ["checklist", "people_met"],
                 {"checklist": answers, "people_met": inspection.people_met})


@transaction.atomic
def inspection_attach(*, actor: User, inspection: Inspection, upload: UploadedFile,
                      at: dt.datetime | None = None) -> EvidenceFile:
    inspection = _lock(inspection, None)
    now = _now(at)
    _team_member(actor, inspection.outing, timezone.localdate(now))
    if inspection.stage not in (Stage.INVESTIGATING, Stage.DECIDING):
        raise Conflict(_("Evidence is added while the inspection is open."))
    checked = check_upload(upload)
    evidence = EvidenceFile(inspection=inspection, name=checked.name, content_type=checked.content_type,
                            size=len(checked.content), sha256=checked.sha256, uploaded_at=now, uploaded_by=actor)
    evidence.file.save(str(as_content_file(checked).name), ContentFile(checked.content), save=False)
    evidence.save()
    _save(inspection, actor, "inspection_evidence", now, [], {"file": evidence.pk},
          files=[{"name": checked.name, "sha256": checked.sha256}])
    return evidence


@transaction.atomic
def inspection_sign_off(*, actor: User, inspection: Inspection, expected_version: int | None = None,
                        at: dt.datetime | None = None) -> Inspection:
    """调查取证 → 审查决定: every checklist item answered, the people met named."""
    inspection = _lock(inspection, expected_version)
    now = _now(at)
    _team_member(actor, inspection.outing, timezone.localdate(now))
    if inspection.stage != Stage.INVESTIGATING:
        raise Conflict(_("Only an inspection under way can be signed off."))
    missing = [i for i in inspection.campaign.matter.checklist if i not in inspection.checklist]
    if missing:
        raise ValidationFailed(_("Answer every checklist item first: %(items)s.") % {"items": "、".join(missing)})
    if not inspection.people_met:
        raise ValidationFailed(_("Name the people met on site."), field="people_met")
    inspection.signed_off_at, inspection.stage = now, Stage.DECIDING
    return _save(inspection, actor, "inspection_sign_off", now, ["signed_off_at", "stage"], {"stage": Stage.DECIDING},
                 step="sign_off")


def _notice_number(bureau: Organisation, year: int) -> str:
    n = numbering.next_number("rectification_notice", bureau, year, floor=lambda: Finding.objects.filter(
        kind=FindingKind.RECTIFICATION, inspection__campaign__organisation=bureau, at__year=year).count())
    return f"{bureau.case_prefix or bureau.code}责改〔{year}〕{n:04d}号"


@transaction.atomic
def inspection_decide(*, actor: User, inspection: Inspection, findings: Sequence[Mapping[str, Any]],
                      expected_version: int | None = None, at: dt.datetime | None = None) -> Inspection:
    """审查决定: the findings of the visit. Each is one of FindingKind; a rectification notice has a
    deadline (and a re-inspection after it); an interview names the person. The inspection's
    result is published (due within 20 working days)."""
    inspection = _lock(inspection, expected_version)
    now = _now(at)
    _team_member(actor, inspection.outing, timezone.localdate(now))
    if inspection.stage != Stage.DECIDING:
        raise Conflict(_("Sign the inspection off before recording its findings."))
    if not findings:
        raise ValidationFailed(_("Record at least one finding (compliant, if nothing was wrong)."))
    kinds = [f.get("kind") for f in findings]
    if any(k not in FindingKind.values or k == FindingKind.PENALTY for k in kinds):
        raise ValidationFailed(_("Unknown finding; a penalty case is opened from the inspection page."))
    if FindingKind.COMPLIANT in kinds and len(kinds) > 1:
        raise ValidationFailed(_("A visit is either compliant or has findings, not both."))
    cal = get_calendar()
    made = []
    for f in findings:
        kind = f["kind"]
        row = Finding(inspection=inspection, kind=kind, note=str(f.get("note") or "")[:300], at=now)
        if kind == FindingKind.RECTIFICATION:
            deadline = f.get("deadline")
            if not isinstance(deadline, dt.date) or deadline <= timezone.localdate(now):
                raise ValidationFailed(_("A rectification notice needs a deadline after today."), field="deadline")
            row.deadline, row.notice_number = deadline, _notice_number(inspection.campaign.organisation, now.year)
            row.reinspect_on = cal.add_working_days(deadline, 5).date
        if kind == FindingKind.INTERVIEW:
            row.interviewee = str(f.get("interviewee") or "").strip()[:60]
            if not row.interviewee:
                raise ValidationFailed(_("Name the person interviewed."), field="interviewee")
        row.save()
        made.append(row)
    inspection.decided_at = now
    needs_service = any(f.kind in (FindingKind.RECTIFICATION,) for f in made)
    inspection.stage = Stage.SERVING if needs_service else Stage.ARCHIVED
    inspection.archived_at = None if needs_service else now
    _save(inspection, actor, "inspection_decide", now, ["decided_at", "stage", "archived_at"],
          {"findings": [{"kind": f.kind, "notice": f.notice_number, "deadline": f.deadline, "interviewee": f.interviewee}
                        for f in made]},
          step="decide_serve" if inspection.stage == Stage.SERVING else "decide_archive")
    _publish_inspection(inspection, made, now)
    return inspection


@transaction.atomic
def finding_serve(*, actor: User, finding: Finding, at: dt.datetime | None = None) -> Finding:
    """送达执行: the notice handed over (signed for); when nothing is left to serve, the inspection is archived."""
    inspection = _lock(finding.inspection, None)
    now = _now(at)
    _team_member(actor, inspection.outing, timezone.localdate(now))
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    if finding.served_at is not None:
        raise Conflict(_("This notice has been served already."))
    finding.served_at = now
    finding.save(update_fields=["served_at"])
    fields: list[str] = []
    step = ""
    if not inspection.findings.filter(kind=FindingKind.RECTIFICATION, served_at__isnull=True).exists():
        inspection.stage, inspection.archived_at = Stage.ARCHIVED, now
        fields, step = ["stage", "archived_at"], "archive"
    _save(inspection, actor, "notice_serve", now, fields, {"notice": finding.notice_number}, step=step)
    return finding


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
        due_on=cal.add_working_days(day, INSPECTION_PUBLISH_DAYS).date,
        take_down_on=years_later(day, KEEP_YEARS))



# ---- penalty cases -----------------------------------------------------------------------------

@transaction.atomic
def penalty_open(*, actor: User, inspection: Inspection | None, organisation: Organisation, item: EnforcementItem,
                 party_name: str, facts: str, party_is_person: bool = False, is_major: bool = True,
                 at: dt.datetime | None = None) -> Penalty:
    """立案, from an inspection's findings (or a referral). The decision clock (90 days) starts."""
    if not item.claimed or item.organisation_id != organisation.pk:
        raise ValidationFailed(_("Choose an enforcement item this bureau has claimed."), field="item")
    if not party_name.strip():
        raise ValidationFailed(_("Name the party."), field="party_name")
    if not facts.strip():
        raise ValidationFailed(_("State the facts found."), field="facts")
    now = _now(at)
    dept = item.department
    case = engine.case_open(actor=actor, kind=PENALTY.kind, organisation=organisation, department=dept,
                            title=f"{party_name.strip()[:60]}：{item.name[:60]}", at=now)
    penalty = Penalty.objects.create(case=case, inspection=inspection, item=item, party_name=party_name.strip()[:120],
                                     party_is_person=party_is_person, facts=facts.strip(), is_major=is_major)
    if inspection is not None:
        Finding.objects.create(inspection=inspection, kind=FindingKind.PENALTY, at=now,
                               note=_("Penalty case %(ref)s") % {"ref": case.reference})
    record(actor=actor, action="penalty.detail", target=case, organisation=organisation, at=now,
           after={"item": item.code, "party": penalty.party_name, "major": is_major,
                  "inspection": inspection.pk if inspection else None})
    return penalty


@transaction.atomic
def legal_review(*, actor: User, penalty: Penalty, checks: Mapping[str, bool], outcome: str, opinion: str,
                 at: dt.datetime | None = None) -> LegalReview:
    """法制审核: the seven points, then agree / correct / refer, with a written opinion."""
    penalty = Penalty.objects.select_for_update(of=("self",)).select_related("case__organisation").get(pk=penalty.pk)
    case = penalty.case
    if not can_review(actor, case.organisation):
        raise PermissionDenied(_("Legal review is done by the bureau's legal reviewers."))
    if case.state != "review":
        raise Conflict(_("This case is not waiting for legal review."))
    if set(checks) != set(REVIEW_POINTS):
        raise ValidationFailed(_("Answer each of the review points."))
    if outcome not in ReviewOutcome.values:
        raise ValidationFailed(_("Choose the outcome of the review."), field="outcome")
    if outcome == ReviewOutcome.AGREE and not all(checks.values()):
        raise ValidationFailed(_("A review that finds a point not met cannot agree: choose “correct” or “refer”."),
                               field="outcome")
    if not opinion.strip():
        raise ValidationFailed(_("Please write the review opinion."), field="opinion")
    now = _now(at)
    review = LegalReview.objects.create(penalty=penalty, reviewer=actor, at=now, checks=dict(checks), outcome=outcome,
                                        opinion=opinion.strip())
    engine.case_transition(actor=actor, case=case, transition=f"review_{outcome}", at=now, system=True,
                           data={"note": opinion.strip()[:500], "checks": dict(checks)})
    return review


def _amount(value: Any, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).strip())
        if not amount.is_finite() or abs(amount) >= Decimal("1e10"):  # 'NaN', 'Infinity', or no fine at all
            raise InvalidOperation
        amount = amount.quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(_("Write the amount in yuan, e.g. 20000."), field=field) from None
    if amount < 0:
        raise ValidationFailed(_("An amount cannot be negative."), field=field)
    return amount


@transaction.atomic
def penalty_decide(*, actor: User, penalty: Penalty, types: Sequence[str], decision_text: str,
                   fine: Any = None, confiscated: Any = None, at: dt.datetime | None = None) -> Penalty:
    """The decision: penalties of the 2023 measures, the fine within the item's range, and for a
    major decision a legal review that agreed (or referred it to collective discussion)."""
    penalty = Penalty.objects.select_for_update(of=("self",)).select_related("case", "item").get(pk=penalty.pk)
    types = list(dict.fromkeys(types))
    if not types or any(t not in PenaltyType.values for t in types):
        raise ValidationFailed(_("Choose the penalties decided."), field="types")
    fine_amount, confiscated_amount = _amount(fine, "fine"), _amount(confiscated, "confiscated")
    item = penalty.item
    if PenaltyType.FINE in types:
        if fine_amount is None or fine_amount == 0:
            raise ValidationFailed(_("Write the fine."), field="fine")
        if (item.fine_min is not None and fine_amount < item.fine_min) or (
                item.fine_max is not None and fine_amount > item.fine_max):
            raise ValidationFailed(_("The fine must be within the item's range: %(range)s.")
                                   % {"range": item.penalty_range or f"{item.fine_min}–{item.fine_max}"}, field="fine")
    elif fine_amount:
        raise ValidationFailed(_("A fine is written only when “fine” is among the penalties."), field="fine")
    if PenaltyType.CONFISCATION in types and not confiscated_amount:
        raise ValidationFailed(_("Write the amount confiscated."), field="confiscated")
    if not decision_text.strip():
        raise ValidationFailed(_("Write the decision."), field="decision_text")
    last = penalty.reviews.order_by("-at", "-id").first()
    if penalty.is_major and (last is None or last.outcome == ReviewOutcome.CORRECT):
        raise ValidationFailed(_("A major decision needs the legal review first (法制审核)."))
    now = _now(at)
    engine.case_transition(actor=actor, case=penalty.case, transition="decide", at=now,
                           data={"types": types, "fine": str(fine_amount or ""), "note": decision_text.strip()[:500]})
    penalty.penalty_types, penalty.fine, penalty.confiscated = types, fine_amount, confiscated_amount
    penalty.decision_text, penalty.decided_at = decision_text.strip(), now
    penalty.save(update_fields=["penalty_types", "fine", "confiscated", "decision_text", "decided_at"])
    cal = get_calendar()
    day = timezone.localdate(now)
    keep = KEEP_YEARS_PERSON if penalty.party_is_person else KEEP_YEARS
    labels = "、".join(str(PenaltyType(t).label) for t in types)
    Publication.objects.create(
        organisation=penalty.case.organisation, kind=PublicationKind.PENALTY, penalty=penalty,
        party_is_person=penalty.party_is_person, published_at=now,
        title=_("Penalty decision %(ref)s") % {"ref": penalty.case.reference},
        body=_("Party: %(party)s. Facts: %(facts)s Penalty: %(types)s%(fine)s. Basis: %(basis)s") % {
            "party": penalty.party_name, "facts": penalty.facts, "types": labels,
            "fine": _("; fine %(f)s yuan") % {"f": fine_amount} if fine_amount else "", "basis": item.legal_basis},
        due_on=cal.add_working_days(day, PENALTY_PUBLISH_DAYS).date,
        take_down_on=years_later(day, keep))
    return penalty


@transaction.atomic
def penalty_revoke(*, actor: User, penalty: Penalty, reason: str, at: dt.datetime | None = None) -> Penalty:
    """A decision revoked (by review, litigation or the bureau itself): its publication comes down at once."""
    penalty = Penalty.objects.select_for_update(of=("self",)).select_related("case").get(pk=penalty.pk)
    if not can_plan(actor, penalty.case.organisation) and not can_review(actor, penalty.case.organisation):
        raise PermissionDenied(_("You may not revoke this decision."))
    if penalty.decided_at is None or penalty.revoked_at is not None:
        raise Conflict(_("Only a decision in force can be revoked."))
    if not reason.strip():
        raise ValidationFailed(_("Please give the reason."), field="reason")
    now = _now(at)
    penalty.revoked_at = now
    penalty.save(update_fields=["revoked_at"])
    taken = penalty.publications.filter(taken_down_at__isnull=True).update(
        taken_down_at=now, take_down_reason=_("Decision revoked: %(r)s") % {"r": reason.strip()[:150]})
    engine.case_comment(actor=actor, case=penalty.case, at=now, action="revoke", data={"taken_down": taken},
                        text=_("Decision revoked: %(r)s") % {"r": reason.strip()})
    return penalty


def take_down_expired(today: dt.date | None = None) -> int:
    """Publications past their time (5 years; 2 for a natural person) come down. Run daily."""
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


@transaction.atomic
def items_import(*, actor: User | None, organisation: Organisation, data: bytes,
                 at: dt.datetime | None = None) -> dict[str, int]:
    """Import the city catalogue from XLSX: new codes are added (unclaimed), known codes updated.
    A file with any bad row saves nothing and says which lines to fix."""
    from edugov.kernel.xlsx import read_rows

    from .documents import item_columns

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


@transaction.atomic
def finding_reinspect(*, actor: User, finding: Finding, rectified: bool, note: str,
                      at: dt.datetime | None = None) -> Finding:
    """The re-inspection after a rectification deadline: rectified or not. Not rectified is a
    reason to open a penalty case from the inspection."""
    finding = Finding.objects.select_for_update(of=("self",)).select_related(
        "inspection__campaign__organisation").get(pk=finding.pk)
    bureau = finding.inspection.campaign.organisation
    if not can_plan(actor, bureau):
        raise PermissionDenied(_("Re-inspections are recorded by enforcement officers."))
    if finding.kind != FindingKind.RECTIFICATION or finding.reinspected_at is not None:
        raise Conflict(_("No re-inspection is waiting on this notice."))
    now = _now(at)
    if timezone.localdate(now) <= (finding.deadline or timezone.localdate(now)):
        raise ValidationFailed(_("The re-inspection comes after the rectification deadline (%(d)s).")
                               % {"d": finding.deadline})
    if not note.strip():
        raise ValidationFailed(_("Please write what the re-inspection found."), field="note")
    finding.reinspected_at = now
    finding.note = (finding.note + " | " if finding.note else "") + (
        _("Re-inspected: rectified. %(n)s") if rectified else _("Re-inspected: NOT rectified. %(n)s")) % {
        "n": note.strip()}
    finding.note = finding.note[:300]
    finding.save(update_fields=["reinspected_at", "note"])
    record(actor=actor, action="enforcement.reinspect", target=finding.inspection, organisation=bureau, at=now,
           after={"notice": finding.notice_number, "rectified": rectified}, note=note.strip()[:300])
    return finding


@transaction.atomic
def review_extend(*, actor: User, penalty: Penalty, reason: str, at: dt.datetime | None = None) -> Penalty:
    """The legal review's 10 working days may be extended once, by 3."""
    penalty = Penalty.objects.select_for_update(of=("self",)).select_related("case__organisation").get(pk=penalty.pk)
    if not can_review(actor, penalty.case.organisation):
        raise PermissionDenied(_("Legal review is done by the bureau's legal reviewers."))
    clock = penalty.case.clocks.filter(name="review", stopped_on__isnull=True).first()
    if clock is None:
        raise Conflict(_("This case is not waiting for legal review."))
    if clock.extended_by:
        raise ValidationFailed(_("The review has been extended once already."))
    if not reason.strip():
        raise ValidationFailed(_("Please give the reason."), field="reason")
    engine.case_extend_clock(actor=actor, case=penalty.case, clock="review", days=3, reason=reason.strip(), at=at)
    return penalty
