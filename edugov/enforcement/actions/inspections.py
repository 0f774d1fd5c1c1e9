"""An inspection on site, stage by stage (the case engine's steps), and its rectification notices."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation, User
from edugov.accounts.selectors import rule_of
from edugov.audit.ledger import record
from edugov.cases import actions as engine
from edugov.cases.attachments import as_content_file, check_upload
from edugov.kernel import numbering
from edugov.kernel.calendar import get_calendar
from edugov.kernel.errors import Conflict, PermissionDenied, ValidationFailed
from edugov.kernel.locking import lock_version
from edugov.registries.models import Person

from .. import documents as letters
from ..models import (
    EvidenceFile,
    Finding,
    FindingKind,
    Inspection,
    Outing,
    Stage,
)
from ..permissions import can_plan, certificate_valid, officer_for
from ._common import _now
from .publications import _publish_inspection


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
    letters.issue_inspection_record(inspection, actor=actor, at=now)
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
            row.reinspect_on = rule_of(inspection.campaign.organisation, "inspection.reinspection").deadline(
                deadline, cal).date
        if kind == FindingKind.INTERVIEW:
            row.interviewee = str(f.get("interviewee") or "").strip()[:60]
            if not row.interviewee:
                raise ValidationFailed(_("Name the person interviewed."), field="interviewee")
        row.save()
        if kind == FindingKind.RECTIFICATION:
            letters.issue_rectification_notice(row, actor=actor, at=now)
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
