"""Reads: who is active where, the class hours of a school year, the schools without anyone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation, Role, User
from edugov.accounts.permissions import path_filter, reading_paths
from edugov.kernel.access import access, resolve
from edugov.kernel.validators import as_pk
from edugov.registries.models import Person, PersonKind, School

from .models import (
    LARGE_SCHOOL_STUDENTS,
    MIN_HOURS_PER_SCHOOL_YEAR,
    Appointment,
    ClassSession,
    ContestEntry,
    CorrectionCase,
    Course,
    DemoApplication,
    QuizParticipation,
    school_year_of,
)
from .permissions import APPOINTERS, can_read_school_lvps


def active(org: Organisation, day: dt.date) -> QuerySet[Appointment]:
    return Appointment.objects.filter(school__organisation__path__startswith=org.path, starts_on__lte=day,
                                      ends_on__gte=day).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))


def public_schools(org: Organisation) -> QuerySet[School]:
    return School.objects.filter(organisation__path__startswith=org.path, is_private=False)


def schools_without(org: Organisation, day: dt.date) -> QuerySet[School]:
    """Public schools with no legal vice-principal in force on the day (at least one is required)."""
    return public_schools(org).exclude(pk__in=active(org, day).values("school_id")).order_by("name")


def hours_by_appointment(org: Organisation, school_year: int) -> dict[int, Decimal]:
    rows = (ClassSession.objects.filter(appointment__school__organisation__path__startswith=org.path,
                                        school_year=school_year)
            .values("appointment_id").annotate(total=Sum("hours")))
    return {r["appointment_id"]: r["total"] for r in rows}


def behind(org: Organisation, day: dt.date) -> list[tuple[Appointment, Decimal]]:
    """From the third quarter of the school year (March on), who has taught fewer than 4 hours."""
    year = school_year_of(day)
    if day.month in (9, 10, 11, 12, 1, 2):
        return []
    hours = hours_by_appointment(org, year)
    return [(a, hours.get(a.pk, Decimal(0))) for a in active(org, day).select_related("person", "school")
            if hours.get(a.pk, Decimal(0)) < MIN_HOURS_PER_SCHOOL_YEAR]


def large_schools_short(org: Organisation, day: dt.date) -> list[tuple[School, int]]:
    """Public schools of 2,000 students or more with fewer than the 2 to 5 suggested."""
    counts: dict[int, int] = {}
    for school_id in active(org, day).values_list("school_id", flat=True):
        counts[school_id] = counts.get(school_id, 0) + 1
    return [(s, counts.get(s.pk, 0)) for s in public_schools(org).filter(enrolled_students__gte=LARGE_SCHOOL_STUDENTS)
            .order_by("name") if counts.get(s.pk, 0) < 2]


def coverage_map(org: Organisation, day: dt.date) -> list[dict[str, object]]:
    """Public schools placed by their coordinates on a 0-100 square, marked covered or not."""
    covered = set(active(org, day).values_list("school_id", flat=True))
    schools = list(public_schools(org).filter(latitude__isnull=False, longitude__isnull=False))
    if not schools:
        return []
    lats = [float(s.latitude) for s in schools]  # type: ignore[arg-type]
    lons = [float(s.longitude) for s in schools]  # type: ignore[arg-type]
    lat_span, lon_span = (max(lats) - min(lats)) or 1.0, (max(lons) - min(lons)) or 1.0
    return [{"name": s.name, "covered": s.pk in covered,
             "x": round(4 + 92 * (float(s.longitude) - min(lons)) / lon_span, 2),  # type: ignore[arg-type]
             "y": round(4 + 92 * (max(lats) - float(s.latitude)) / lat_span, 2)} for s in schools]  # type: ignore[arg-type]


def _appointing_paths(actor: User | None) -> list[str]:
    return reading_paths(actor, APPOINTERS)


def legal_vps_for(actor: User | None) -> QuerySet[Person]:
    """The active legal vice-principals of the people register the actor may appoint: those of the
    bureaus where the actor's department appoints (never another district's)."""
    return Person.objects.filter(path_filter(_appointing_paths(actor)), kind=PersonKind.LEGAL_VP,
                                 is_active=True).order_by("name")


def schools_to_appoint_for(actor: User | None) -> QuerySet[School]:
    """The public schools where the actor may appoint a legal vice-principal."""
    return School.objects.filter(path_filter(_appointing_paths(actor)), is_private=False).order_by("name")


def access_appointment(actor: User, pk: object, for_: str = "read") -> Appointment:
    return access(Appointment.objects.select_related("person", "school__organisation"), pk,
                  lambda a: can_read_school_lvps(actor, a.school.organisation), _("You may not see this appointment."))


def access_correction_case(actor: User, pk: object, for_: str = "read") -> CorrectionCase:
    """A special school's correction case (专门教育): only the staff assigned to it."""
    from .special import can_see

    return access(CorrectionCase.objects.select_related("school__organisation"), pk, lambda c: can_see(actor, c),
                  _("Only the staff assigned to this case may see or change it."))



