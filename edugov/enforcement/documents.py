"""Enforcement documents in the official layout (GB/T 9704, through documents.official) and the
catalogue and publication exports."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.documents.official import OfficialDocument, Paragraph, Table, to_docx
from edugov.documents.remedies import remedy_sentence
from edugov.kernel.xlsx import Column, write_workbook

from .models import EnforcementItem, Finding, Penalty, PenaltyType, Publication

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def docx_response(doc: OfficialDocument, filename: str) -> HttpResponse:
    response = HttpResponse(to_docx(doc), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def rectification_notice(finding: Finding) -> OfficialDocument:
    inspection = finding.inspection
    bureau = inspection.campaign.organisation
    return OfficialDocument(
        title=_("Rectification notice"), issuer=bureau.name, date=timezone.localdate(finding.at),
        document_number=finding.notice_number, recipients=inspection.target_name,
        blocks=[
            Paragraph(_("On %(day)s this bureau inspected your premises at %(place)s under “%(matter)s”.") % {
                "day": inspection.outing.on.isoformat(), "place": inspection.place or inspection.address,
                "matter": inspection.campaign.matter.name}),
            Paragraph(_("Found: %(note)s") % {"note": finding.note or _("see the inspection record")}),
            Paragraph(_("You are ordered to rectify by %(deadline)s and report the rectification in writing. This "
                        "bureau will inspect again after the deadline.") % {"deadline": finding.deadline}),
            Paragraph(_("Basis: %(basis)s") % {"basis": inspection.campaign.matter.legal_basis}),
        ])


def prior_notice(penalty: Penalty) -> OfficialDocument:
    case = penalty.case
    intended = case.events.filter(transition="notify").values_list("data", flat=True).first() or {}
    return OfficialDocument(
        title=_("Prior notice of an administrative penalty"), issuer=case.organisation.name,
        date=timezone.localdate(), document_number=case.reference, recipients=penalty.party_name,
        blocks=[
            Paragraph(_("Facts found: %(facts)s") % {"facts": penalty.facts}),
            Paragraph(_("This bureau intends to impose: %(intended)s. Basis: %(basis)s") % {
                "intended": intended.get("intended", ""), "basis": penalty.item.legal_basis}),
            Paragraph(_("You have the right to state your case and defend yourself within 5 days of receiving this "
                        "notice, and, where the law provides, to request a hearing within the same time. Not doing "
                        "so is taken as waiving these rights.")),
        ])


def penalty_decision(penalty: Penalty) -> OfficialDocument:
    case = penalty.case
    types = "、".join(str(PenaltyType(t).label) for t in penalty.penalty_types)
    rows = [[_("Party"), penalty.party_name], [_("Penalties"), types]]
    if penalty.fine:
        rows.append([_("Fine (yuan)"), f"{penalty.fine:,.2f}"])
    if penalty.confiscated:
        rows.append([_("Confiscated (yuan)"), f"{penalty.confiscated:,.2f}"])
    return OfficialDocument(
        title=_("Administrative penalty decision"), issuer=case.organisation.name,
        date=timezone.localdate(penalty.decided_at), document_number=case.reference, recipients=penalty.party_name,
        blocks=[
            Paragraph(_("Facts found: %(facts)s") % {"facts": penalty.facts}),
            Paragraph(_("Basis: %(basis)s") % {"basis": penalty.item.legal_basis}),
            Table([_("Item"), _("Decision")], rows),
            Paragraph(penalty.decision_text),
            Paragraph(remedy_sentence(case.organisation)),
        ])


ITEM_COLUMNS = [Column("code", "", required=True), Column("name", "", required=True),
                Column("legal_basis", "", required=True), Column("penalty_range", ""), Column("fine_min", ""),
                Column("fine_max", ""), Column("department", ""), Column("claimed", "")]


def item_columns() -> list[Column]:
    labels = {"code": _("Item code"), "name": _("Item name"), "legal_basis": _("Legal basis"),
              "penalty_range": _("Penalty range"), "fine_min": _("Lowest fine (yuan)"),
              "fine_max": _("Highest fine (yuan)"), "department": _("Responsible department"), "claimed": _("Claimed")}
    return [Column(c.key, str(labels[c.key]), c.required, aliases=(c.key,)) for c in ITEM_COLUMNS]


def items_xlsx(qs: Iterable[EnforcementItem]) -> HttpResponse:
    rows = ([i.code, i.name, i.legal_basis, i.penalty_range, i.fine_min, i.fine_max,
             i.department.name if i.department else "", _("yes") if i.claimed else _("no")] for i in qs)
    response = HttpResponse(write_workbook(item_columns(), rows, title=_("Enforcement items")), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="enforcement-items.xlsx"'
    return response


def publications_xlsx(qs: Iterable[Publication]) -> HttpResponse:
    columns = [Column("title", _("Title")), Column("body", _("Content")), Column("published", _("Published on")),
               Column("draw", _("Draw"))]
    rows = ([p.title, p.body, timezone.localdate(p.published_at).isoformat(), p.draw.draw_id if p.draw else ""]
            for p in qs)
    response = HttpResponse(write_workbook(columns, rows, title=_("Enforcement results")), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="enforcement-results.xlsx"'
    return response
