"""Reads of enrollment records, limited to what the actor may see: the access functions its pages
use (kernel.access's shape: lookup, scope and permission in one call)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from edugov.accounts.models import User
from edugov.accounts.permissions import path_filter, reading_paths
from edugov.cases.models import Case
from edugov.cases.permissions import can_view_case
from edugov.kernel.access import access, resolve

from .models import Application, Appointment, Intake, IntakeState, Slot, SpecialRequest
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
