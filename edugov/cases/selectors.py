"""Case reads for the workbench, limited to what the actor may see."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import Role, User
from edugov.accounts.permissions import active_grants, reading_root
from edugov.kernel.access import access
from edugov.kernel.calendar import get_calendar
from edugov.kernel.crypto import blind_index

from .models import Attachment, Case, CaseClock, Reminder
from .permissions import OVERSIGHT, can_view_case
from .workflow import reviewed_kinds


def visible_cases(actor: User | None) -> QuerySet[Case]:
    """Cases handled by a unit under one of the actor's grants, cases of an organisation the actor
    oversees, and cases assigned to the actor."""
    if actor is None or not actor.is_authenticated:
        return Case.objects.none()
    q = Q(assignee=actor)
    for g in active_grants(actor):
        if g.role == Role.LEGAL_VP:
            continue
        q |= Q(department__path__startswith=g.organisation.path)
        if g.role in OVERSIGHT:  # the supervision office follows every case of its bureau
            q |= Q(organisation__path__startswith=reading_root(g).path)
        elif g.role == Role.DEPARTMENT_HEAD:
            q |= Q(organisation__path__startswith=g.organisation.path)
        elif g.role == Role.LEGAL_REVIEWER:  # the kinds whose major decisions they review, bureau-wide
            q |= Q(organisation__path__startswith=reading_root(g).path, kind__in=reviewed_kinds())
    return Case.objects.filter(q)


def department_ids(actor: User) -> list[int]:
    return [g.organisation_id for g in active_grants(actor) if g.organisation.kind in ("department", "school")]


def workbench(actor: User, view: str, today: dt.date | None = None) -> QuerySet[Case]:
    today = today or timezone.localdate()
    base = visible_cases(actor)
    if view == "mine":
        return base.filter(assignee=actor, is_open=True).order_by("next_due_on", "opened_at")
    if view == "department":
        return base.filter(department_id__in=department_ids(actor), is_open=True).order_by("next_due_on", "opened_at")
    if view == "overdue":
        return base.filter(is_open=True, next_due_on__lt=today).order_by("next_due_on")
    if view == "week":
        end = today + dt.timedelta(days=6 - today.weekday())
        return base.filter(is_open=True, next_due_on__gte=today, next_due_on__lte=end).order_by("next_due_on")
    if view == "closed":
        return base.filter(is_open=False).order_by("-closed_at")
    return base.filter(is_open=True).order_by("next_due_on", "-opened_at")


# What a case list shows; lists load these columns only (the contact fields stay sealed).
LIST_FIELDS = ("id", "kind", "reference", "title", "state", "is_open", "next_due_on", "opened_at", "closed_at",
               "organisation_id", "department_id", "assignee_id", "version",
               "department__name", "assignee__full_name", "assignee__username")


def as_list(qs: QuerySet[Case]) -> QuerySet[Case]:
    return qs.select_related("department", "assignee").only(*LIST_FIELDS)


def overdue_for_department(department_id: int, today: dt.date) -> QuerySet[Case]:
    """The overdue list of one unit: an index range scan on (department, next_due_on) WHERE is_open."""
    return as_list(Case.objects.filter(department_id=department_id, is_open=True, next_due_on__lt=today)
                   .order_by("next_due_on"))


def due_soon_date(today: dt.date, working_days: int) -> dt.date:
    return get_calendar().add_working_days(today, working_days).date


def search(qs: QuerySet[Case], query: str) -> QuerySet[Case]:
    query = (query or "").strip()
    if not query:
        return qs
    q = Q(reference__icontains=query) | Q(title__icontains=query)
    digits = query.replace(" ", "")
    if digits.isdigit() and len(digits) == 11:
        q |= Q(contact_phone_index=blind_index(digits, purpose="phone"))
    if not query.isascii() and 2 <= len(query) <= 10:
        q |= Q(contact_name_index=blind_index(query, purpose="name"))
    return qs.filter(q)


def access_case(actor: User, pk: object, for_: str = "read") -> Case:
    """A case of any kind, for those who may see it."""
    return access(Case.objects.select_related("organisation", "department", "assignee"), pk,
                  lambda c: can_view_case(actor, c), _("You may not see this case."))


def provisional_years() -> list[int]:
    """Years of running clocks counted without holiday data (provisional deadlines)."""
    return list(CaseClock.objects.filter(provisional=True, stopped_on__isnull=True)
                .values_list("due_on__year", flat=True).distinct())


def unread_reminders(actor: User) -> QuerySet[Reminder]:
    return Reminder.objects.filter(recipient=actor.pk, read_at__isnull=True).select_related("clock__case")[:10]


def access_attachment(actor: User, case: Case, pk: object) -> Attachment:
    """A file of a case the actor already reached through `access_case`."""
    return access(case.attachments.all(), pk, lambda a: True, "")
