"""Reads of enforcement records, limited to what the actor may see: the access functions its
pages and API use (kernel.access's shape: lookup, scope and permission in one call)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Max, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation, User
from edugov.cases.models import Case
from edugov.cases.permissions import can_view_case
from edugov.kernel.access import access, resolve
from edugov.registries.models import Institution, Person

from .models import (
    AssessmentResult,
    Campaign,
    EnforcementItem,
    Finding,
    FindingKind,
    Inspection,
    InspectionMatter,
    OfficerAssessment,
    Penalty,
    Publication,
    TrainingHours,
    TrainingPlan,
    TrainingSession,
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


# ---- officers' training and assessment (issue 31) ------------------------------------------------

def plan_of(bureau: Organisation, year: int) -> TrainingPlan | None:
    return TrainingPlan.objects.filter(organisation=bureau, year=year).first()


def training_roster(bureau: Organisation, year: int, today: dt.date | None = None) -> QuerySet[Person]:
    """The officers a year's plan is for: active, with a certificate still valid at the year's end
    (or today, while the year runs)."""
    day = min(dt.date(year, 12, 31), today or timezone.localdate())
    return officers_of(bureau).filter(is_active=True, certificate_valid_until__gte=day).exclude(certificate_number="")


def expected_hours(plan: TrainingPlan, on: dt.date) -> Decimal:
    """The hours an officer should have by `on`: a quarter of the year's hours for each quarter
    completed (none in the first quarter: sessions are uneven from month to month), all of them once
    the year is over."""
    if on.year > plan.year:
        return Decimal(plan.required_hours)
    if on.year < plan.year:
        return Decimal(0)
    return (Decimal(plan.required_hours) * ((on.month - 1) // 3) / 4).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Standing:
    officer: Person
    hours: Decimal
    expected: Decimal
    assessment: OfficerAssessment | None

    @property
    def behind(self) -> bool:
        return self.hours < self.expected

    @property
    def failed(self) -> bool:
        return self.assessment is not None and not self.assessment.passed


def hours_by_officer(plan: TrainingPlan) -> dict[int, Decimal]:
    return {row["officer"]: row["total"] or Decimal(0)
            for row in TrainingHours.objects.filter(plan=plan).values("officer").annotate(total=Sum("hours"))}


def standings(plan: TrainingPlan, on: dt.date) -> list[Standing]:
    """Each officer of the plan's roster: hours so far, hours expected by `on`, the assessment."""
    hours = hours_by_officer(plan)
    assessed = {a.officer_id: a for a in OfficerAssessment.objects.filter(plan=plan)}
    expected = expected_hours(plan, on)
    return [Standing(p, hours.get(p.pk, Decimal(0)), expected, assessed.get(p.pk))
            for p in training_roster(plan.organisation, plan.year, on)]


def _hours_text(hours: object) -> str:
    """40, 40.5: hours as a clerk writes them (a Decimal from PostgreSQL prints 40.0)."""
    return f"{Decimal(str(hours)).normalize():f}"


def renewal_objection(person: Person, on: dt.date) -> str | None:
    """Why an officer's certificate should wait (registries.hooks, asked at renewal): the last
    completed year's plan found them short of its hours, or its assessment failed them."""
    if person.kind != "enforcement_officer":
        return None
    bureau = person.organisation.bureau
    plan = TrainingPlan.objects.filter(organisation=bureau, year__lt=on.year).order_by("-year").first()
    if plan is None:
        return None
    reasons = []
    hours = TrainingHours.objects.filter(plan=plan, officer=person).aggregate(total=Sum("hours"))["total"] or 0
    if hours < plan.required_hours:
        reasons.append(gettext("%(year)d training: %(hours)s of the %(required)d hours required")
                       % {"year": plan.year, "hours": _hours_text(hours), "required": plan.required_hours})
    if OfficerAssessment.objects.filter(plan=plan, officer=person, result=AssessmentResult.FAIL).exists():
        reasons.append(gettext("%(year)d yearly assessment: not competent") % {"year": plan.year})
    return "；".join(reasons) or None


def training_officers_for(actor: User | None) -> QuerySet[Person]:
    """The officers a training form may name: those of the bureau the actor plans enforcement for."""
    from edugov.accounts.selectors import bureau_of

    from .permissions import can_plan

    bureau = bureau_of(actor, lambda b: can_plan(actor, b))
    return officers_of(bureau).filter(is_active=True).exclude(certificate_number="") if bureau is not None \
        else Person.objects.none()


def training_sessions_for(actor: User | None) -> QuerySet[TrainingSession]:
    """The sessions attendance may be added to: this year's and last year's of the actor's bureau."""
    from edugov.accounts.selectors import bureau_of

    from .permissions import can_plan

    bureau = bureau_of(actor, lambda b: can_plan(actor, b))
    if bureau is None:
        return TrainingSession.objects.none()
    year = timezone.localdate().year
    return TrainingSession.objects.filter(plan__organisation=bureau, plan__year__gte=year - 1).order_by("-held_on")


def training_attention(actor: User | None, today: dt.date) -> list[Any]:
    """For the department head and the leaders (kernel.attention, the workbench): officers behind on
    this year's hours, and those the last completed year's assessment found not competent."""
    from edugov.accounts.models import Role
    from edugov.accounts.permissions import has_role
    from edugov.accounts.selectors import bureau_of
    from edugov.kernel.attention import Attention

    from .permissions import can_assess_officers

    if actor is None or not has_role(actor, {Role.DEPARTMENT_HEAD, Role.BUREAU_LEADER}):
        return []
    bureau = bureau_of(actor, lambda b: can_assess_officers(actor, b))
    if bureau is None:
        return []
    from django.urls import reverse

    url = reverse("enforcement:training")
    items = []
    plan = plan_of(bureau, today.year)
    if plan is not None:
        behind = [s.officer.name for s in standings(plan, today) if s.behind]
        if behind:
            items.append(Attention(gettext("Officers behind on this year's training hours: %(names)s")
                                   % {"names": "、".join(behind)}, f"{url}?year={today.year}"))
    last = TrainingPlan.objects.filter(organisation=bureau, year__lt=today.year).order_by("-year").first()
    failed = list(OfficerAssessment.objects.filter(plan=last, result=AssessmentResult.FAIL)
                  .values_list("officer__name", flat=True)) if last is not None else []
    if last is not None and failed:  # the last completed year's plan: what renewal looks at too
        items.append(Attention(gettext("Not competent in the %(year)d assessment (their certificates are not renewed): "
                                       "%(names)s") % {"year": last.year, "names": "、".join(failed)},
                               f"{url}?year={last.year}"))
    return items