# ---- special schools (专门学校) and law education (法治教育) -------------------------------------

def special_schools_for(actor: User | None) -> list[School]:
    """The special schools whose administrators the actor is among (they open correction cases)."""
    from edugov.registries.models import SchoolLevel

    from .special import can_open_case

    return [s for s in School.objects.filter(level=SchoolLevel.SPECIAL_SCHOOL).select_related("organisation")
            if actor is not None and can_open_case(actor, s)]


def colleagues_at(schools: list[School]) -> QuerySet[User]:
    """Staff with a role at these schools: who may be assigned to a correction case."""
    return User.objects.filter(grants__organisation__in=[s.organisation for s in schools], grants__active=True).distinct()


def resolve_colleagues(school: School, pks: list[str]) -> list[User]:
    """The posted staff to assign, each one with a role at the school (any other is left out)."""
    return list(User.objects.filter(pk__in=[k for k in (as_pk(v) for v in pks) if k is not None],
                                    grants__organisation=school.organisation, grants__active=True).distinct())


def schools_in(scope: Organisation) -> QuerySet[School]:
    return School.objects.filter(organisation__path__startswith=scope.path).order_by("name")


def resolve_school(scope: Organisation, pk: object) -> School:
    return resolve(schools_in(scope), pk, _("Choose the school."), field="school")


def resolve_demo_application(bureau: Organisation, pk: object) -> DemoApplication:
    return resolve(DemoApplication.objects.filter(school__organisation__path__startswith=bureau.path), pk,
                   _("That item no longer exists; please reload the page."))


def education_year(scope: Organisation, bureau: Organisation, year: int) -> dict[str, Any]:
    """What the law-education page shows for a year: demonstration-school applications, contest
    entries by kind, courses, quiz returns."""
    contests = (ContestEntry.objects.filter(school__organisation__path__startswith=scope.path, year=year)
                .values("kind").annotate(entries=Count("id"), forwarded=Count("id", filter=Q(forwarded=True)),
                                         finalists=Count("id", filter=Q(finalist=True)),
                                         first=Count("id", filter=Q(award="first")),
                                         second=Count("id", filter=Q(award="second")),
                                         third=Count("id", filter=Q(award="third"))))
    return {
        "applications": DemoApplication.objects.filter(school__organisation__path__startswith=scope.path,
                                                       year=year).select_related("school"),
        "contests": list(contests),
        "courses": Course.objects.filter(organisation__path__startswith=bureau.path),
        "returns": QuizParticipation.objects.filter(year=year, school__organisation__path__startswith=scope.path)
        .values("campaign").annotate(schools=Count("id")).order_by("campaign"),
    }


# ---- what the forms offer (kernel.forms scoped fields) ----------------------------------------------

def lvp_scope(actor: User | None) -> Organisation:
    """A school's own people see their school; bureau staff their district."""
    from django.core.exceptions import PermissionDenied

    from edugov.accounts.permissions import active_grants

    grants = active_grants(actor)
    for g in grants:
        if g.role in (Role.SCHOOL_ADMIN, Role.LEGAL_VP):
            return g.organisation
    for g in grants:
        bureau = g.organisation.bureau or g.organisation
        if can_read_school_lvps(actor, bureau):
            return bureau
    raise PermissionDenied(_("You may not see legal vice-principals."))


