"""Reads of issued documents. A document is reached three ways: by its verification code (anyone
holding the paper: the public page and API, rate-limited), through the record it belongs to (the
domain's page resolves that record with its own access function first, then lists its documents
here), and by bureau for the command line."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation
from edugov.kernel import querycodes, subjects
from edugov.kernel.access import access

from .models import DocumentKind, IssuedDocument

CODE_SIGNS = 12


def issued_by_code(code: str) -> IssuedDocument | None:
    """The document a verification code names, as typed (any case, spaces or dashes), or None."""
    signs = querycodes.compact(code)
    if len(signs) != CODE_SIGNS:
        return None
    return (IssuedDocument.objects.select_related("organisation", "replaced_by")
            .filter(verify_code=querycodes.canonical(signs)).first())


def documents_of(subject: str) -> QuerySet[IssuedDocument]:
    """The documents of one record ("case:297"), in the order they were issued. The caller has
    resolved the record through its own access function."""
    return IssuedDocument.objects.filter(subject=subject).select_related("replaced_by").order_by("issued_on", "id")


def document_of(subject: str, code: str) -> IssuedDocument | None:
    return documents_of(subject).filter(verify_code=querycodes.canonical(code)).first()


def issued_documents(organisation: Organisation) -> QuerySet[IssuedDocument]:
    return (IssuedDocument.objects.filter(organisation__path__startswith=organisation.path)
            .order_by("issued_on", "id"))


def certificate_by_number(organisation: Organisation, number: str) -> IssuedDocument | None:
    """The newest licence certificate with this number issued within the bureau (a corrected
    certificate keeps the number and replaces the earlier one)."""
    return (IssuedDocument.objects.filter(organisation__path__startswith=organisation.path,
                                          kind=DocumentKind.LICENCE_CERTIFICATE, number=number.strip())
            .select_related("organisation", "replaced_by").order_by("-id").first())


def access_document(actor: object, pk: object) -> IssuedDocument:
    """An issued document, for someone who may read the record it belongs to (kernel.subjects)."""
    return access(IssuedDocument.objects.select_related("organisation"), pk,
                  lambda d: subjects.can_read(actor, d.subject), _("You may not see this document."))
