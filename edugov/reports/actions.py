"""Writes of the yearly report: create, edit the draft, the two reviews, freeze and publish.
Each checks the actor, changes the report in one transaction and appends its ledger entry."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation, User
from edugov.audit.ledger import record
from edugov.cases import actions as engine
from edugov.documents.official import to_docx, to_pdf
from edugov.kernel import ledger_port, rules
from edugov.kernel.errors import Conflict, PermissionDenied, ValidationFailed
from edugov.kernel.locking import lock_version

from . import render
from .models import AnnualReport, ReportState
from .permissions import can_approve, can_review_legality, can_write_report
from .workflow import REPORT

# What this module's ledger entries record (the ledger refuses any other field).
ledger_port.declare("report", ("body_sha256", "docx_sha256", "figures", "late", "pdf_sha256", "state", "year"))


def _now(at: dt.datetime | None) -> dt.datetime:
    return at or timezone.now()


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@transaction.atomic
def report_create(*, actor: User | None, organisation: Organisation, year: int, body: str = "",
                  at: dt.datetime | None = None) -> AnnualReport:
    """A new year's report starts from the text given, last year's, or the statutory outline."""
    if actor is not None and not can_write_report(actor, organisation):
        raise PermissionDenied(_("You may not write this organisation's report."))
    if not 2000 <= year <= 2100:
        raise ValidationFailed(_("Choose a year such as 2024."), field="year")
    if AnnualReport.objects.filter(organisation=organisation, year=year).exists():
        raise Conflict(_("The %(year)d report exists already.") % {"year": year})
    previous = AnnualReport.objects.filter(organisation=organisation, year=year - 1).first()
    body = body or (previous.body if previous else render.OUTLINE)
    now = _now(at)
    title = _("%(org)s: rule-of-law government report for %(year)d") % {"org": organisation.name, "year": year}
    report = AnnualReport.objects.create(organisation=organisation, year=year, body=body, updated_by=actor,
                                         title=title, case=_open_case(organisation, year, title, now))
    record(actor=actor, action="report.create", target=report, organisation=organisation, at=now,
           after={"year": year, "body_sha256": _digest(body)})
    return report


def _lock(report: AnnualReport, expected_version: int | None) -> AnnualReport:
    return lock_version(report, expected_version, lambda fresh: _(
        "Someone else has just changed this report. Nothing you entered was saved; please reload the page and "
        "try again."), related=("organisation",))


def _open_case(organisation: Organisation, year: int, title: str, now: dt.datetime) -> Any:
    """The report's case on the engine, its clock running to the publication deadline."""
    return engine.case_open(actor=None, kind=REPORT.kind, organisation=organisation, title=title, at=now,
                            amounts={"publish": publication_deadline_of(year)})


def _step(report: AnnualReport, actor: User, step: str, note: str, now: dt.datetime, **after: Any) -> AnnualReport:
    """One step of the approval, on the case engine (its event, clock and ledger entry); the
    report's own entry records what the step froze or found."""
    before = report.state
    if report.case is None and report.state == ReportState.DRAFT:  # a draft begun before the engine ran reports
        report.case = _open_case(report.organisation, report.year, report.title, now)
        report.save(update_fields=["case"])
    if report.case is None:
        raise Conflict(_("This report predates the approval on the case engine; ask the system administrator to "
                         "attach its case."))
    case = engine.case_transition(actor=actor, case=report.case, transition=step, data={"note": note}, at=now,
                                  system=True)  # who may act was checked above, by the report's permissions
    report.state, report.version = case.state, report.version + 1
    report.save(update_fields=["state", "version", "updated_at"])
    record(actor=actor, action=f"report.{case.state}", target=report, organisation=report.organisation, at=now,
           before={"state": before}, after={"state": case.state, **after}, note=note)
    return report


