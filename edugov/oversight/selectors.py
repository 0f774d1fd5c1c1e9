"""Reads of the oversight registers, patrols, risk screening and the decision register, always
within a bureau or a school the caller reached through the actor's grants; the access functions
resolve an id from a form within that scope (kernel.access's shape)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy

from edugov.accounts.models import Organisation, Role, User
from edugov.accounts.permissions import active_grants
from edugov.kernel.access import access
from edugov.registries.models import School

from .models import (
    Decision,
    Inquiry,
    ItemStatus,
    PatrolRecord,
    PublicationItem,
    Rectification,
    RiskItem,
)

REGISTERS: dict[str, tuple[Any, str]] = {"publication": (PublicationItem, "published_on"),
                                         "inquiry": (Inquiry, "received_on")}
GONE = gettext_lazy("That item no longer exists; please reload the page.")


def register_rows(bureau: Organisation, kind: str, year: int) -> QuerySet[Any]:
    model, date_field = REGISTERS[kind]
    return model.objects.filter(organisation__path__startswith=bureau.path, **{f"{date_field}__year": year})


def school_of(actor: User | None) -> School | None:
    """The school whose administrator the actor is (risk ledgers are filled in by the school)."""
    for g in active_grants(actor):
        if g.role == Role.SCHOOL_ADMIN:
            return School.objects.filter(organisation=g.organisation).first()
    return None


def schools_of(bureau: Organisation) -> QuerySet[School]:
    return School.objects.filter(organisation__path__startswith=bureau.path).order_by("name")


def patrol_schools_for(actor: User | None) -> QuerySet[School]:
    """The schools the actor may record a patrol of: those of the bureau it screens for."""
    from edugov.accounts.selectors import bureau_of

    from .permissions import can_screen

    bureau = bureau_of(actor, lambda b: can_screen(actor, b))
    return schools_of(bureau) if bureau is not None else School.objects.none()


def patrols_of(bureau: Organisation) -> QuerySet[PatrolRecord]:
    return PatrolRecord.objects.filter(organisation=bureau).select_related("school", "rectification")


def _within(_record: object) -> bool:
    return True  # the queryset is the scope already


def access_risk_item(school: School, pk: object) -> RiskItem:
    """A risk of the school's ledgers, named by the URL (404 for any other)."""
    return access(RiskItem.objects.filter(ledger__school=school), pk, _within, str(GONE))


def access_rectification(school: School, pk: object) -> Rectification:
    """A rectification set for the school, named by the URL (404 for any other)."""
    return access(Rectification.objects.filter(patrol__school=school), pk, _within, str(GONE))


def open_risks(school: School) -> QuerySet[RiskItem]:
    return RiskItem.objects.filter(ledger__school=school, status=ItemStatus.OPEN).select_related("ledger")


def open_rectifications(school: School) -> QuerySet[Rectification]:
    return Rectification.objects.filter(patrol__school=school, status=ItemStatus.OPEN).select_related("patrol")


def month_risks(bureau: Organisation, month: dt.date) -> QuerySet[RiskItem]:
    return (RiskItem.objects.filter(ledger__month=month, ledger__school__organisation__path__startswith=bureau.path)
            .select_related("ledger__school").order_by("-level", "ledger__school__name"))


def decisions_of(bureau: Organisation) -> QuerySet[Decision]:
    return Decision.objects.filter(organisation=bureau).select_related("major_decision")


def major_decision_cases_for(actor: User | None) -> QuerySet[Any]:
    """The major administrative decisions (cases of kind major_decision) a 三重一大 entry may name: the
    screening bureau's own."""
    from edugov.accounts.selectors import bureau_of
    from edugov.cases.models import Case

    from .permissions import can_screen

    bureau = bureau_of(actor, lambda b: can_screen(actor, b))
    if bureau is None:
        return Case.objects.none()
    return Case.objects.filter(kind="major_decision", organisation=bureau).order_by("-opened_at")


def access_decision(bureau: Organisation, pk: object) -> Decision:
    """A decision of the bureau's register, named by the URL (404 for any other)."""
    return access(decisions_of(bureau), pk, _within, str(GONE))


def rectification_of_case(case: Any) -> Rectification | None:
    """The patrol finding a case of kind `rectification` tracks (for its case page)."""
    return Rectification.objects.select_related("patrol__school").filter(case=case).first()


# ---- leaders' areas and departments' linked schools (issue 31) -----------------------------------

def liaisons_of(bureau: Organisation) -> QuerySet[Any]:
    from django.db.models import Count

    from .models import Liaison

    return (Liaison.objects.filter(organisation=bureau, until__isnull=True)
            .annotate(school_count=Count("schools", distinct=True)).order_by("kind", "name"))


def visits_of(bureau: Organisation, start: dt.date, end: dt.date) -> QuerySet[Any]:
    from .models import LiaisonVisit

    return (LiaisonVisit.objects.filter(liaison__organisation=bureau, visited_on__gte=start, visited_on__lte=end)
            .select_related("liaison", "school", "patrol__rectification"))


