"""The enforcement.* figures of FIGURES-2024.md, counted from items, campaigns, outings, visits,
findings and decisions."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from edugov.accounts.models import Organisation
from edugov.accounts.permissions import has_role
from edugov.metrics.registry import Metric, Period, describe_group, register

from .models import (
    AssessmentResult,
    Campaign,
    CampaignKind,
    EnforcementItem,
    Finding,
    FindingKind,
    Inspection,
    OfficerAssessment,
    Outing,
    Penalty,
    TrainingHours,
    TrainingPlan,
    TrainingSession,
)
from .permissions import READERS


def claimed(period: Period, org: Organisation) -> QuerySet[EnforcementItem]:
    """Claimed by the period's end and not released before it."""
    return EnforcementItem.objects.filter(organisation__path__startswith=org.path, claimed_at__lt=period.until).filter(
        Q(released_at__isnull=True) | Q(released_at__gte=period.until))


def campaigns(kind: str):  # type: ignore[no-untyped-def]
    def records(period: Period, org: Organisation) -> QuerySet[Campaign]:
        return Campaign.objects.filter(organisation__path__startswith=org.path, kind=kind,
                                       starts_on__gte=period.start, starts_on__lte=period.end)
    return records


def inspections(period: Period, org: Organisation) -> QuerySet[Inspection]:
    """Visits made (arrival recorded) in the period: one per target per visit (家次)."""
    return Inspection.objects.filter(campaign__organisation__path__startswith=org.path,
                                     arrived_at__gte=period.since, arrived_at__lt=period.until)


def attendances(period: Period, org: Organisation) -> int:
    """Officers × outings that made at least one visit in the period (人次)."""
    outings = Outing.objects.filter(campaign__organisation__path__startswith=org.path, on__gte=period.start,
                                    on__lte=period.end, inspections__arrived_at__isnull=False).distinct()
    return Outing.team.through.objects.filter(outing__in=outings).count()


def findings(kind: str):  # type: ignore[no-untyped-def]
    def records(period: Period, org: Organisation) -> QuerySet[Finding]:
        return Finding.objects.filter(inspection__campaign__organisation__path__startswith=org.path, kind=kind,
                                      at__gte=period.since, at__lt=period.until)
    return records


def penalties(period: Period, org: Organisation) -> QuerySet[Penalty]:
    return Penalty.objects.filter(case__organisation__path__startswith=org.path, decided_at__gte=period.since,
                                  decided_at__lt=period.until)


def visible(qs: QuerySet[Any], viewer: Any) -> QuerySet[Any]:
    """Enforcement records open to those who read enforcement (officers, reviewers, leaders …)."""
    return qs if has_role(viewer, READERS) else qs.none()


def _count(records):  # type: ignore[no-untyped-def]
    return lambda p, o: records(p, o).count()


for key, title, word, definition, records in (
    ("enforcement.items.claimed", _("Enforcement items claimed"), "项",
     _("Items of the city catalogue claimed by the period's end and not released."), claimed),
    ("enforcement.special_campaigns", _("Special campaigns"), "次",
     _("双减 and other special inspection campaigns started in the period."), campaigns(CampaignKind.SPECIAL)),
    ("enforcement.institution_inspections", _("Institution inspections"), "家次",
     _("Visits to training institutions and other targets made in the period, one per target per visit."),
     inspections),
    ("enforcement.joint_operations", _("Joint operations"), "次",
     _("Joint enforcement operations with other agencies started in the period."), campaigns(CampaignKind.JOINT)),
    ("enforcement.findings.no_permit_no_license", _("Unlicensed operators found"), "家次",
     _("Visits that found neither business licence nor education permit (无证无照)."), findings(FindingKind.NO_PERMIT)),
    ("enforcement.findings.beyond_permit", _("Operating without or beyond the permit"), "家次",
     _("Visits that found a licensed business without or beyond its education permit."),
     findings(FindingKind.BEYOND_PERMIT)),
    ("enforcement.interviews", _("Interviews"), "人次", _("Operators or heads interviewed (约谈)."),
     findings(FindingKind.INTERVIEW)),
    ("enforcement.rectification_notices", _("Rectification notices"), "份", _("Rectification notices issued."),
     findings(FindingKind.RECTIFICATION)),
    ("enforcement.penalties", _("Penalty decisions"), "件", _("Administrative penalty decisions made in the period."),
     penalties),
):
    register(Metric(key=key, title=title, measure_word=word, definition=definition, count=_count(records),
                    records=records, visible_to=visible))