@transaction.atomic
def report_save(*, actor: User, report: AnnualReport, title: str, body: str, expected_version: int | None = None,
                at: dt.datetime | None = None) -> AnnualReport:
    report = _lock(report, expected_version)
    if not can_write_report(actor, report.organisation):
        raise PermissionDenied(_("You may not write this organisation's report."))
    if report.state != ReportState.DRAFT:
        raise Conflict(_("Only a draft can be edited; this report is “%(state)s”.")
                       % {"state": report.get_state_display()})
    if not title.strip() or not body.strip():
        raise ValidationFailed(_("The report needs a title and a text."))
    report.title, report.body, report.updated_by = title.strip()[:120], body.replace("\r\n", "\n"), actor
    report.version += 1
    report.save(update_fields=["title", "body", "updated_by", "version", "updated_at"])
    record(actor=actor, action="report.save", target=report, organisation=report.organisation, at=_now(at),
           after={"body_sha256": _digest(report.body), "figures": render.placeholders(report.body)})
    return report


@transaction.atomic
def report_submit(*, actor: User, report: AnnualReport, expected_version: int | None = None,
                  at: dt.datetime | None = None) -> AnnualReport:
    """Draft → the legal department. A text citing a figure that is not registered is not sent."""
    report = _lock(report, expected_version)
    if not can_write_report(actor, report.organisation):
        raise PermissionDenied(_("You may not write this organisation's report."))
    if report.state != ReportState.DRAFT:
        raise Conflict(_("Only a draft can be submitted."))
    _figures, missing = render.compute(render.placeholders(report.body), report.year, report.organisation)
    if missing:
        raise ValidationFailed(_("The text cites figures that are not registered: %(keys)s. Correct the keys or "
                                 "remove them before submitting.") % {"keys": "、".join(missing)})
    return _step(report, actor, "submit", "", _now(at))


@transaction.atomic
def report_legal_review(*, actor: User, report: AnnualReport, agree: bool, note: str,
                        at: dt.datetime | None = None) -> AnnualReport:
    report = _lock(report, None)
    if not can_review_legality(actor, report.organisation):
        raise PermissionDenied(_("The legal department reviews the draft."))
    if report.state != ReportState.LEGAL_REVIEW:
        raise Conflict(_("This report is not with the legal department."))
    if not agree and not note.strip():
        raise ValidationFailed(_("Please say what must change."), field="note")
    return _step(report, actor, "legal_agree" if agree else "legal_return", note.strip(), _now(at))


@transaction.atomic
def report_approve(*, actor: User, report: AnnualReport, agree: bool, note: str = "",
                   at: dt.datetime | None = None) -> AnnualReport:
    """The leader approves: the figures are computed once more and frozen, the Word and PDF are
    made from them, and their SHA-256 go into the ledger. Or the draft goes back with a note."""
    report = _lock(report, None)
    if not can_approve(actor, report.organisation):
        raise PermissionDenied(_("The bureau's leader approves the report."))
    if report.state != ReportState.LEADER_REVIEW:
        raise Conflict(_("This report is not with the leader."))
    now = _now(at)
    if not agree:
        if not note.strip():
            raise ValidationFailed(_("Please say what must change."), field="note")
        return _step(report, actor, "leader_return", note.strip(), now)
    figures, missing = render.compute(render.placeholders(report.body), report.year, report.organisation)
    if missing:
        raise ValidationFailed(_("The text cites figures that are not registered: %(keys)s.")
                               % {"keys": "、".join(missing)})
    doc = render.document(report.title, report.body, report.organisation, figures, timezone.localdate(now))
    docx, pdf = to_docx(doc), to_pdf(doc)
    report.frozen_figures, report.frozen_at = figures, now
    report.docx_sha256, report.pdf_sha256 = hashlib.sha256(docx).hexdigest(), hashlib.sha256(pdf).hexdigest()
    name = f"{report.organisation.code}-{report.year}"
    report.docx.save(f"{name}-{report.docx_sha256[:12]}.docx", ContentFile(docx), save=False)
    report.pdf.save(f"{name}-{report.pdf_sha256[:12]}.pdf", ContentFile(pdf), save=False)
    report.save(update_fields=["frozen_figures", "frozen_at", "docx_sha256", "pdf_sha256", "docx", "pdf"])
    return _step(report, actor, "approve", note.strip(), now, figures=figures,
                 docx_sha256=report.docx_sha256, pdf_sha256=report.pdf_sha256)


