"""Enforcement documents in the official layout (GB/T 9704, through documents.official), each issued
by the act it records (documents.actions.document_issue: dated by the act, numbered, signed and
verifiable), and the catalogue and publication exports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import User
from edugov.accounts.selectors import rule_of
from edugov.documents.actions import document_issue, documents_revoke, next_number
from edugov.documents.models import DocumentKind, IssuedDocument
from edugov.documents.official import Block, Heading, OfficialDocument, Paragraph, Table, date_text, to_docx
from edugov.documents.remedies import remedy_sentence
from edugov.kernel.masking import mask_name
from edugov.kernel.xlsx import Column, write_workbook

from .models import EnforcementItem, Finding, Inspection, Penalty, PenaltyType, Publication

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def docx_response(doc: OfficialDocument, filename: str) -> HttpResponse:
    response = HttpResponse(to_docx(doc), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _issue(*, organisation: Any, kind: str, doc: OfficialDocument, subject: str, summary: str, recipient: str,
           actor: User | None, at: dt.datetime) -> IssuedDocument:
    return document_issue(actor=actor, organisation=organisation, kind=kind, doc=doc, subject=subject,
                          summary=summary, recipient=recipient, at=at)


def finding_subject(finding: Finding) -> str:
    return f"finding:{finding.pk}"


def penalty_subject(penalty: Penalty) -> str:
    return f"case:{penalty.case_id}"


def _party(penalty: Penalty) -> str:
    """The party as a public page may show it: a person masked, an institution by name."""
    return mask_name(penalty.party_name) if penalty.party_is_person else penalty.party_name


def issue_rectification_notice(finding: Finding, *, actor: User | None, at: dt.datetime) -> IssuedDocument:
    """责令整改通知书: what was found, then what is ordered and by when (dated by the inspection's decision)."""
    inspection = finding.inspection
    bureau = inspection.campaign.organisation
    matter = inspection.campaign.matter
    day = timezone.localdate(at)
    assert finding.deadline is not None  # a rectification notice has its deadline (inspection_decide)
    visited = inspection.arrived_at or inspection.outing.on
    doc = OfficialDocument(
        title=_("Rectification notice"), issuer=bureau.name, date=day, document_number=finding.notice_number,
        recipients=inspection.target_name,
        blocks=[
            Paragraph(_("On %(day)s this bureau inspected your premises at %(place)s under “%(matter)s”.") % {
                "day": date_text(timezone.localdate(visited) if isinstance(visited, dt.datetime) else visited),
                "place": inspection.place or inspection.address, "matter": matter.name}),
            Heading(1, _("Problems found")),
            Paragraph(finding.note or _("see the inspection record")),
            Heading(1, _("Rectification required")),
            Paragraph(_("According to %(basis)s, you are ordered to correct the problems above by %(deadline)s and to "
                        "report the correction to this bureau in writing. This bureau will inspect again by "
                        "%(reinspect)s.") % {
                "basis": matter.legal_basis, "deadline": date_text(finding.deadline),
                "reinspect": date_text(finding.reinspect_on or finding.deadline)}),
        ])
    return _issue(organisation=bureau, kind=DocumentKind.RECTIFICATION_NOTICE, doc=doc, subject=finding_subject(finding),
                  summary=_("Ordered to rectify by %(day)s") % {"day": finding.deadline.isoformat()},
                  recipient=inspection.target_name, actor=actor, at=at)


def issue_inspection_record(inspection: Inspection, *, actor: User | None, at: dt.datetime) -> IssuedDocument | None:
    """现场检查笔录, made when the team signs the inspection off (行政处罚法 art. 55: officers show their
    certificates; the record of what was checked, with whom): the place and time, the officers and
    their certificates, each checklist item's answer, the people met."""
    if inspection.case_id is None:
        return None
    bureau = inspection.campaign.organisation
    day = timezone.localdate(at)
    arrived = timezone.localtime(inspection.arrived_at) if inspection.arrived_at else None
    unnumbered = _("no certificate number")
    team = "、".join(f"{p.name}（{p.certificate_number or unnumbered}）" for p in inspection.outing.team.all())
    rows = [[_("Inspected"), inspection.target_name], [_("Place"), inspection.place or inspection.address],
            [_("Time"), f"{date_text(arrived.date())} {arrived:%H:%M}" if arrived else ""],
            [_("Matter"), inspection.campaign.matter.name], [_("Officers (certificates)"), team],
            [_("Certificates shown"), _("yes") if inspection.certificates_shown else _("no")],
            [_("People met"), inspection.people_met]]
    words = {"yes": _("yes"), "no": _("no"), "na": _("not applicable")}
    checks = [[str(item), str(words.get(str(answer), answer))] for item, answer in inspection.checklist.items()]
    doc = OfficialDocument(
        title=_("Record of an on-site inspection"), issuer=bureau.name, date=day,
        document_number=next_number(bureau, DocumentKind.INSPECTION_RECORD, day.year),
        blocks=[Table([_("Item"), _("Content")], rows), Table([_("Checklist item"), _("Found")], checks)])
    return _issue(organisation=bureau, kind=DocumentKind.INSPECTION_RECORD, doc=doc,
                  subject=f"case:{inspection.case_id}", summary=_("On-site inspection recorded"),
                  recipient=inspection.target_name, actor=actor, at=at)


def issue_filing_form(penalty: Penalty, *, actor: User | None, at: dt.datetime) -> IssuedDocument:
    """立案审批表 (行政处罚法 art. 54): the case filed, on what facts, under which item."""
    case = penalty.case
    rows = [[_("Case number"), case.reference], [_("Party"), penalty.party_name],
            [_("Enforcement item"), f"{penalty.item.code} {penalty.item.name}"],
            [_("Facts found"), penalty.facts], [_("Legal basis"), penalty.item.legal_basis],
            [_("Source"), _("Inspection of %(day)s") % {"day": date_text(timezone.localdate(penalty.inspection.arrived_at))}
             if penalty.inspection and penalty.inspection.arrived_at else _("Referral or report")],
            [_("Handling unit"), case.department.name if case.department else case.organisation.name]]
    doc = OfficialDocument(title=_("Case filing approval form"), issuer=case.organisation.name,
                           date=timezone.localdate(at), document_number=case.reference,
                           blocks=[Table([_("Item"), _("Content")], rows)])
    return _issue(organisation=case.organisation, kind=DocumentKind.PENALTY_FILING, doc=doc,
                  subject=penalty_subject(penalty), summary=_("Penalty case filed"), recipient=_party(penalty),
                  actor=actor, at=at)


def issue_prior_notice(penalty: Penalty, intended: str, *, actor: User | None, at: dt.datetime) -> IssuedDocument:
    """行政处罚事先（听证）告知书 (arts. 44, 45, 63, 64): the facts, the intended penalty and its basis,
    the party's rights and the days to use them, from the rules registry."""
    case = penalty.case
    org = case.organisation
    day = timezone.localdate(at)
    statement = rule_of(org, "penalty.statement")
    hearing = rule_of(org, "penalty.hearing_request")
    doc = OfficialDocument(
        title=_("Prior notice of an administrative penalty"), issuer=org.name, date=day,
        document_number=next_number(org, DocumentKind.PENALTY_PRIOR_NOTICE, day.year), recipients=penalty.party_name,
        blocks=[
            Paragraph(_("Case %(ref)s. Facts found: %(facts)s") % {"ref": case.reference, "facts": penalty.facts}),
            Paragraph(_("This bureau intends to impose: %(intended)s. Basis: %(basis)s") % {
                "intended": intended, "basis": penalty.item.legal_basis}),
            Paragraph(_("According to Articles 44 and 45 of the Administrative Penalty Law you have the right to state "
                        "your case and defend yourself within %(days)s of receiving this notice; where Article 63 "
                        "applies you may ask for a hearing within %(hearing)s. Not doing so within the time is "
                        "taken as waiving these rights.") % {"days": statement.period_text,
                                                             "hearing": hearing.period_text}),
            Paragraph(_("Contact: %(unit)s.") % {"unit": case.department.name if case.department else org.name}),
        ])
    return _issue(organisation=org, kind=DocumentKind.PENALTY_PRIOR_NOTICE, doc=doc, subject=penalty_subject(penalty),
                  summary=_("Told of the intended penalty and of the rights to state a case, defend and ask for a "
                            "hearing"), recipient=_party(penalty), actor=actor, at=at)


def issue_hearing_notice(penalty: Penalty, *, actor: User | None, at: dt.datetime) -> IssuedDocument:
    """听证通知书 (art. 64): the request received, the hearing to be held, the party told of its time and
    place at least 7 days before, its rights at the hearing."""
    case = penalty.case
    org = case.organisation
    day = timezone.localdate(at)
    doc = OfficialDocument(
        title=_("Notice of a hearing"), issuer=org.name, date=day,
        document_number=next_number(org, DocumentKind.PENALTY_HEARING_NOTICE, day.year), recipients=penalty.party_name,
        blocks=[
            Paragraph(_("This bureau received on %(day)s your request for a hearing in case %(ref)s and will hold it. "
                        "According to Article 64 of the Administrative Penalty Law you will be told its time and place "
                        "at least 7 days before; it is held in public unless it concerns state secrets, trade secrets or "
                        "personal privacy.") % {"day": date_text(day), "ref": case.reference}),
            Paragraph(_("You may attend in person or send one or two representatives, and you may ask that the "
                        "hearing officer withdraw if you believe they have a direct interest in the case.")),
        ])
    return _issue(organisation=org, kind=DocumentKind.PENALTY_HEARING_NOTICE, doc=doc,
                  subject=penalty_subject(penalty), summary=_("The hearing asked for will be held"),
                  recipient=_party(penalty), actor=actor, at=at)


def issue_penalty_decision(penalty: Penalty, *, actor: User | None, at: dt.datetime) -> IssuedDocument:
    case = penalty.case
    types = "、".join(str(PenaltyType(t).label) for t in penalty.penalty_types)
    rows = [[_("Party"), penalty.party_name], [_("Penalties"), types]]
    if penalty.fine:
        rows.append([_("Fine (yuan)"), f"{penalty.fine:,.2f}"])
    if penalty.confiscated:
        rows.append([_("Confiscated (yuan)"), f"{penalty.confiscated:,.2f}"])
    payable = bool(penalty.fine or penalty.confiscated)
    blocks: list[Block] = [Paragraph(_("Facts found: %(facts)s") % {"facts": penalty.facts}),
              Paragraph(_("Basis: %(basis)s") % {"basis": penalty.item.legal_basis}),
              Table([_("Item"), _("Decision")], rows),
              Paragraph(penalty.decision_text)]
    if payable:
        blocks.append(Paragraph(_("Pay within %(days)s of receiving this decision (Article 67 of the "
                                  "Administrative Penalty Law); late payment adds 3%% of the fine a day (Article 72).")
                                % {"days": rule_of(case.organisation, "penalty.payment").period_text}))
    blocks.append(Paragraph(remedy_sentence(case.organisation)))
    doc = OfficialDocument(title=_("Administrative penalty decision"), issuer=case.organisation.name,
                           date=timezone.localdate(at), document_number=case.reference, recipients=penalty.party_name,
                           blocks=blocks)
    return _issue(organisation=case.organisation, kind=DocumentKind.PENALTY_DECISION, doc=doc,
                  subject=penalty_subject(penalty), summary=_("Penalty decided: %(types)s") % {"types": types},
                  recipient=_party(penalty), actor=actor, at=at)


def issue_service_receipt(penalty: Penalty, *, actor: User | None, at: dt.datetime) -> IssuedDocument:
    """送达回证 (art. 61): which document reached the party, and when (the day the party received it)."""
    case = penalty.case
    org = case.organisation
    day = timezone.localdate(at)
    rows = [[_("Document served"), _("Administrative penalty decision %(ref)s") % {"ref": case.reference}],
            [_("Party served"), penalty.party_name],
            [_("Received on"), date_text(penalty.served_on) if penalty.served_on else ""],
            [_("Served by"), case.department.name if case.department else org.name]]
    doc = OfficialDocument(title=_("Proof of service"), issuer=org.name, date=day,
                           document_number=next_number(org, DocumentKind.SERVICE_RECEIPT, day.year),
                           blocks=[Table([_("Item"), _("Content")], rows)])
    return _issue(organisation=org, kind=DocumentKind.SERVICE_RECEIPT, doc=doc, subject=penalty_subject(penalty),
                  summary=_("Penalty decision served"), recipient=_party(penalty), actor=actor, at=at)


def issue_payment_reminder(penalty: Penalty, late_fee: Any, *, actor: User | None,
                           at: dt.datetime) -> IssuedDocument:
    """催告书 (行政强制法 arts. 35, 54): what is owed, the additional fine, the days left before the court."""
    case = penalty.case
    org = case.organisation
    day = timezone.localdate(at)
    owed = (penalty.fine or 0) + (penalty.confiscated or 0)
    doc = OfficialDocument(
        title=_("Reminder to perform the decision"), issuer=org.name, date=day,
        document_number=next_number(org, DocumentKind.PAYMENT_REMINDER, day.year), recipients=penalty.party_name,
        blocks=[
            Paragraph(_("Decision %(ref)s was served on you on %(served)s and has not been performed. You owe "
                        "%(owed)s yuan and, as of today, an additional fine of %(fee)s yuan.") % {
                "ref": case.reference, "served": date_text(penalty.served_on) if penalty.served_on else "",
                "owed": f"{owed:,.2f}", "fee": f"{late_fee:,.2f}" if late_fee else "0.00"}),
            Paragraph(_("According to Articles 35 and 54 of the Administrative Compulsion Law, please perform the "
                        "decision within %(days)s of receiving this reminder, paying in the way the decision states; "
                        "you may state your case and defend yourself in that time (Article 36). Otherwise this "
                        "bureau will apply to the people's court for enforcement.")
                      % {"days": rule_of(org, "penalty.reminder_wait").period_text}),
        ])
    return _issue(organisation=org, kind=DocumentKind.PAYMENT_REMINDER, doc=doc, subject=penalty_subject(penalty),
                  summary=_("Reminded to perform the penalty decision"), recipient=_party(penalty), actor=actor, at=at)


def revoke_penalty_documents(penalty: Penalty, reason: str, *, actor: User | None, at: dt.datetime) -> int:
    return documents_revoke(actor=actor, subject=penalty_subject(penalty), reason=reason, at=at,
                            kinds=(DocumentKind.PENALTY_DECISION,))


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
