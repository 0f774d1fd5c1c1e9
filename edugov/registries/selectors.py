"""Registry reads, already limited to what the actor may see."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from edugov.accounts.models import Organisation, OrgKind, User
from edugov.accounts.permissions import path_filter, reading_paths

from .models import Institution, Person, School
from .permissions import EDITORS, PEOPLE_READERS


def schools_for(actor: User | None) -> QuerySet[School]:
    return School.objects.filter(path_filter(reading_paths(actor), "organisation__path")).select_related("organisation")


def institutions_for(actor: User | None) -> QuerySet[Institution]:
    paths = reading_paths(actor, EDITORS | PEOPLE_READERS | {"window_clerk"})
    return Institution.objects.filter(path_filter(paths, "organisation__path"))


def people_for(actor: User | None) -> QuerySet[Person]:
    return Person.objects.filter(path_filter(reading_paths(actor, PEOPLE_READERS), "organisation__path"))


def bureaus_for(actor: User | None, roles: set[str] | None = None) -> QuerySet[Organisation]:
    paths = reading_paths(actor, roles)
    return Organisation.objects.filter(path_filter(paths, "path"), kind=OrgKind.BUREAU)


def search(qs: QuerySet, query: str, fields: tuple[str, ...]) -> QuerySet:
    query = (query or "").strip()
    if not query:
        return qs
    q = Q()
    for f in fields:
        q |= Q(**{f"{f}__icontains": query})
    if query.isascii() and query.isalpha():
        q |= Q(initials__startswith=query.upper())
    return qs.filter(q)
