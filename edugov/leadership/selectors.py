"""Reads of the leadership's records, always within a bureau the caller reached through the actor's
grants (kernel.access's shape: the page's bureau comes from `accounts.selectors.access_bureau`)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from edugov.accounts.models import Organisation, User
from edugov.registries.models import School

from .models import CommitteeReport, Lecture, LegalAccount, StudySession

# kind → (model, the date that places a record in a year)
REGISTERS: dict[str, tuple[Any, str]] = {
    "session": (StudySession, "held_on"), "lecture": (Lecture, "held_on"),
    "account": (LegalAccount, "delivered_on"), "report": (CommitteeReport, "heard_on"),
}


def records_of(bureau: Organisation, kind: str, year: int) -> QuerySet[Any]:
    model, date_field = REGISTERS[kind]
    qs = model.objects.filter(organisation=bureau, **{f"{date_field}__year": year})
    return qs.select_related("school") if model is Lecture else qs


def lecture_schools_for(actor: User | None) -> QuerySet[School]:
    """The schools a lecture may be recorded in: those of the bureau whose records the actor keeps."""
    from edugov.accounts.selectors import bureau_of

    from .permissions import can_keep_leadership

    bureau = bureau_of(actor, lambda b: can_keep_leadership(actor, b))
    if bureau is None:
        return School.objects.none()
    return School.objects.filter(organisation__path__startswith=bureau.path).order_by("name")


def quarters_heard(bureau: Organisation, year: int) -> list[int]:
    """The quarters of the year in which the work committee heard at least one report."""
    return sorted(set(CommitteeReport.objects.filter(organisation=bureau, year=year)
                      .values_list("quarter", flat=True)))