def education_bureau(scope: Organisation) -> Organisation:
    return (scope.bureau or scope) if scope.kind == "school" else scope


def schools_for_education(actor: User | None) -> QuerySet[School]:
    return schools_in(lvp_scope(actor))


def demo_applications_for(actor: User | None) -> QuerySet[DemoApplication]:
    bureau = education_bureau(lvp_scope(actor))
    return DemoApplication.objects.filter(school__organisation__path__startswith=bureau.path)


def special_school_queryset(actor: User | None) -> QuerySet[School]:
    return School.objects.filter(pk__in=[s.pk for s in special_schools_for(actor)])


def special_colleagues(actor: User | None) -> QuerySet[User]:
    return colleagues_at(special_schools_for(actor))


def access_demo_application(actor: User, pk: object) -> DemoApplication:
    """A demonstration-school application of the actor's district (decisions post to its URL)."""
    return access(demo_applications_for(actor).select_related("school__organisation"), pk,
                  lambda a: True, _("You may not decide on this application."))


# ---- the school's own rule of law (issue 32) ------------------------------------------------------

def rule_of_law_schools_for(actor: User | None) -> QuerySet[School]:
    """The schools the actor records for: their own school (an administrator), every school of the
    bureau (its departments)."""
    from edugov.accounts.permissions import active_grants, reading_root

    if actor is None or not actor.is_authenticated:
        return School.objects.none()
    q = Q()
    for g in active_grants(actor):
        if g.role == Role.SCHOOL_ADMIN:
            q |= Q(organisation__path__startswith=g.organisation.path)
        elif g.role in APPOINTERS:
            q |= Q(organisation__path__startswith=reading_root(g).path)
    return School.objects.filter(q).order_by("name") if q else School.objects.none()


def _school_records(model: Any, actor: User | None) -> QuerySet[Any]:
    return model.objects.filter(school__in=rule_of_law_schools_for(actor)).select_related("school")


def charters_waiting_for(actor: User | None) -> QuerySet[Any]:
    """The revisions waiting for the actor's approval: those of the bureaus whose departments the actor
    belongs to (governance.can_approve_charter), in one query."""
    from edugov.accounts.permissions import active_grants, reading_root

    from .models import CharterRevision

    if actor is None or not actor.is_authenticated:
        return CharterRevision.objects.none()
    q = Q()
    for g in active_grants(actor):
        if g.role in APPOINTERS:
            q |= Q(school__organisation__path__startswith=reading_root(g).path)
    return (CharterRevision.objects.filter(q, status="submitted").select_related("school") if q
            else CharterRevision.objects.none())


def charters_to_publish_for(actor: User | None) -> QuerySet[Any]:
    from .models import CharterRevision

    return _school_records(CharterRevision, actor).filter(status="approved")


def opinions_unanswered_for(actor: User | None) -> QuerySet[Any]:
    from .models import ParentOpinion

    return _school_records(ParentOpinion, actor).filter(answered_on__isnull=True)


def rule_of_law_rows(actor: User | None, kind: str, year: int) -> QuerySet[Any]:
    from .models import CharterRevision, ConstitutionWeek, Lesson, ParentMeeting, ParentOpinion

    model, field = {"charter": (CharterRevision, "submitted_on__year"), "lesson": (Lesson, "held_on__year"),
                    "week": (ConstitutionWeek, "year"), "meeting": (ParentMeeting, "held_on__year"),
                    "opinion": (ParentOpinion, "received_on__year")}[kind]
    return _school_records(model, actor).filter(**{field: year})


def lesson_shortfall(actor: User | None, term_start: Any) -> QuerySet[School]:
    """The actor's schools that have not yet given the minimum of lessons in the term."""
    from .governance import LESSONS_PER_TERM
    from .models import Lesson

    enough = (Lesson.objects.filter(term_start=term_start).values("school").annotate(n=Count("pk"))
              .filter(n__gte=LESSONS_PER_TERM).values("school"))
    return rule_of_law_schools_for(actor).exclude(pk__in=enough)
