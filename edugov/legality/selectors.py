"""Reads of legality review, always within a bureau the caller reached through the actor's grants
(`accounts.selectors.access_bureau`), or through the case engine's access function for one case;
ids posted in a form are resolved within that scope (kernel.access's shape)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy

from edugov.accounts.models import Organisation, User
from edugov.cases.models import Case
from edugov.cases.selectors import access_case
from edugov.kernel.access import access, resolve

from .models import (
    Adviser,
    Catalogue,
    Cleanup,
    Contract,
    DocStatus,
    MajorDecision,
    NormativeDocument,
    Opinion,
    PublicComment,
)
from .workflow import KINDS

GONE = gettext_lazy("That record no longer exists; please reload the page.")
PUBLISHED = (DocStatus.IN_FORCE, DocStatus.AMENDED, DocStatus.REPEALED)


def _within(_record: object) -> bool:
    return True  # the queryset is the scope already


def access_legality_case(actor: User, pk: object) -> Case:
    """A case of one of this app's kinds the actor may see (the engine's access function), 404 for any other."""
    case = access_case(actor, pk)
    if case.kind not in KINDS:
        from django.http import Http404

        raise Http404
    return case


def documents_of(bureau: Organisation) -> QuerySet[NormativeDocument]:
    return NormativeDocument.objects.filter(organisation=bureau).select_related("case", "replaces")


def decisions_of(bureau: Organisation, year: int | None = None) -> QuerySet[MajorDecision]:
    qs = MajorDecision.objects.filter(organisation=bureau).select_related("case")
    return qs.filter(year=year) if year is not None else qs


def contracts_of(bureau: Organisation) -> QuerySet[Contract]:
    return Contract.objects.filter(organisation=bureau).select_related("case")


def opinions_of(bureau: Organisation) -> QuerySet[Opinion]:
    return Opinion.objects.filter(organisation=bureau).select_related("case", "adviser", "subject")


def advisers_of(bureau: Organisation) -> QuerySet[Adviser]:
    return Adviser.objects.filter(organisation=bureau)


def advisers_serving(bureau: Organisation, day: dt.date) -> QuerySet[Adviser]:
    return advisers_of(bureau).filter(term_start__lte=day, term_end__gte=day)


def resolve_adviser(bureau: Organisation, pk: object, day: dt.date) -> Adviser:
    return resolve(advisers_serving(bureau, day), pk, str(gettext_lazy("Choose one of the bureau's legal advisers "
                                                                       "serving today.")), field="adviser")


def subject_cases(bureau: Organisation) -> QuerySet[Case]:
    """What an opinion may be asked about: the bureau's open normative documents, decisions, contracts and penalty cases."""
    return Case.objects.filter(organisation__path__startswith=bureau.path, is_open=True,
                               kind__in=("normative_doc", "major_decision", "contract", "penalty")
                               ).order_by("-opened_at")


def resolve_subject(bureau: Organisation, pk: object) -> Case:
    return resolve(subject_cases(bureau), pk, str(GONE), field="subject")


def comments_of(case: Case) -> QuerySet[PublicComment]:
    return PublicComment.objects.filter(case=case)


def resolve_comment(case: Case, pk: object) -> PublicComment:
    return resolve(comments_of(case), pk, str(GONE), field="comment")


def in_force(bureau: Organisation) -> QuerySet[NormativeDocument]:
    return documents_of(bureau).filter(status=DocStatus.IN_FORCE)


def catalogue_of(bureau: Organisation, year: int) -> Catalogue | None:
    return Catalogue.objects.filter(organisation=bureau, year=year).first()


def cleanups_of(bureau: Organisation) -> QuerySet[Cleanup]:
    return Cleanup.objects.filter(organisation=bureau)


# ---- what the public sees: published documents, drafts open for comment, published catalogues ----

def public_documents(status: str | None = None) -> QuerySet[NormativeDocument]:
    qs = NormativeDocument.objects.filter(status__in=PUBLISHED).select_related("organisation", "replaces")
    return qs.filter(status=status) if status else qs


def public_drafts() -> QuerySet[Any]:
    """Drafts (documents and decisions) whose comment period has opened: the public reads them and
    the answers to the comments made."""
    return NormativeDocument.objects.filter(comment_opened_on__isnull=False, status=DocStatus.DRAFT).select_related(
        "organisation", "case").order_by("-comment_opened_on", "-id")


def access_public_document(pk: object) -> NormativeDocument:
    """A document the public may read: published, or a draft once it was opened for comment (404 otherwise)."""
    return access(NormativeDocument.objects.filter(Q(status__in=PUBLISHED) | Q(comment_opened_on__isnull=False))
                  .exclude(status=DocStatus.WITHDRAWN).select_related("organisation", "case"),
                  pk, _within, str(GONE))


def public_catalogues() -> QuerySet[Catalogue]:
    return Catalogue.objects.select_related("organisation").order_by("-year")


def catalogue_decisions(catalogue: Catalogue) -> QuerySet[MajorDecision]:
    return decisions_of(catalogue.organisation, catalogue.year).exclude(case__state="withdrawn")


def access_public_catalogue(pk: object) -> Catalogue:
    return access(public_catalogues(), pk, _within, str(GONE))


def withdrawn_citations() -> dict[str, str]:
    """The numbers of repealed and amended documents, for marking them wherever edugov cites them
    (kernel.citations)."""
    return dict(NormativeDocument.objects.filter(status__in=(DocStatus.REPEALED, DocStatus.AMENDED)).exclude(
        number="").values_list("number", "status"))