describe_group("enforcement", _("Administrative enforcement"))

register(Metric(key="enforcement.personnel_deployed", title=_("Officers deployed"), measure_word="人次",
                definition=_("Officers on each outing that made at least one visit in the period, summed (人次)."),
                count=attendances))


# ---- enforcement.training.* (issue 31): the officers' training and yearly assessment ---------------

def _plans(period: Period, org: Organisation) -> QuerySet[TrainingPlan]:
    return TrainingPlan.objects.filter(organisation__path__startswith=org.path, year__gte=period.start.year,
                                       year__lte=period.end.year)


def training_sessions(period: Period, org: Organisation) -> QuerySet[TrainingSession]:
    return TrainingSession.objects.filter(plan__in=_plans(period, org), held_on__gte=period.start,
                                          held_on__lte=period.end)


def training_hours(period: Period, org: Organisation) -> QuerySet[TrainingHours]:
    return TrainingHours.objects.filter(plan__in=_plans(period, org), studied_on__gte=period.start,
                                        studied_on__lte=period.end)


def _standing(period: Period, org: Organisation) -> tuple[int, int]:
    """(officers who reached the plan's hours, officers on the plans) over the period's plan years."""
    from .selectors import hours_by_officer, training_roster

    met = total = 0
    for plan in _plans(period, org):
        hours = hours_by_officer(plan)
        for officer_id in training_roster(plan.organisation, plan.year).values_list("pk", flat=True):
            total += 1
            met += hours.get(officer_id, 0) >= plan.required_hours
    return met, total


def _roster(period: Period, org: Organisation) -> QuerySet[Any]:
    from edugov.registries.models import Person

    from .selectors import training_roster

    pks = [pk for plan in _plans(period, org) for pk in training_roster(plan.organisation, plan.year)
           .values_list("pk", flat=True)]
    return Person.objects.filter(pk__in=pks)


def assessments(period: Period, org: Organisation) -> QuerySet[OfficerAssessment]:
    return OfficerAssessment.objects.filter(plan__in=_plans(period, org))


describe_group("enforcement.training", _("Enforcement officers' training and assessment"))
register(Metric(key="enforcement.training.sessions", title=_("Training sessions"), measure_word="期",
                definition=_("Sessions of concentrated study, case exchange, document review and case discussion held "
                             "in the period under the yearly training plan."),
                count=lambda p, o: training_sessions(p, o).count(), records=training_sessions))
register(Metric(key="enforcement.training.hours", title=_("Officer training hours"), measure_word="学时",
                definition=_("Hours of training the officers received in the period, sessions and self-study, each "
                             "officer's hours added up (whole hours)."),
                count=lambda p, o: int(training_hours(p, o).aggregate(total=Sum("hours"))["total"] or 0),
                records=training_hours))
register(Metric(key="enforcement.training.officers", title=_("Officers on the training plan"), measure_word="人",
                definition=_("Officers on the period's yearly plans: active, with a certificate valid at the year's end."),
                count=lambda p, o: _standing(p, o)[1], records=_roster))
register(Metric(key="enforcement.training.officers_met_hours", title=_("Officers who reached the hours required"),
                measure_word="人",
                definition=_("Officers on the period's plans whose hours reached the plan's yearly requirement."),
                count=lambda p, o: _standing(p, o)[0], records=_roster))
register(Metric(key="enforcement.training.met_hours_rate", title=_("Officers who reached the hours required (rate)"),
                decimals=1, empty=_("no plan"),
                definition=_("Of the officers on the period's plans, the share whose hours reached the requirement."),
                rate=_standing, records=_roster))
register(Metric(key="enforcement.training.assessed", title=_("Officers assessed"), measure_word="人",
                definition=_("Yearly assessments of officers under the period's plans."),
                count=lambda p, o: assessments(p, o).count(), records=assessments))
register(Metric(key="enforcement.training.passed_rate", title=_("Officers found competent"), decimals=1,
                empty=_("no assessment"),
                definition=_("Of the officers assessed under the period's plans, the share not found incompetent."),
                rate=lambda p, o: (assessments(p, o).exclude(result=AssessmentResult.FAIL).count(),
                                   assessments(p, o).count()),
                records=assessments))
