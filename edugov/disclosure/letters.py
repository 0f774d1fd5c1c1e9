"""The written reply to a request for government information (政府信息公开申请答复书, 政府信息公开条例
art. 36), issued by the reply itself through documents.actions.document_issue: dated by the reply,
numbered in its own series, signed and verifiable, with its remedy sentence."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from edugov.accounts.models import User
from edugov.documents.actions import document_issue, next_number
from edugov.documents.models import DocumentKind, IssuedDocument
from edugov.documents.official import Block, OfficialDocument, Paragraph, date_text

from .models import DisclosureRequest


def subject(request: DisclosureRequest) -> str:
    return f"case:{request.case_id}"


def issue_reply(request: DisclosureRequest, *, actor: User | None, at: dt.datetime) -> IssuedDocument:
    case = request.case
    org = request.organisation
    assert request.replied_on is not None
    blocks: list[Block] = [Paragraph(_("On %(day)s this bureau received your request (number %(ref)s) for: %(what)s") % {
                  "day": date_text(request.received_on), "ref": case.reference, "what": request.description}),
              Paragraph(_("According to Article 36 of the Regulations on the Disclosure of Government Information, "
                          "this bureau replies: %(form)s. %(text)s") % {"form": request.get_reply_form_display(),
                                                                        "text": request.reply_text})]
    if request.refusal_reason:
        blocks.append(Paragraph(_("Ground: %(reason)s") % {"reason": request.get_refusal_reason_display()}))
    blocks.append(Paragraph(request.remedy))
    doc = OfficialDocument(title=_("Reply to a request for government information"), issuer=org.name,
                           date=request.replied_on,
                           document_number=next_number(org, DocumentKind.OGI_REPLY, request.replied_on.year),
                           recipients=case.contact_name or case.masked_contact_name, blocks=blocks)
    return document_issue(actor=actor, organisation=org, kind=DocumentKind.OGI_REPLY, doc=doc, subject=subject(request),
                          summary=_("Replied: %(form)s") % {"form": request.get_reply_form_display()},
                          recipient=case.masked_contact_name, at=at)
