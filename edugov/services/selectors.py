"""Reads of service records, limited to what the actor may see: the access functions its pages
use (kernel.access's shape: lookup, scope and permission in one call)."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from edugov.accounts.models import User
from edugov.cases.models import Case
from edugov.cases.permissions import can_view_case
from edugov.kernel.access import access

from .models import Application, ItemStatus, ServiceItem
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
