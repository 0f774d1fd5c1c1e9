"""Reads of enforcement records, limited to what the actor may see: the access functions its
pages and API use (kernel.access's shape: lookup, scope and permission in one call)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation, User
from edugov.cases.models import Case
from edugov.cases.permissions import can_view_case
from edugov.kernel.access import access, resolve
from edugov.registries.models import Institution, Person

from .models import (
    Campaign,
    EnforcementItem,
    Finding,
    FindingKind,
    Inspection,
    InspectionMatter,
    Penalty,
    Publication,
)
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



# ---- lists, each within a bureau the page reached through the actor's grants ---------------------

def my_inspections(officer: Person | None, today: dt.date) -> QuerySet[Inspection] | list[Inspection]:
    """An officer's inspections of the last 30 days and ahead, not archived."""
    if officer is None:
        return []
    return (Inspection.objects.filter(outing__team=officer, archived_at__isnull=True,
                                      outing__on__gte=today - dt.timedelta(days=30))
            .select_related("outing", "campaign").order_by("outing__on", "id")[:50])


def reinspections_due(bureau: Organisation, today: dt.date) -> QuerySet[Finding]:
    """Rectification notices served whose re-inspection falls within a week."""
    return (Finding.objects.filter(kind=FindingKind.RECTIFICATION, reinspected_at__isnull=True, served_at__isnull=False,
                                   reinspect_on__lte=today + dt.timedelta(days=7),
                                   inspection__campaign__organisation=bureau)
            .select_related("inspection").order_by("reinspect_on")[:50])


def campaigns_of(bureau: Organisation) -> QuerySet[Campaign]:
    return Campaign.objects.filter(organisation=bureau).select_related("matter")


def open_penalties(bureau: Organisation) -> QuerySet[Case]:
    return Case.objects.filter(kind="penalty", organisation=bureau, is_open=True)


def matters_of(bureau: Organisation) -> QuerySet[InspectionMatter]:
    return InspectionMatter.objects.filter(organisation=bureau)


def resolve_matter(bureau: Organisation, pk: object) -> InspectionMatter:
    return resolve(matters_of(bureau), pk, _("Choose a matter of this bureau's inspection list."), field="matter")


def items_of(bureau: Organisation) -> QuerySet[EnforcementItem]:
    return EnforcementItem.objects.filter(organisation=bureau).select_related("department")


def claimed_items(bureau: Organisation) -> QuerySet[EnforcementItem]:
    return EnforcementItem.objects.filter(organisation=bureau, claimed_at__isnull=False, released_at__isnull=True)


def resolve_item(bureau: Organisation, pk: object) -> EnforcementItem:
    return resolve(items_of(bureau), pk, _("That item no longer exists; please reload the page."), field="item")


def resolve_claimed_item(bureau: Organisation, pk: object) -> EnforcementItem:
    return resolve(claimed_items(bureau), pk, _("Choose an enforcement item this bureau has claimed."), field="item")


def targets_of(bureau: Organisation) -> QuerySet[Institution]:
    """The institutions inspected in the bureau, with their risk profile and last visit."""
    return (Institution.objects.filter(organisation=bureau).select_related("enforcement_profile")
            .annotate(last_visit=Max("inspections__arrived_at")).order_by("name"))


def officers_of(bureau: Organisation) -> QuerySet[Person]:
    return Person.objects.filter(kind="enforcement_officer", organisation__path__startswith=bureau.path).order_by(
        "certificate_number")


def published_results() -> QuerySet[Publication]:
    """Published inspection results and penalty decisions (一公开), not taken down."""
    return Publication.objects.filter(taken_down_at__isnull=True, published_at__lte=timezone.now()).select_related(
        "draw", "organisation")


def access_published_result(pk: object) -> Publication:
    return access(Publication.objects.select_related("draw").filter(taken_down_at__isnull=True), pk,
                  lambda p: True, "")


def inspection_of_case(case: Case) -> Inspection | None:
    """The inspection a case of kind `inspection` records (for its case page)."""
    return Inspection.objects.filter(case=case).select_related("campaign", "outing").first()


# 行政处罚法 art. 72(1): 3% of the fine a day after the payment period, never more than the fine.
LATE_FEE_RATE = Decimal("0.03")


def late_fee(penalty: Penalty, on: dt.date) -> Decimal:
    """The additional fine (加处罚款) owed on `on`: 3% of the fine for each day after the payment period,
    at most the fine itself (行政处罚法 art. 72; 行政强制法 art. 45)."""
    due = next((c.due_on for c in penalty.case.clocks.all() if c.name == "payment"), None)
    if not penalty.fine or due is None or on <= due or penalty.case.state in ("executed", "archived"):
        return Decimal(0)
    return min(penalty.fine, (penalty.fine * LATE_FEE_RATE * (on - due).days).quantize(Decimal("0.01")))
