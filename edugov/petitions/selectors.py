"""Reads of the hotline's records: its access functions (kernel.access's shape) and what other apps
ask for through registry hooks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation, User
from edugov.cases.models import Case
from edugov.cases.permissions import can_view_case
from edugov.kernel.access import access, resolve
from edugov.kernel.validators import as_pk

from .models import Petition, RecontactCheck, Validity


def complaints_about_institutions(pks: Iterable[int], days: int = 365) -> dict[int, int]:
    """Valid complaints about each institution received in the last `days` days."""
    since = timezone.now() - dt.timedelta(days=days)
    rows = (Petition.objects.filter(institution_id__in=list(pks), validity=Validity.VALID, case__opened_at__gte=since)
            .values("institution_id").annotate(n=Count("id")))
    return {r["institution_id"]: r["n"] for r in rows}


def access_hotline_case(actor: User, pk: object, for_: str = "read") -> Case:
    """A complaint or petition case, for the staff who may see it."""
    return access(Case.objects.select_related("petition").filter(kind__in=("complaint", "petition")), pk,
                  lambda c: can_view_case(actor, c), _("You may not see this case."))


def resolve_unit(case: Case, pk: object) -> Organisation | None:
    """A unit chosen on a case's page (route to, better unit): one under the case's bureau, or None."""
    key = as_pk(pk)
    return Organisation.objects.filter(pk=key, path__startswith=case.organisation.path).first() if key else None


def resolve_recontact(bureau: Organisation, pk: object) -> RecontactCheck:
    return resolve(RecontactCheck.objects.filter(petition__case__organisation=bureau), pk,
                   _("That item no longer exists; please reload the page."))
