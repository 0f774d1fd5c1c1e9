"""The enrollment.* figures of FIGURES-2024.md, counted from the applications and the survey."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from edugov.accounts.models import Organisation
from edugov.metrics.registry import Metric, Period, describe_group, register

from .models import Application, Rating


def submitted(period: Period, org: Organisation) -> QuerySet[Application]:
    return Application.objects.filter(intake__organisation__path__startswith=org.path,
                                      submitted_at__gte=period.since, submitted_at__lt=period.until)


def rated(period: Period, org: Organisation) -> QuerySet[Application]:
    return Application.objects.filter(intake__organisation__path__startswith=org.path, rated_at__gte=period.since,
                                      rated_at__lt=period.until, satisfaction__isnull=False)


def together(period: Period, org: Organisation) -> dict[str, Any]:
    agg = rated(period, org).aggregate(n=Count("id"), ok=Count("id", filter=Q(satisfaction__gte=Rating.BASICALLY_SATISFIED)),
                                       very=Count("id", filter=Q(satisfaction=Rating.VERY_SATISFIED)))
    return {"enrollment.applications.total": submitted(period, org).count(),
            "enrollment.satisfaction.rate": (agg["ok"], agg["n"]),
            "enrollment.satisfaction.very_satisfied_rate": (agg["very"], agg["n"])}


def visible(qs: QuerySet[Application], viewer: Any) -> QuerySet[Application]:
    from edugov.cases.selectors import visible_cases

    return qs.filter(case__in=visible_cases(viewer).values("pk"))


describe_group("enrollment", _("Compulsory-education enrollment"))

register(Metric(key="enrollment.applications.total", title=_("Enrollment applications"), measure_word="人",
                definition=_("Applications submitted in the period, every intake and grade."),
                count=lambda p, o: submitted(p, o).count(), records=submitted, visible_to=visible, batch=together))
register(Metric(key="enrollment.satisfaction.rate", title=_("Enrollment satisfaction"), decimals=2,
                empty=_("no answers"),
                definition=_("Survey answers in the period of very satisfied, satisfied or basically satisfied ÷ all "
                             "answers."),
                rate=lambda p, o: (rated(p, o).filter(satisfaction__gte=Rating.BASICALLY_SATISFIED).count(),
                                   rated(p, o).count()), batch=together))
register(Metric(key="enrollment.satisfaction.very_satisfied_rate", title=_("Enrollment: very satisfied"), decimals=2,
                empty=_("no answers"),
                definition=_("Survey answers in the period of very satisfied ÷ all answers."),
                rate=lambda p, o: (rated(p, o).filter(satisfaction=Rating.VERY_SATISFIED).count(),
                                   rated(p, o).count()), batch=together))


def _events(period: Period, org: Organisation, transition: str) -> QuerySet[Any]:
    from edugov.cases.models import CaseEvent

    return CaseEvent.objects.filter(case__kind="enrollment", case__organisation__path__startswith=org.path,
                                    transition=transition, at__gte=period.since, at__lt=period.until)


def returns_by_reason(period: Period, org: Organisation) -> list[tuple[str, int]]:
    """Returns in the period counted by what was wrong (the document named, or “other”)."""
    from collections import Counter

    counts: Counter[str] = Counter()
    for data in _events(period, org, "return").values_list("data", flat=True):
        for reason in (data or {}).get("reasons", []) or [""]:
            head, sep, _rest = str(reason).partition("：")
            counts[head if sep else str(_("other reasons"))] += 1
    return counts.most_common()


register(Metric(key="enrollment.returns", title=_("Enrollment applications returned for correction"),
                measure_word="次", definition=_("Returns to the parent for correction in the period."),
                count=lambda p, o: _events(p, o, "return").count()))
register(Metric(key="enrollment.offline_checks", title=_("Enrollment checks in person"), measure_word="件",
                definition=_("Applications moved to a check in person in the period."),
                count=lambda p, o: _events(p, o, "offline").count()))
def appeals(period: Period, org: Organisation) -> QuerySet[Any]:
    from edugov.cases.models import Case

    return Case.objects.filter(kind="enrollment_appeal", organisation__path__startswith=org.path,
                               opened_at__gte=period.since, opened_at__lt=period.until)


register(Metric(key="enrollment.appeals", title=_("Enrollment appeals"), measure_word="件",
                definition=_("Appeals against enrollment results received in the period."),
                count=lambda p, o: appeals(p, o).count(), records=appeals))


def special_decided(period: Period, org: Organisation, kind: str, state: str) -> QuerySet[Any]:
    from edugov.cases.models import Case

    return Case.objects.filter(kind=kind, state=state, organisation__path__startswith=org.path,
                               closed_at__gte=period.since, closed_at__lt=period.until)


register(Metric(key="enrollment.deferrals", title=_("Deferred entries granted"), measure_word="名",
                definition=_("Deferrals of school entry for health reasons granted in the period."),
                count=lambda p, o: special_decided(p, o, "enrollment_deferral", "granted").count()))
register(Metric(key="enrollment.placements", title=_("Placements of children with a disability"), measure_word="名",
                definition=_("Placements decided in the period (regular class, special school or teaching at home)."),
                count=lambda p, o: special_decided(p, o, "enrollment_placement", "decided").count()))


def median_days_to_result(period: Period, org: Organisation) -> int:
    """Median days from submission to the published result, for applications whose results were
    published in the period (0 when none)."""
    from statistics import median

    rows = Application.objects.filter(intake__organisation__path__startswith=org.path,
                                      intake__results_published_at__gte=period.since,
                                      intake__results_published_at__lt=period.until, submitted_at__isnull=False
                                      ).values_list("submitted_at", "intake__results_published_at")
    days = [(published - submitted).days for submitted, published in rows.iterator(chunk_size=5000)
            if published is not None and submitted is not None]  # both filtered for; the types cannot know
    return int(median(days)) if days else 0


register(Metric(key="enrollment.median_days_to_result", title=_("Median days from application to result"),
                measure_word="天", definition=_("For the results published in the period: the median of the days "
                                                "from each application to its result."),
                count=median_days_to_result))
