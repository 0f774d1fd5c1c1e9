"""Reads of enforcement records, limited to what the actor may see: the access functions its
pages and API use (kernel.access's shape: lookup, scope and permission in one call)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from edugov.accounts.models import User
from edugov.cases.models import Case
from edugov.cases.permissions import can_view_case
from edugov.kernel.access import access

from .models import Campaign, Finding, FindingKind, Inspection
from .permissions import can_read_enforcement


def access_campaign(actor: User, pk: object, for_: str = "read") -> Campaign:
    return access(Campaign.objects.select_related("organisation", "matter"), pk,
                  lambda c: can_read_enforcement(actor, c.organisation), _("You may not see this campaign."))


def access_inspection(actor: User, pk: object, for_: str = "read") -> Inspection:
    return access(Inspection.objects.select_related("campaign__organisation", "campaign__matter", "outing",
                                                    "institution"), pk,
                  lambda i: can_read_enforcement(actor, i.campaign.organisation), _("You may not see this inspection."))


def access_notice(actor: User, pk: object, for_: str = "read") -> Finding:
    """A rectification notice (责令整改通知书) of an inspection."""
    return access(Finding.objects.select_related("inspection__campaign__organisation").filter(
        kind=FindingKind.RECTIFICATION), pk,
        lambda f: can_read_enforcement(actor, f.inspection.campaign.organisation), _("You may not see this notice."))


def access_finding(actor: User, inspection: Inspection, pk: object, for_: str = "act") -> Finding:
    """A finding of an inspection the actor already reached through `access_inspection`."""
    return access(Finding.objects.filter(inspection=inspection), pk, lambda f: True, _("You may not see this notice."))


def access_penalty_case(actor: User, pk: object, for_: str = "read") -> Case:
    return access(Case.objects.select_related("penalty", "organisation", "department").filter(kind="penalty"), pk,
                  lambda c: can_view_case(actor, c), _("You may not see this case."))
