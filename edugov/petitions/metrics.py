"""The petitions.* figures of FIGURES-2024.md, counted from the hotline's cases."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from edugov.accounts.models import Organisation
from edugov.cases.selectors import visible_cases
from edugov.metrics.registry import Metric, Period, describe_group, register

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
                                   case__opened_at__gte=period.since, case__opened_at__lt=period.until)


def valid(period: Period, org: Organisation) -> QuerySet[Petition]:
    return received(period, org).filter(validity=Validity.VALID)


def completed(period: Period, org: Organisation) -> QuerySet[Petition]:
    """Valid and closed as handled by the period's end."""
    return valid(period, org).filter(case__state="closed", case__closed_at__lt=period.until)


def in_progress(period: Period, org: Organisation) -> QuerySet[Petition]:
    return valid(period, org).filter(Q(case__closed_at__isnull=True) | Q(case__closed_at__gte=period.until))


def together(period: Period, org: Organisation) -> dict[str, Any]:
    """The petitions figures in one query over the period's petitions (the definitions above,
    as conditional counts); tests hold the two ways equal."""
    valid_q = Q(validity=Validity.VALID)
    done = valid_q & Q(case__state="closed", case__closed_at__lt=period.until)
    routed = valid_q & Q(first_unit__isnull=False)
    agg = received(period, org).aggregate(
        received=Count("id"), valid=Count("id", filter=valid_q), completed=Count("id", filter=done),
        in_progress=Count("id", filter=valid_q & (Q(case__closed_at__isnull=True) | Q(case__closed_at__gte=period.until))),
        solved=Count("id", filter=done & Q(resolution="solved")), answered=Count("id", filter=done & ~Q(resolution="")),
        routed=Count("id", filter=routed), routed_right=Count("id", filter=routed & Q(rerouted=False)))
    return {"petitions.received": agg["received"], "petitions.valid": agg["valid"],
            "petitions.completed": agg["completed"], "petitions.in_progress": agg["in_progress"],
            "petitions.completion_rate": (agg["completed"], agg["valid"]),
            "petitions.resolution_rate": (agg["solved"], agg["answered"]),
            "petitions.first_routing_accuracy": (agg["routed_right"], agg["routed"])}


describe_group("petitions", _("Complaints and petitions"))

register(Metric(key="petitions.received", title=_("Petitions and complaints received"), measure_word="件",
                definition=_("Received by the supervision hotline in the period, every channel."),
                count=lambda p, o: received(p, o).count(), records=received, visible_to=visible, batch=together))
register(Metric(key="petitions.valid", title=_("Valid petitions and complaints"), measure_word="件",
                definition=_("Received in the period and accepted as valid after triage."),
                count=lambda p, o: valid(p, o).count(), records=valid, visible_to=visible, by_unit=by_unit(valid),
                batch=together))
register(Metric(key="petitions.completed", title=_("Valid ones closed"), measure_word="件",
                definition=_("Valid and closed as handled by the period's end."),
                count=lambda p, o: completed(p, o).count(), records=completed, visible_to=visible,
                by_unit=by_unit(completed), batch=together))
register(Metric(key="petitions.completion_rate", title=_("Completion rate"), decimals=1, empty=_("no valid cases"),
                definition=_("Completed ÷ valid."),
                rate=lambda p, o: (completed(p, o).count(), valid(p, o).count()), batch=together))
register(Metric(key="petitions.resolution_rate", title=_("Resolution rate"), decimals=1, empty=_("no answers"),
                definition=_("Closed matters the complainant says are solved ÷ those whose complainant answered: "
                             "beside the completion rate, because closing a case is not solving the problem."),
                rate=lambda p, o: (completed(p, o).filter(resolution="solved").count(),
                                   completed(p, o).exclude(resolution="").count()), batch=together))
register(Metric(key="petitions.in_progress", title=_("Valid ones still being handled"), measure_word="件",
                definition=_("Valid and not closed at the period's end."),
                count=lambda p, o: in_progress(p, o).count(), records=in_progress, visible_to=visible,
                by_unit=by_unit(in_progress), batch=together))


def first_routed(period: Period, org: Organisation) -> QuerySet[Petition]:
    """Valid cases received in the period that were routed to a unit."""
    return valid(period, org).filter(first_unit__isnull=False)


register(Metric(key="petitions.first_routing_accuracy", title=_("First-routing accuracy"), decimals=1,
                empty=_("no routed cases"),
                definition=_("Routed cases that stayed with the unit they were first routed to ÷ routed cases."),
                rate=lambda p, o: (first_routed(p, o).filter(rerouted=False).count(), first_routed(p, o).count()),
                batch=together))
