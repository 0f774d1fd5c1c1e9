"""Reads of disclosure requests, within the bureau `accounts.selectors.access_bureau` gives or through
the engine's access function for one case."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.http import Http404

from edugov.accounts.models import Organisation, User
from edugov.cases.models import Case
from edugov.cases.selectors import access_case

from .models import DisclosureRequest
from .workflow import KINDS


def access_disclosure_case(actor: User, pk: object) -> Case:
    case = access_case(actor, pk)
    if case.kind not in KINDS:
        raise Http404
    return case


def requests_of(bureau: Organisation) -> QuerySet[DisclosureRequest]:
    return DisclosureRequest.objects.filter(organisation=bureau).select_related("case")


def yearly_counts(bureau: Organisation, year: int) -> dict[str, object]:
    """The third table of the yearly report: requests received in the year and carried over from the
    last, and the year's replies by form (and refusal reason), by requester kind."""
    qs = DisclosureRequest.objects.filter(organisation__path__startswith=bureau.path)

    def open_at_end_of(y: int) -> QuerySet[DisclosureRequest]:
        """Received by the end of year y and neither answered nor lapsed by then."""
        return (qs.filter(received_on__year__lte=y).exclude(replied_on__year__lte=y)
                .exclude(case__state="lapsed", case__closed_at__year__lte=y))

    received = qs.filter(received_on__year=year)
    carried_in = open_at_end_of(year - 1)
    replied = qs.filter(replied_on__year=year)
    lapsed = qs.filter(case__state="lapsed", case__closed_at__year=year)
    carried_out = open_at_end_of(year)

    def by_kind(q: QuerySet[DisclosureRequest]) -> dict[str, int]:
        return dict(q.values_list("requester_kind").annotate(n=Count("id")).values_list("requester_kind", "n"))

    forms: dict[str, dict[str, int]] = {}
    for form, kind, reason, n in replied.values_list("reply_form", "requester_kind", "refusal_reason").annotate(
            n=Count("id")).values_list("reply_form", "requester_kind", "refusal_reason", "n"):
        key = f"refused:{reason}" if form == "refused" else form
        forms.setdefault(key, {})
        forms[key][kind] = forms[key].get(kind, 0) + n
    return {"received": by_kind(received), "carried_in": by_kind(carried_in), "forms": forms,
            "lapsed": by_kind(lapsed), "carried_out": by_kind(carried_out)}
