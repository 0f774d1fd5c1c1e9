"""reconsideration.* and litigation.* (INTERFACES.md, metric key prefixes): the cases brought against
the bureau, how they ended, and whether the responsible head appeared in court."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from edugov.accounts.models import Organisation
from edugov.metrics.registry import Metric, Period, describe_group, register

from .models import CORRECTING, Challenge, ChallengeKind


def _of(kind: str) -> Any:
    def received(period: Period, org: Organisation) -> QuerySet[Any]:
        return Challenge.objects.filter(kind=kind, organisation__path__startswith=org.path,
                                        received_on__gte=period.start, received_on__lte=period.end)

    def decided(period: Period, org: Organisation) -> QuerySet[Any]:
        return Challenge.objects.filter(kind=kind, organisation__path__startswith=org.path,
                                        decided_on__gte=period.start, decided_on__lte=period.end)

    def corrected(period: Period, org: Organisation) -> QuerySet[Any]:
        return decided(period, org).filter(outcome__in=CORRECTING)

    return received, decided, corrected


def heard(period: Period, org: Organisation) -> QuerySet[Any]:
    return Challenge.objects.filter(kind=ChallengeKind.LITIGATION, organisation__path__startswith=org.path,
                                    hearing_on__gte=period.start, hearing_on__lte=period.end)


def answered(period: Period, org: Organisation) -> QuerySet[Any]:
    return Challenge.objects.filter(kind=ChallengeKind.RECONSIDERATION, organisation__path__startswith=org.path,
                                    answered_on__gte=period.start, answered_on__lte=period.end)


def answered_in_time(period: Period, org: Organisation) -> QuerySet[Any]:
    return answered(period, org).filter(late_reason="")


describe_group("reconsideration", _("Reconsideration against the bureau"))
describe_group("litigation", _("Lawsuits against the bureau"))

for prefix, name in (("reconsideration", ChallengeKind.RECONSIDERATION), ("litigation", ChallengeKind.LITIGATION)):
    received, decided, corrected = _of(name)
    register(Metric(key=f"{prefix}.cases", title=_("Cases received") if prefix == "reconsideration"
                    else _("Lawsuits received"), measure_word="件",
                    definition=_("Applications (or complaints) against the bureau whose copy it received in the period."),
                    count=(lambda r: lambda p, o: r(p, o).count())(received), records=received))
    register(Metric(key=f"{prefix}.decided", title=_("Cases decided"), measure_word="件",
                    definition=_("Cases against the bureau decided or judged in the period."),
                    count=(lambda r: lambda p, o: r(p, o).count())(decided), records=decided))
    register(Metric(key=f"{prefix}.corrected", title=_("Acts corrected"), measure_word="件",
                    definition=_("Cases decided in the period that revoked, altered, found unlawful or ordered the "
                                 "bureau's act (纠错)."),
                    count=(lambda r: lambda p, o: r(p, o).count())(corrected), records=corrected))
    register(Metric(key=f"{prefix}.correction_rate", title=_("Correction rate"), decimals=1, empty=_("no case decided"),
                    definition=_("Of the cases decided in the period, the share that corrected the bureau's act."),
                    rate=(lambda c, d: lambda p, o: (c(p, o).count(), d(p, o).count()))(corrected, decided),
                    records=corrected))

register(Metric(key="litigation.head_appearance_rate", title=_("Responsible head appeared in court"), decimals=0,
                empty=_("no hearing"),
                definition=_("Of the hearings of lawsuits against the bureau in the period, the share the responsible "
                             "head attended (负责人出庭应诉, 行政诉讼法 art. 3)."),
                rate=lambda p, o: (heard(p, o).filter(head_appeared=True).count(), heard(p, o).count()),
                records=heard))
register(Metric(key="reconsideration.answered_in_time_rate", title=_("Answers submitted in time"),
                decimals=0, empty=_("no answer"),
                definition=_("Of the answers to reconsideration applications submitted in the period, the share "
                             "submitted within 10 working days of receiving the copy (5 in the simplified procedure)."),
                rate=lambda p, o: (answered_in_time(p, o).count(), answered(p, o).count()), records=answered))
