"""normative_docs.*, major_decisions.*, legal_adviser.* and contracts.* (INTERFACES.md, metric key
prefixes), counted from the records of legality review."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from edugov.accounts.models import Organisation
from edugov.metrics.registry import Metric, Period, describe_group, register

from .models import Contract, DocStatus, MajorDecision, NormativeDocument, Opinion, PublicComment


def _in(qs: QuerySet[Any], field: str, period: Period, org: Organisation) -> QuerySet[Any]:
    return qs.filter(organisation__path__startswith=org.path, **{f"{field}__gte": period.start,
                                                                 f"{field}__lte": period.end})


def issued(period: Period, org: Organisation) -> QuerySet[Any]:
    return _in(NormativeDocument.objects.all(), "issued_on", period, org)


def reviewed_docs(period: Period, org: Organisation) -> QuerySet[Any]:
    return _in(NormativeDocument.objects.filter(review_passed=True), "reviewed_on", period, org)


def filed_in_time(period: Period, org: Organisation) -> QuerySet[Any]:
    """Issued in the period and filed by the filing clock's last day."""
    return issued(period, org).filter(case__clocks__name="filing", case__clocks__stopped_on__isnull=False,
                                      case__clocks__stopped_on__lte=F("case__clocks__due_on"))


def in_force(period: Period, org: Organisation) -> QuerySet[Any]:
    """In force on the period's last day: issued by then and neither amended nor repealed by then."""
    return NormativeDocument.objects.filter(organisation__path__startswith=org.path, issued_on__lte=period.end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=period.end)).exclude(status=DocStatus.WITHDRAWN)


def repealed(period: Period, org: Organisation) -> QuerySet[Any]:
    return _in(NormativeDocument.objects.filter(status=DocStatus.REPEALED), "ended_on", period, org)


def doc_comments(period: Period, org: Organisation) -> QuerySet[Any]:
    return PublicComment.objects.filter(case__kind="normative_doc", case__organisation__path__startswith=org.path,
                                        received_on__gte=period.start, received_on__lte=period.end)


def catalogued(period: Period, org: Organisation) -> QuerySet[Any]:
    return MajorDecision.objects.filter(organisation__path__startswith=org.path, year__gte=period.start.year,
                                        year__lte=period.end.year).exclude(case__state="withdrawn")


def decided(period: Period, org: Organisation) -> QuerySet[Any]:
    return _in(MajorDecision.objects.all(), "decided_on", period, org)


def heard(period: Period, org: Organisation) -> QuerySet[Any]:
    return decided(period, org).exclude(participation="")


def opinions(period: Period, org: Organisation) -> QuerySet[Any]:
    return _in(Opinion.objects.all(), "answered_on", period, org)


def concluded(period: Period, org: Organisation) -> QuerySet[Any]:
    return opinions(period, org).filter(followed__isnull=False)


def contracts_reviewed(period: Period, org: Organisation) -> QuerySet[Any]:
    return _in(Contract.objects.filter(review_passed__isnull=False), "reviewed_on", period, org)


def contracts_signed(period: Period, org: Organisation) -> QuerySet[Any]:
    return _in(Contract.objects.all(), "signed_on", period, org)


describe_group("normative_docs", _("Normative documents"))
describe_group("major_decisions", _("Major administrative decisions"))
describe_group("legal_adviser", _("Legal adviser"))
describe_group("contracts", _("Contracts"))

for key, title, word, definition, records in (
    ("normative_docs.issued", _("Normative documents issued"), "件",
     _("Normative documents numbered and published in the period, each after a passed legality review and a "
       "collective discussion."), issued),
    ("normative_docs.reviewed", _("Normative documents passing legality review"), "件",
     _("Drafts of normative documents whose legality review passed in the period."), reviewed_docs),
    ("normative_docs.in_force", _("Normative documents in force"), "件",
     _("Documents in force on the period's last day (issued, neither amended nor repealed by then)."), in_force),
    ("normative_docs.repealed", _("Normative documents repealed"), "件",
     _("Documents repealed in the period, by a clean-up."), repealed),
    ("normative_docs.public_comments", _("Public comments on draft normative documents"), "条",
     _("Opinions received in the period on drafts open for comment, each answered in public."), doc_comments),
    ("major_decisions.catalogued", _("Major decisions in the catalogue"), "项",
     _("Matters in the catalogues of major administrative decisions of the period's years (withdrawn ones left "
       "out)."), catalogued),
    ("major_decisions.decided", _("Major decisions made"), "项",
     _("Major administrative decisions decided at the leadership meeting in the period, each after public "
       "participation, expert argument, risk assessment and legality review."), decided),
    ("major_decisions.public_participation", _("Major decisions made after public participation"), "项",
     _("Of the decisions made in the period, those whose draft was open for public comment."), heard),
    ("legal_adviser.opinions", _("Written opinions of the legal adviser"), "份",
     _("Written opinions the legal advisers gave in the period (decisions, normative documents, contracts, "
       "enforcement decisions, disputes)."), opinions),
    ("contracts.reviewed", _("Contracts reviewed for legality"), "份",
     _("Contracts whose legality review was completed in the period."), contracts_reviewed),
    ("contracts.signed", _("Contracts signed after review"), "份",
     _("Contracts signed in the period, each after a passed legality review."), contracts_signed),
):
    register(Metric(key=key, title=title, measure_word=word, definition=definition,
                    count=(lambda r: lambda p, o: r(p, o).count())(records), records=records))

register(Metric(key="normative_docs.filed_in_time_rate", title=_("Normative documents filed in time"), decimals=0,
                empty=_("no document issued"),
                definition=_("Of the documents issued in the period, the share filed with the district government "
                             "within the filing period the municipality's rules set."),
                rate=lambda p, o: (filed_in_time(p, o).count(), issued(p, o).count()), records=filed_in_time))
register(Metric(key="legal_adviser.followed_rate", title=_("Share of the adviser's opinions followed"), decimals=1,
                empty=_("no opinion concluded"),
                definition=_("Of the opinions given in the period whose outcome is recorded, the share the bureau "
                             "followed."),
                rate=lambda p, o: (concluded(p, o).filter(followed=True).count(), concluded(p, o).count()),
                records=concluded))
