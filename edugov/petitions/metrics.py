"""The petitions.* figures of FIGURES-2024.md, counted from the hotline's cases."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from edugov.accounts.models import Organisation
from edugov.cases.selectors import visible_cases
from edugov.metrics.registry import Metric, Period, register

from .models import Petition, Validity
from .workflow import KINDS


def by_unit(records):  # type: ignore[no-untyped-def]
    """The count per handling unit (department or school) of a petitions query."""
    def count(period: Period, org: Organisation) -> dict[int, int]:
        rows = (records(period, org).exclude(case__department__isnull=True).values("case__department")
                .annotate(n=Count("id")))
        return {r["case__department"]: r["n"] for r in rows}
    return count


def visible(qs: QuerySet[Petition], viewer: Any) -> QuerySet[Petition]:
    """A drill-down lists the cases this viewer may open, nothing more."""
    return qs.filter(case__in=visible_cases(viewer).values("pk"))


def received(period: Period, org: Organisation) -> QuerySet[Petition]:
    return Petition.objects.filter(case__kind__in=KINDS, case__organisation__path__startswith=org.path,
                                   case__opened_at__date__gte=period.start, case__opened_at__date__lte=period.end)


def valid(period: Period, org: Organisation) -> QuerySet[Petition]:
    return received(period, org).filter(validity=Validity.VALID)


def completed(period: Period, org: Organisation) -> QuerySet[Petition]:
    """Valid and closed as handled by the period's end."""
    return valid(period, org).filter(case__state="closed", case__closed_at__date__lte=period.end)


def in_progress(period: Period, org: Organisation) -> QuerySet[Petition]:
    return valid(period, org).filter(Q(case__closed_at__isnull=True) | Q(case__closed_at__date__gt=period.end))


register(Metric(key="petitions.received", title=_("Petitions and complaints received"), measure_word="件",
                definition=_("Received by the supervision hotline in the period, every channel."),
                count=lambda p, o: received(p, o).count(), records=received, visible_to=visible))
register(Metric(key="petitions.valid", title=_("Valid petitions and complaints"), measure_word="件",
                definition=_("Received in the period and accepted as valid after triage."),
                count=lambda p, o: valid(p, o).count(), records=valid, visible_to=visible, by_unit=by_unit(valid)))
register(Metric(key="petitions.completed", title=_("Valid ones closed"), measure_word="件",
                definition=_("Valid and closed as handled by the period's end."),
                count=lambda p, o: completed(p, o).count(), records=completed, visible_to=visible,
                by_unit=by_unit(completed)))
register(Metric(key="petitions.completion_rate", title=_("Completion rate"), decimals=1, empty=_("no valid cases"),
                definition=_("Completed ÷ valid."),
                rate=lambda p, o: (completed(p, o).count(), valid(p, o).count())))
register(Metric(key="petitions.resolution_rate", title=_("Resolution rate"), decimals=1, empty=_("no answers"),
                definition=_("Closed matters the complainant says are solved ÷ those whose complainant answered: "
                             "beside the completion rate, because closing a case is not solving the problem."),
                rate=lambda p, o: (completed(p, o).filter(resolution="solved").count(),
                                   completed(p, o).exclude(resolution="").count())))
register(Metric(key="petitions.in_progress", title=_("Valid ones still being handled"), measure_word="件",
                definition=_("Valid and not closed at the period's end."),
                count=lambda p, o: in_progress(p, o).count(), records=in_progress, visible_to=visible,
                by_unit=by_unit(in_progress)))


def first_routed(period: Period, org: Organisation) -> QuerySet[Petition]:
    """Valid cases received in the period that were routed to a unit."""
    return valid(period, org).filter(first_unit__isnull=False)


register(Metric(key="petitions.first_routing_accuracy", title=_("First-routing accuracy"), decimals=1,
                empty=_("no routed cases"),
                definition=_("Routed cases that stayed with the unit they were first routed to ÷ routed cases."),
                rate=lambda p, o: (first_routed(p, o).filter(rerouted=False).count(), first_routed(p, o).count())))
