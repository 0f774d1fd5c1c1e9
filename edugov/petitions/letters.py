"""The written answers of the hotline and of petitions, each issued by its act through
documents.actions.document_issue (dated by the act, numbered, signed, verifiable by code):

- accepted as valid: 受理告知书 (the petitioner told in writing that the matter is accepted, and
  by when it will be handled: rule petition.handling)
- not valid, or transferred: 不予受理告知书 (with the reason, or the agency it went to)
- closed: 处理意见书 (the result; for a petition, the review (复查) the petitioner may ask for, from
  the body the district's legal settings name, within rule petition.review_request; for a hotline
  matter, reopening within rule complaint.reopen)

The 复查意见书 is the reviewing body's document: edugov issues it only where that body runs on
edugov as a tenant; here the petition records the answer received (petition_answer_received)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import User
from edugov.accounts.selectors import rule_of
from edugov.documents.actions import document_issue, next_number
from edugov.documents.models import DocumentKind, IssuedDocument
from edugov.documents.official import Block, OfficialDocument, Paragraph, date_text
from edugov.documents.selectors import documents_of
from edugov.kernel.masking import mask_name

from .models import Petition
from .selectors import review_body


def subject(petition: Petition) -> str:
    return f"case:{petition.case_id}"


def _issue(petition: Petition, kind: str, title: str, blocks: list[Block], summary: str, *,
           actor: User | None, at: dt.datetime, replaces: IssuedDocument | None = None) -> IssuedDocument:
    case = petition.case
    org = case.organisation
    day = timezone.localdate(at)
    name = case.contact_name or ""
    doc = OfficialDocument(title=title, issuer=org.name, date=day, document_number=next_number(org, kind, day.year),
                           recipients=name or _("Petitioner"), blocks=blocks)
    return document_issue(actor=actor, organisation=org, kind=kind, doc=doc, subject=subject(petition),
                          summary=summary, recipient=mask_name(name) if name else _("Anonymous"), at=at,
                          replaces=replaces)


def _received(petition: Petition) -> str:
    case = petition.case
    return _("On %(day)s you raised with this bureau, by %(channel)s, a matter concerning %(about)s (number "
             "%(ref)s).") % {"day": date_text(timezone.localdate(case.opened_at)),
                             "channel": petition.get_channel_display(), "about": petition.category.name,
                             "ref": case.reference}


def acceptance(petition: Petition, *, actor: User | None, at: dt.datetime) -> IssuedDocument:
    handling = rule_of(petition.case.organisation, "petition.handling")
    return _issue(petition, DocumentKind.COMPLAINT_ACCEPTANCE, _("Notice of acceptance of a petition"), [
        Paragraph(_received(petition)),
        Paragraph(_("Having examined it, this bureau accepts the matter and will handle it and answer you in writing "
                    "within %(period)s of acceptance. You may follow it with your query code.")
                  % {"period": handling.period_text})],
        _("Accepted a matter concerning %(about)s") % {"about": petition.category.name}, actor=actor, at=at)


def non_acceptance(petition: Petition, reason: str, agency: str, *, actor: User | None,
                   at: dt.datetime) -> IssuedDocument:
    if agency:
        why = _("The matter falls to %(agency)s under the law; this bureau has transferred it there and you will be "
                "answered by that body.") % {"agency": agency}
    else:
        why = _("Having examined it, this bureau does not accept the matter, for the following reason: %(reason)s")\
            % {"reason": reason}
    return _issue(petition, DocumentKind.COMPLAINT_NON_ACCEPTANCE, _("Notice of non-acceptance of a petition"), [
        Paragraph(_received(petition)), Paragraph(why)],
        _("Did not accept a matter concerning %(about)s") % {"about": petition.category.name}, actor=actor, at=at)


def opinion(petition: Petition, *, actor: User | None, at: dt.datetime) -> IssuedDocument:
    case = petition.case
    org = case.organisation
    blocks: list[Block] = [Paragraph(_received(petition)),
              Paragraph(_("Having looked into it, this bureau's answer is: %(result)s") % {"result": petition.result})]
    body = review_body(case, False)
    if case.kind == "petition" and body:
        blocks.append(Paragraph(_("If you do not accept this answer, you may ask %(body)s for a review within %(period)s "
                                  "of receiving it.") % {"body": body,
                                                          "period": rule_of(org, "petition.review_request").period_text}))
    elif case.kind != "petition":
        blocks.append(Paragraph(_("If you are not satisfied, you may reopen the matter with your query code within "
                                  "%(period)s of this answer.") % {"period": rule_of(org, "complaint.reopen").period_text}))
    # a matter reopened and answered again: the new answer replaces the earlier one
    earlier = documents_of(subject(petition)).filter(kind=DocumentKind.COMPLAINT_OPINION, replaced_by__isnull=True).last()
    return _issue(petition, DocumentKind.COMPLAINT_OPINION, _("Opinion on a petition"), blocks,
                  _("Answered a matter concerning %(about)s") % {"about": petition.category.name}, actor=actor, at=at,
                  replaces=earlier)
