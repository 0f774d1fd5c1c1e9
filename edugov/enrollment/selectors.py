"""Reads of enrollment records, limited to what the actor may see: the access functions its pages
use (kernel.access's shape: lookup, scope and permission in one call)."""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import User
from edugov.accounts.permissions import path_filter, reading_paths
from edugov.cases.models import Case
from edugov.cases.permissions import can_view_case
from edugov.kernel import querycodes
from edugov.kernel.access import access, resolve
from edugov.kernel.calendar import get_calendar
from edugov.kernel.validators import normalize_identity_number

from .engine import Arrays
from .models import Application, Appointment, Intake, IntakeState, Slot, SpecialRequest, Zone, child_index
from .permissions import MANAGERS
from .workflow import DEFERRAL, ENROLLMENT, PLACEMENT


def access_published_intake(pk: object) -> Intake:
    """A published enrollment policy: anyone may read it; a draft is not there at all."""
    intake = access(Intake.objects.select_related("organisation"), pk, lambda i: True, "")
    if intake.state == IntakeState.DRAFT:
        raise Http404(_("This enrollment policy is not published."))
    return intake


def access_own_application(actor: User, pk: object, for_: str = "read") -> Application:
    """A family's own application (the account that submitted it)."""
    return access(Application.objects.select_related("case", "intake", "school", "appeal"), pk,
                  lambda a: a.account_id == actor.pk, _("This application is not yours."))


def access_application_case(actor: User, pk: object, for_: str = "read") -> Application:
    """The application behind an enrollment case, for the staff who may see the case."""
    case = access(Case.objects.filter(kind=ENROLLMENT.kind), pk, lambda c: can_view_case(actor, c),
                  _("You may not see this case."))
    return Application.objects.select_related("case", "intake").get(case=case)


def access_special_case(actor: User, pk: object, for_: str = "read") -> tuple[Case, SpecialRequest]:
    """A deferral or placement case and its request, for the staff who may see the case."""
    case = access(Case.objects.filter(kind__in=(DEFERRAL.kind, PLACEMENT.kind)), pk, lambda c: can_view_case(actor, c),
                  _("You may not see this case."))
    return case, SpecialRequest.objects.get(case=case)



def published_intakes() -> QuerySet[Intake]:
    return Intake.objects.exclude(state=IntakeState.DRAFT).select_related("organisation")


def manages_enrollment(actor: User) -> bool:
    """Holds a role that runs enrollment somewhere (whether or not an intake exists yet)."""
    return bool(reading_paths(actor, MANAGERS))


def managed_intakes(actor: User) -> list[Intake]:
    """The intakes of the bureaus where the actor's department runs enrollment."""
    return list(Intake.objects.select_related("organisation")
                .filter(path_filter(reading_paths(actor, MANAGERS), "organisation__path")))


def own_applications(actor: User, intake: Intake) -> tuple[Application | None, QuerySet[Application]]:
    """A family's draft for an intake, and the applications it submitted."""
    mine = Application.objects.filter(intake=intake, account=actor.pk)
    return mine.filter(submitted_at__isnull=True).first(), mine.filter(submitted_at__isnull=False)


def appointment_of(application: Application) -> Appointment | None:
    return Appointment.objects.filter(application=application).select_related("slot").first()


def open_slots(intake: Intake, after: dt.date) -> list[tuple[Slot, int]]:
    """Slots for the offline check after a day, with the places left in each."""
    return [(slot, slot.capacity - slot.n) for slot in
            Slot.objects.filter(intake=intake, day__gt=after).annotate(n=Count("appointments"))]


def resolve_slot(application: Application, pk: object) -> Slot:
    return resolve(Slot.objects.filter(intake=application.intake), pk,
                   _("That time is no longer offered; please choose another."), field="slot")


def published_results(intake: Intake, school: int | None) -> QuerySet[Application]:
    qs = (Application.objects.filter(intake=intake, school__isnull=False).select_related("school")
          .order_by("school__code", "lottery_number"))
    return qs.filter(school_id=school) if school else qs


def intake_job(intake: Intake) -> dict[str, object]:
    """The progress of a long step run by a worker, as it is now in the database."""
    return dict(Intake.objects.get(pk=intake.pk).job or {})


def intake_counts(intake: Intake) -> tuple[dict[str, int], int]:
    """Applications by case state, and drafts not submitted."""
    states = dict(Application.objects.filter(intake=intake, case__isnull=False).values_list("case__state")
                  .annotate(n=Count("id")))
    return states, Application.objects.filter(intake=intake, submitted_at__isnull=True).count()


