"""Reads of the cases against the bureau, within the bureau `accounts.selectors.access_bureau` gives
or through the engine's access function for one case (kernel.access's shape)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy

from edugov.accounts.models import Organisation, User
from edugov.cases.models import Case
from edugov.cases.selectors import access_case
from edugov.kernel.errors import ValidationFailed

from .models import Challenge
from .workflow import KINDS

GONE = gettext_lazy("That record no longer exists; please reload the page.")
# the acts a party may challenge: decisions the bureau made in edugov
CONTESTABLE = ("penalty", "service", "ogi_request", "complaint", "petition", "enrollment", "inspection")


def access_challenge_case(actor: User, pk: object) -> Case:
    case = access_case(actor, pk)
    if case.kind not in KINDS:
        raise Http404
    return case


def challenges_of(bureau: Organisation) -> QuerySet[Challenge]:
    return Challenge.objects.filter(organisation=bureau).select_related("case", "contested")


def contestable_cases(bureau: Organisation) -> QuerySet[Case]:
    return Case.objects.filter(organisation__path__startswith=bureau.path, kind__in=CONTESTABLE).order_by("-opened_at")


def resolve_contested(bureau: Organisation, reference: str) -> Case:
    """The contested act named by its 文号 (the application quotes it), within the bureau; otherwise a
    form error on the field."""
    found = contestable_cases(bureau).filter(reference=(reference or "").strip()).first()
    if found is None:
        raise ValidationFailed(str(gettext_lazy("No decision of the bureau has that reference.")), field="contested")
    return found


def disclosure_challenges(bureau: Organisation, year: int) -> QuerySet[Challenge]:
    """Cases about disclosure received in the year, for the OGI yearly report's fourth table."""
    return challenges_of(bureau).filter(about_disclosure=True, received_on__year=year)