@transaction.atomic
def report_publish(*, actor: User, report: AnnualReport, at: dt.datetime | None = None) -> AnnualReport:
    report = _lock(report, None)
    if not (can_approve(actor, report.organisation) or can_write_report(actor, report.organisation)):
        raise PermissionDenied(_("You may not publish this report."))
    if report.state != ReportState.APPROVED:
        raise Conflict(_("Only an approved report can be published."))
    now = _now(at)
    report.published_at = now
    report.save(update_fields=["published_at"])
    from edugov.kernel import publishing

    publishing.announce(organisation=report.organisation, title=report.title[:200], category="年度报告",
                        published_on=timezone.localdate(now))
    late = timezone.localdate(now) > publication_deadline(report)
    return _step(report, actor, "publish", "", now, late=late)


def publication_deadline_of(year: int) -> dt.date:
    """Published before 1 April of the following year (rule `report.publication`): 31 March, a fixed
    day that is not moved to the next working day when it is a rest day (that would be 1 April or
    later, after the day the rule names)."""
    return rules.get("report.publication").ends(dt.date(year, 12, 31))


def publication_deadline(report: AnnualReport) -> dt.date:
    return publication_deadline_of(report.year)


def differences(report: AnnualReport) -> list[dict[str, Any]]:
    """Frozen figures that the records now give differently (a late record, a correction)."""
    if not report.frozen:
        return []
    current, _missing = render.compute(list(report.frozen_figures), report.year, report.organisation)
    return [{"key": key, "frozen": old["display"], "now": current[key]["display"]}
            for key, old in sorted(report.frozen_figures.items()) if key in current and current[key] != old]


ledger_port.declare("ogi_report", ("year", "docx_sha256", "late", "published_on"))


@transaction.atomic
def ogi_report_publish(*, actor: User | None, organisation: Organisation, year: int, problems: str, other: str,
                       at: dt.datetime | None = None) -> Any:
    """Publish the yearly disclosure report once its year is over: the tables are frozen from the
    records as they stand, the Word document's SHA-256 recorded. Due by 31 January (rule
    ogi.annual_report); a later publication says it is late."""
    from . import ogi
    from .models import OgiReport

    if actor is not None and not can_approve(actor, organisation):
        raise PermissionDenied(_("The bureau's leadership publishes the yearly disclosure report."))
    today = timezone.localdate(at or timezone.now())
    if today <= dt.date(year, 12, 31):
        raise ValidationFailed(_("The %(year)d report is published after the year is over.") % {"year": year})
    if OgiReport.objects.filter(organisation=organisation, year=year).exists():
        raise Conflict(_("The %(year)d disclosure report is already published.") % {"year": year})
    data = ogi.tables(organisation, year)
    docx = to_docx(ogi.document(organisation, year, data, problems.strip(), other.strip(), today))
    digest = hashlib.sha256(docx).hexdigest()
    report = OgiReport.objects.create(organisation=organisation, year=year, tables=data, problems=problems.strip(),
                                      other=other.strip(), published_on=today, sha256=digest, published_by=actor)
    from edugov.kernel import publishing

    publishing.announce(organisation=organisation, title=f"{year}年政府信息公开工作年度报告", category="年度报告",
                        published_on=today)
    due = rules.get("ogi.annual_report").ends(dt.date(year, 12, 31))
    record(actor=actor, action="ogi_report.publish", target=report, organisation=organisation, at=at,
           after={"year": year, "docx_sha256": digest, "published_on": today, "late": today > due})
    return report
