"""The licensing documents (行政许可法 arts. 32, 38, 39): each made by the act that the law says is
done in writing, dated by the act, through documents.actions.document_issue. Only licence items
make them; the public services of the catalogue answer on the applicant's page.

- acceptance: 受理通知书 (art. 32: a written, stamped and dated notice of acceptance)
- non-acceptance: 不予受理决定书 (art. 32, with the remedies)
- one-time notice: 补正材料通知书 (art. 32(4): everything to supplement, at once)
- grant: 准予行政许可决定书, and the licence certificate (art. 39), whose status the verification
  page and the agency API answer (revoked with the licence; expired after its term)
- refusal: 不予行政许可决定书 (art. 38: reasons and remedies)"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import User
from edugov.documents.actions import document_issue, documents_revoke, next_number
from edugov.documents.models import DocumentKind, IssuedDocument
from edugov.documents.official import Block, OfficialDocument, Paragraph, Table, date_text
from edugov.documents.remedies import remedy_sentence

from .models import ApplicantKind, Application


def subject(app: Application) -> str:
    return f"case:{app.case_id}"


def _party(app: Application) -> str:
    return app.institution_name if app.applicant_kind == ApplicantKind.INSTITUTION else app.case.contact_name


def _issue(app: Application, kind: str, title: str, blocks: list[Block], *, actor: User | None,
           at: dt.datetime, summary: str, number: str = "", valid_until: dt.date | None = None) -> IssuedDocument:
    day = timezone.localdate(at)
    bureau = app.case.organisation
    doc = OfficialDocument(title=title, issuer=bureau.name, date=day,
                           document_number=number or next_number(bureau, kind, day.year),
                           recipients=_party(app), blocks=blocks)
    return document_issue(actor=actor, organisation=bureau, kind=kind, doc=doc, subject=subject(app),
                          summary=summary, recipient=app.applicant_label, valid_until=valid_until, at=at)


def _application_line(app: Application) -> str:
    return _("On %(day)s you applied to this bureau for “%(item)s” (application %(ref)s).") % {
        "day": date_text(timezone.localdate(app.submitted_at)), "item": app.item.name, "ref": app.case.reference}


def acceptance(app: Application, *, actor: User | None, at: dt.datetime) -> IssuedDocument | None:
    if not app.item.is_licence:
        return None
    clock = app.case.clocks.filter(name="statutory").order_by("-id").first()
    blocks: list[Block] = [Paragraph(_application_line(app)),
              Paragraph(_("Having examined it, this bureau finds the application materials complete and in the legal "
                          "form, and accepts the application according to Article 32 of the Administrative Licensing "
                          "Law.")),
              Paragraph(_("This bureau will make its decision by %(due)s; a hearing, an expert review or an extension "
                          "that the law allows will be notified to you in writing.")
                        % {"due": date_text(clock.due_on) if clock else _("the end of the statutory time limit")})]
    return _issue(app, DocumentKind.LICENSING_ACCEPTANCE, _("Notice of acceptance of an administrative licence "
                                                            "application"), blocks, actor=actor, at=at,
                  summary=_("Accepted the application for “%(item)s”") % {"item": app.item.name})


def non_acceptance(app: Application, reason: str, *, actor: User | None, at: dt.datetime) -> IssuedDocument | None:
    if not app.item.is_licence:
        return None
    blocks: list[Block] = [Paragraph(_application_line(app)),
              Paragraph(_("Having examined it, this bureau decides not to accept the application, for the following "
                          "reason: %(reason)s") % {"reason": reason.strip()}),
              Paragraph(remedy_sentence(app.case.organisation))]
    return _issue(app, DocumentKind.LICENSING_NON_ACCEPTANCE, _("Decision not to accept an administrative licence "
                                                                "application"), blocks, actor=actor, at=at,
                  summary=_("Did not accept the application for “%(item)s”") % {"item": app.item.name})


def correction(app: Application, materials: list[str], *, actor: User | None,
               at: dt.datetime) -> IssuedDocument | None:
    if not app.item.is_licence:
        return None
    rows = [[str(i), m] for i, m in enumerate(materials, 1)]
    blocks: list[Block] = [Paragraph(_application_line(app)),
              Paragraph(_("The application materials are incomplete or not in the legal form. According to Article 32 "
                          "of the Administrative Licensing Law, this bureau tells you at once everything to supplement "
                          "or correct:")),
              Table([_("No."), _("Material and what is needed")], rows),
              Paragraph(_("Please supply all of them together. The time limit for accepting the application is paused "
                          "until you do, and runs again from the day they are received."))]
    return _issue(app, DocumentKind.LICENSING_CORRECTION, _("One-time notice to supplement application materials"),
                  blocks, actor=actor, at=at,
                  summary=_("Asked for %(n)d materials to be supplied for “%(item)s”") % {"n": len(materials),
                                                                                       "item": app.item.name})


def decision(app: Application, *, actor: User | None, at: dt.datetime) -> list[IssuedDocument]:
    """The decision (granting or refusing) and, for a grant, the licence certificate."""
    if not app.item.is_licence:
        return []
    basis = app.item.legal_basis
    if app.decision == "approved":
        validity = (_("valid from %(start)s to %(end)s") % {"start": date_text(app.valid_from),
                                                             "end": date_text(app.valid_until)}
                    if app.valid_from and app.valid_until else _("valid without an end date"))
        decided = _issue(app, DocumentKind.LICENSING_GRANT, _("Decision granting an administrative licence"), [
            Paragraph(_application_line(app)),
            Paragraph(_("Having examined it, this bureau finds that the application meets the statutory conditions and "
                        "standards. According to Article 38 of the Administrative Licensing Law and %(basis)s, this "
                        "bureau decides to grant the licence.") % {"basis": basis}),
            Paragraph(_("Certificate %(number)s is issued, %(validity)s.") % {"number": app.certificate_number,
                                                                               "validity": validity}),
            Paragraph(app.decision_text)], actor=actor, at=at,
            summary=_("Granted “%(item)s”, certificate %(number)s") % {"item": app.item.name,
                                                                        "number": app.certificate_number})
        holder = _party(app)
        rows = [[_("Holder"), holder], [_("Licensed matter"), app.item.name],
                [_("Certificate number"), app.certificate_number],
                [_("Valid"), validity], [_("Issuing authority"), app.case.organisation.name],
                [_("Basis"), basis]]
        if app.credit_code:
            rows.insert(1, [_("Unified social credit code"), app.credit_code])
        certificate = _issue(app, DocumentKind.LICENCE_CERTIFICATE, _("Administrative licence certificate"), [
            Table([_("Item"), _("Content")], rows),
            Paragraph(_("Scan the code below to check whether this licence is in force, suspended, revoked or "
                        "expired."))], actor=actor, at=at, number=app.certificate_number,
            valid_until=app.valid_until,
            summary=_("Licence “%(item)s” held by %(holder)s") % {"item": app.item.name,
                                                                  "holder": app.applicant_label})
        return [decided, certificate]
    refused = _issue(app, DocumentKind.LICENSING_REFUSAL, _("Decision refusing an administrative licence"), [
        Paragraph(_application_line(app)),
        Paragraph(_("Having examined it, this bureau finds that the application does not meet the statutory conditions "
                    "and standards: %(reason)s. According to Article 38 of the Administrative Licensing Law, this "
                    "bureau decides not to grant the licence.") % {"reason": app.decision_text.split("\n")[0]}),
        Paragraph(remedy_sentence(app.case.organisation))], actor=actor, at=at,
        summary=_("Refused “%(item)s”") % {"item": app.item.name})
    return [refused]


def revocation(app: Application, reason: str, *, actor: User | None, at: dt.datetime) -> int:
    """The licence was revoked: its decision and certificate say so from that day."""
    return documents_revoke(actor=actor, subject=subject(app), reason=reason, at=at,
                            kinds=(DocumentKind.LICENSING_GRANT, DocumentKind.LICENCE_CERTIFICATE))
