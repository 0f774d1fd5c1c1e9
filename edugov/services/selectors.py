"""Reads of service records, limited to what the actor may see: the access functions its pages
use (kernel.access's shape: lookup, scope and permission in one call)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation, OrgKind, User
from edugov.cases.models import Case
from edugov.cases.permissions import can_view_case
from edugov.draws.models import Draw
from edugov.kernel.access import access, resolve

from .models import Application, ItemStatus, ItemType, ServiceItem, Verification
from .permissions import can_edit_catalogue, is_applicant
from .workflow import SERVICE


def access_published_item(pk: object) -> ServiceItem:
    """A published service guide: anyone may read it; an unpublished one is not there at all."""
    item = access(ServiceItem.objects.select_related("current", "organisation"), pk, lambda i: True, "")
    if item.status != ItemStatus.PUBLISHED or item.current is None:
        raise Http404(_("This item is not published."))
    return item


def access_catalogue_item(actor: User, pk: object, for_: str = "edit") -> ServiceItem:
    """A catalogue item, for the staff who keep their bureau's catalogue."""
    return access(ServiceItem.objects.select_related("department", "current", "organisation"), pk,
                  lambda i: can_edit_catalogue(actor, i.organisation), _("You may not change this bureau's catalogue."))


def access_own_application(actor: User, pk: object, for_: str = "read") -> Application:
    return access(Application.objects.select_related("case", "item", "version"), pk,
                  lambda a: is_applicant(actor, a), _("This application is not yours."))


def access_application_case(actor: User, pk: object, for_: str = "read") -> Application:
    case = access(Case.objects.filter(kind=SERVICE.kind), pk, lambda c: can_view_case(actor, c),
                  _("You may not see this case."))
    return Application.objects.select_related("case", "item", "version").get(case=case)



def published_guides(q: str = "", kind: str = "") -> QuerySet[ServiceItem]:
    items = ServiceItem.objects.filter(status=ItemStatus.PUBLISHED).select_related("current", "organisation")
    if q:
        items = items.filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(conditions__icontains=q))
    if kind in ItemType.values:
        items = items.filter(item_type=kind)
    return items.order_by("code")


def published_decisions(q: str = "") -> QuerySet[Application]:
    """Published licensing decisions (行政许可结果公开)."""
    qs = (Application.objects.filter(published_at__isnull=False).select_related("case", "item", "case__organisation")
          .order_by("-published_at"))
    if q:
        qs = qs.filter(Q(institution_name__icontains=q) | Q(certificate_number__icontains=q) | Q(item__name__icontains=q))
    return qs


def catalogue_of(bureau: Organisation, q: str = "") -> QuerySet[ServiceItem]:
    items = ServiceItem.objects.filter(organisation=bureau).select_related("department", "current").prefetch_related(
        "materials")
    return items.filter(Q(name__icontains=q) | Q(code__icontains=q)) if q else items


def departments_of(bureau: Organisation) -> list[tuple[str, str]]:
    return [(o.code, o.name) for o in Organisation.objects.filter(path__startswith=bureau.path,
                                                                 kind=OrgKind.DEPARTMENT).order_by("name")]


def counter_items(bureau: Organisation) -> QuerySet[ServiceItem]:
    return ServiceItem.objects.filter(organisation=bureau, status=ItemStatus.PUBLISHED).order_by("code")


def access_counter_item(bureau: Organisation, pk: object) -> ServiceItem:
    """A published item of the bureau's counter, named by the URL (404 for any other)."""
    return access(counter_items(bureau), pk, lambda _item: True, "")


def application_of_case(case: Case) -> Application:
    return Application.objects.select_related("item", "version").get(case=case)


def verifications_of(bureau: Organisation) -> tuple[QuerySet[Verification], QuerySet[Verification]]:
    """A bureau's commitment checks (告知承诺 verification): pending, and done newest first."""
    mine = Verification.objects.filter(commitment__application__item__organisation=bureau)
    return (mine.filter(verified_at__isnull=True).select_related(
                "commitment__application__case", "commitment__application__item", "draw"),
            mine.filter(verified_at__isnull=False).select_related(
                "commitment__application__case", "draw", "verified_by").order_by("-verified_at"))


def sample_draw_id(bureau: Organisation, year: int, month: int) -> str:
    """The month's verification sample's draw id (one per month)."""
    return f"commitment-{bureau.code}-{year}-{month:02d}"


def waiting_samples(bureau: Organisation) -> QuerySet[Draw]:
    """The bureau's verification samples whose commitment is published and whose draw is to come."""
    return Draw.objects.filter(draw_id__startswith=f"commitment-{bureau.code}-", state="committed").order_by(
        "committed_at")


def sample_committed(bureau: Organisation, year: int, month: int) -> bool:
    """Whether the month's verification sample has its commitment published (drawn or not)."""
    return Draw.objects.filter(draw_id=sample_draw_id(bureau, year, month)).exists()


def resolve_verification(bureau: Organisation, pk: object) -> Verification:
    return resolve(Verification.objects.filter(commitment__application__item__organisation=bureau), pk,
                   _("That item no longer exists; please reload the page."))


# ---- the business environment (issue 31) ----------------------------------------------------------

def _business_bureau(actor: User | None) -> Organisation | None:
    from edugov.accounts.selectors import bureau_of

    from .permissions import can_keep_business_env

    return bureau_of(actor, lambda b: can_keep_business_env(actor, b))


def outreach_schools_for(actor: User | None) -> QuerySet[Any]:
    """The private schools and kindergartens a policy may be sent to: the actor's bureau's."""
    from edugov.registries.models import School

    bureau = _business_bureau(actor)
    if bureau is None:
        return School.objects.none()
    return School.objects.filter(organisation__path__startswith=bureau.path, is_private=True).order_by("level", "name")


def outreach_institutions_for(actor: User | None) -> QuerySet[Any]:
    from edugov.registries.models import Institution

    bureau = _business_bureau(actor)
    if bureau is None:
        return Institution.objects.none()
    return Institution.objects.filter(organisation=bureau).exclude(status="closed").order_by("name")


def outreach_of(bureau: Organisation, year: int) -> QuerySet[Any]:
    from django.db.models import Count

    from .models import PolicyOutreach

    return (PolicyOutreach.objects.filter(organisation=bureau, sent_on__year=year)
            .annotate(school_count=Count("schools", distinct=True),
                      institution_count=Count("institutions", distinct=True)).order_by("-sent_on", "-id"))


def trainings_of(bureau: Organisation, year: int) -> QuerySet[Any]:
    from .models import FreeTraining

    return FreeTraining.objects.filter(organisation=bureau, held_on__year=year)
