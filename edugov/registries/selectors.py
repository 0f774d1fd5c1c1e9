"""Registry reads, already limited to what the actor may see."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation, OrgKind, User
from edugov.accounts.permissions import path_filter, reading_paths
from edugov.kernel.access import access

from .models import ImportRun, Institution, Person, School, initials_q
from .permissions import EDITORS, PEOPLE_READERS, can_view_institution, can_view_people, can_view_school


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
        q |= initials_q(query)
    return qs.filter(q)


def access_school(actor: User, pk: object, for_: str = "read") -> School:
    return access(School.objects.select_related("organisation"), pk, lambda s: can_view_school(actor, s.organisation),
                  _("You may not see this school."))


def access_institution(actor: User, pk: object, for_: str = "read") -> Institution:
    return access(Institution.objects.select_related("organisation"), pk,
                  lambda i: can_view_institution(actor, i.organisation), _("You may not see this institution."))


def access_person(actor: User, pk: object, for_: str = "read") -> Person:
    return access(Person.objects.select_related("organisation"), pk, lambda p: can_view_people(actor, p.organisation),
                  _("You may not see this person."))


def access_import_run(actor: User, pk: object) -> ImportRun:
    """An import's result, for the one who ran it."""
    return access(ImportRun.objects.all(), pk, lambda r: r.created_by_id == actor.pk, _("This import is not yours."))
