"""Reads of the public portal: what is published, and a citizen's own matters."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from edugov.accounts.models import User
from edugov.cases.models import Case
from edugov.enrollment.models import Intake
from edugov.registries.models import Institution


def intakes_with_results(states: Iterable[str]) -> QuerySet[Intake]:
    return Intake.objects.filter(state__in=states)


def my_cases(actor: User) -> QuerySet[Case]:
    """A citizen's own matters: what they applied for, and a counter application made for their number."""
    mine = Q(applicant=actor)
    if actor.phone_index:
        mine |= Q(applicant__isnull=True, kind="service", contact_phone_index=actor.phone_index)
    return Case.objects.filter(mine).select_related("application", "enrollment").order_by("-opened_at")[:100]


def registered_institution(credit_code: str, path: str) -> Institution | None:
    """An institution of a bureau's register (the API's key names the bureau), by credit code."""
    return Institution.objects.filter(credit_code=credit_code, organisation__path__startswith=path).first()