def unvisited_schools(bureau: Organisation, start: dt.date, end: dt.date) -> QuerySet[School]:
    """The district's schools no leader or linked department visited between start and end."""
    from .models import LiaisonVisit

    seen = LiaisonVisit.objects.filter(liaison__organisation=bureau, visited_on__gte=start, visited_on__lte=end)
    return (schools_of(bureau).exclude(pk__in=seen.values("school"))
            .prefetch_related("liaisons"))


def liaisons_for(actor: User | None) -> QuerySet[Any]:
    """The areas and links a visit form may name: the current ones of the bureau the actor screens for."""
    from edugov.accounts.selectors import bureau_of

    from .models import Liaison
    from .permissions import can_screen

    bureau = bureau_of(actor, lambda b: can_screen(actor, b))
    return liaisons_of(bureau) if bureau is not None else Liaison.objects.none()


def departments_for(actor: User | None) -> QuerySet[Organisation]:
    """The departments a link may name: the screening bureau's own."""
    from edugov.accounts.models import OrgKind
    from edugov.accounts.selectors import bureau_of

    from .permissions import can_screen

    bureau = bureau_of(actor, lambda b: can_screen(actor, b))
    if bureau is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(parent=bureau, kind=OrgKind.DEPARTMENT).order_by("name")


# ---- misconduct reports, the discipline group, mediation (issue 32) -------------------------------

def misconduct_channel_of(bureau: Organisation) -> Any:
    from .models import MisconductChannel

    return MisconductChannel.objects.filter(organisation=bureau).prefetch_related("receivers").first()


def published_channels() -> QuerySet[Any]:
    """Every bureau's published channel, for the public page (what the bureaus publish anyway)."""
    from .models import MisconductChannel

    return MisconductChannel.objects.select_related("organisation").prefetch_related("receivers").order_by(
        "organisation__path")


def misconduct_reports_for(actor: User | None) -> QuerySet[Any]:
    """The reports the actor may read: the case engine's need-to-know reading (their handling unit's,
    never their own unit's)."""
    from edugov.cases.selectors import visible_cases

    from .models import MisconductReport

    return (MisconductReport.objects.filter(case__in=visible_cases(actor).filter(kind="misconduct_report"))
            .select_related("case", "case__department", "officer_unit").order_by("-case__opened_at"))


def report_receivers_for(actor: User | None) -> QuerySet[Organisation]:
    """The receiving units the actor enters reports for: those of the published channels they belong to."""
    from .models import MisconductChannel

    if actor is None or not actor.is_authenticated:
        return Organisation.objects.none()
    units = MisconductChannel.objects.values_list("receivers", flat=True)
    mine = [g.organisation.path for g in actor.grants.filter(active=True, role__in=(
        Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF, Role.LEGAL_REVIEWER)).select_related("organisation")]
    if not mine:
        return Organisation.objects.none()
    q = Q()
    for path in mine:
        q |= Q(path__startswith=path)
    return Organisation.objects.filter(pk__in=units).filter(q).order_by("path")


def reported_units_for(actor: User | None) -> QuerySet[Organisation]:
    """The units an officer reported may work in: the departments and schools of the actor's bureau."""
    from edugov.accounts.selectors import bureau_of

    bureau = bureau_of(actor, lambda b: True)
    if bureau is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(path__startswith=bureau.path, depth=bureau.depth + 1).order_by("path")


def public_reported_units(bureau: Organisation) -> QuerySet[Organisation]:
    return Organisation.objects.filter(path__startswith=bureau.path, depth=bureau.depth + 1,
                                       kind="department").order_by("path")


def discipline_notices_of(bureau: Organisation, year: int) -> QuerySet[Any]:
    from .models import DisciplineNotice

    return DisciplineNotice.objects.filter(organisation=bureau, on__year=year).select_related("decision")


def executed_decisions_for(actor: User | None) -> QuerySet[Decision]:
    from edugov.accounts.selectors import bureau_of

    from .permissions import can_keep_registers

    bureau = bureau_of(actor, lambda b: can_keep_registers(actor, b))
    if bureau is None:
        return Decision.objects.none()
    return Decision.objects.filter(organisation=bureau, executed_on__isnull=False).order_by("-met_on")


def mediations_of(bureau: Organisation, year: int) -> QuerySet[Any]:
    from .models import Mediation

    return Mediation.objects.filter(organisation=bureau, started_on__year=year).select_related("school")


def _mediations_for(actor: User | None) -> QuerySet[Any]:
    from edugov.accounts.selectors import bureau_of

    from .models import Mediation
    from .permissions import can_screen

    bureau = bureau_of(actor, lambda b: can_screen(actor, b))
    if bureau is None:
        return Mediation.objects.none()
    return Mediation.objects.filter(organisation=bureau).select_related("school").order_by("-started_on")


def pending_mediations_for(actor: User | None) -> QuerySet[Any]:
    return _mediations_for(actor).filter(outcome="pending")


def agreements_to_follow_for(actor: User | None) -> QuerySet[Any]:
    return _mediations_for(actor).filter(outcome="agreed", followed_up_on__isnull=True)


def mediation_schools_for(actor: User | None) -> QuerySet[School]:
    return patrol_schools_for(actor)