def application_of_case(case: Case) -> Application:
    return Application.objects.select_related("intake", "zone", "school").get(case=case)


def special_request_of(case: Case) -> SpecialRequest:
    return SpecialRequest.objects.get(case=case)


# -- reads that lived among the actions (issue 24) -------------------------------------------

def zone_of(intake: Intake, community: str) -> Zone | None:
    """The zone a residential community belongs to (looked up once per intake object)."""
    index = getattr(intake, "_zone_index", None)
    if index is None:
        index = {c: zone for zone in intake.zones.all() for c in zone.communities}
        intake._zone_index = index  # type: ignore[attr-defined]
    return index.get((community or "").strip())


def _nearby(zones: list[Zone], zone_schools: dict[int, list[int]], public: set[int], reach: int = 2) -> dict[int, list[int]]:
    """For each zone, the public schools of the zones around it (二次分配), nearest first."""
    out: dict[int, list[int]] = {}
    for z in zones:
        near = sorted((abs(o.order - z.order), s) for o in zones if o.pk != z.pk and abs(o.order - z.order) <= reach
                      for s in zone_schools[o.pk] if s in public)
        seen: list[int] = []
        for _d, s in near:
            if s not in seen and s not in zone_schools[z.pk]:
                seen.append(s)
        out[z.pk] = seen
    return out


def build_instance(intake: Intake) -> tuple[list[int], list[int], Arrays]:
    """The verified applications and the schools with places as arrays for the engine.

    Preferences: the private choices in order, then the zone's schools, then the public schools of
    nearby zones. Priorities: at a private school the lottery number; at a public school the
    zone's own applicants first, by category then lottery number; others after them, the same way."""
    plans = {p.school_id: p for p in intake.plans.select_related("school")}
    public = {sid for sid, p in plans.items() if not p.school.is_private}
    zones = list(intake.zones.prefetch_related("schools"))
    zone_schools = {z.pk: [s.pk for s in z.schools.all() if s.pk in plans] for z in zones}
    near = _nearby(zones, zone_schools, public)
    rows = list(Application.objects.filter(intake=intake, case__state="verified")
                .values_list("pk", "zone_id", "category", "lottery_number", "private_choices"))
    school_ids = sorted(plans)
    col = {sid: i for i, sid in enumerate(school_ids)}
    prefs = [[*[c for c in choices if c in plans], *zone_schools.get(zone, []), *near.get(zone, [])]
             for _pk, zone, _cat, _lot, choices in rows]
    width = max((len(p) for p in prefs), default=0)
    n = len(rows)
    choice = np.full((n, width), -1, dtype=np.int32)
    rank = np.full((n, width), -1, dtype=np.int64)
    big = n + 1
    for i, (row, p) in enumerate(zip(rows, prefs, strict=True)):
        _pk, zone, category, lottery, _choices = row
        lottery = lottery or big
        own = set(zone_schools.get(zone, []))
        seen: set[int] = set()
        j = 0
        for sid in p:
            if sid in seen:
                continue
            seen.add(sid)
            choice[i, j] = col[sid]
            if sid in public:
                rank[i, j] = (0 if sid in own else 1) * 10 * big + category * big + lottery
            else:
                rank[i, j] = lottery
            j += 1
    capacity = np.array([plans[sid].places for sid in school_ids], dtype=np.int64)
    return [r[0] for r in rows], school_ids, Arrays(choice, rank, capacity)


def appeal_window_ends(intake: Intake) -> dt.date | None:
    """The last day to accept or appeal: the published number of days after the results, by the
    legal calendar (a window ending on a holiday runs to the next working day)."""
    published = intake.results_published_at
    if published is None:
        return None
    return get_calendar().add_natural_days(timezone.localdate(published), intake.appeal_days).date


def appeal_window_open(app: Application, now: dt.datetime) -> bool:
    last = appeal_window_ends(app.intake)
    return last is not None and timezone.localdate(now) <= last


def application_track(code: str, child_id_number: str) -> Application | None:
    """The application a query code and the child's identity number open together (no account,
    no SMS needed); None when they do not match, without saying which part was wrong."""
    app = Application.objects.filter(query_code=querycodes.canonical(code), submitted_at__isnull=False).select_related(
        "case", "intake", "school").first()
    number = normalize_identity_number(child_id_number)
    if app is None or not number or app.child_index != child_index(number):
        return None
    return app
