"""The metric registry: every figure defined once (key, title, measure word, definition, a query
over records for a period and an organisation subtree, a drill-down to the records counted).
Dashboards, bulletins, the yearly report, the JSON export and the drill-down read the same
definition; no figure is typed in.

A domain registers its metrics in its AppConfig.ready():

    register(Metric(key="petitions.received", title=_("Petitions received"), measure_word="件",
                    definition=_("…"), count=lambda p, org: petitions_in(p, org).count(),
                    records=lambda p, org: petitions_in(p, org)))
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation

Label = str | Promise


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1]))

    def months(self) -> list[Period]:
        out, y, m = [], self.start.year, self.start.month
        while dt.date(y, m, 1) <= self.end:
            out.append(Period.month(y, m))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out

    def as_json(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}

    # Aware bounds, local midnight to local midnight: `at >= since and at < until` uses an index on
    # a timestamp column, where `at__date` casts every row and scans the table.
    @property
    def since(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.start, dt.time()))

    @property
    def until(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time()))


Count = Callable[[Period, Organisation], int]
Rate = Callable[[Period, Organisation], tuple[int, int]]
Records = Callable[[Period, Organisation], QuerySet[Any]]
ByUnit = Callable[[Period, Organisation], dict[int, int]]  # organisation pk → the figure's count there
Visible = Callable[[QuerySet[Any], Any], QuerySet[Any]]  # (records, viewer) → the records the viewer may open
# Several figures of one domain in one query: key → a count or (numerator, denominator).
Batch = Callable[[Period, Organisation], dict[str, Any]]


@dataclass(frozen=True)
class Metric:
    key: str
    title: Label
    definition: Label
    measure_word: str = ""
    count: Count | None = None  # a count …
    rate: Rate | None = None  # … or a rate: (numerator, denominator)
    records: Records | None = None  # the records behind the figure, for the drill-down
    approximate: bool = False  # written rounded down to tens with 余: 183 → 180余条
    decimals: int = 1  # for rates: 12.3% (1) or 45.67% (2)
    empty: Label = ""  # what a rate with no denominator says (e.g. 无办件); "—" by default
    rule: int | None = None  # a fixed rule rather than a count (e.g. 4 class hours a year)
    tags: tuple[str, ...] = field(default_factory=tuple)
    by_unit: ByUnit | None = None  # the count per department or school, for the breakdown
    visible_to: Visible | None = None  # the drill-down shows only what the viewer may open
    batch: Batch | None = None  # compute_all asks this once for every metric sharing it (must agree with count/rate)

    def __post_init__(self) -> None:
        if sum(x is not None for x in (self.count, self.rate, self.rule)) != 1:
            raise ValueError(f"{self.key}: give exactly one of count, rate or rule")


@dataclass(frozen=True)
class Value:
    metric: Metric
    value: int | float | None
    numerator: int | None = None
    denominator: int | None = None

    @property
    def display(self) -> str:
        m = self.metric
        if m.rate is not None:
            if self.value is None:
                return str(m.empty or "—")
            return f"{100 * self.value:.{m.decimals}f}%"
        n = int(self.value or 0)
        if m.approximate and n >= 10:
            return f"{n // 10 * 10}余{m.measure_word}"
        return f"{n}{m.measure_word}"

    def as_json(self) -> dict[str, Any]:
        value = round(self.value, 5) if isinstance(self.value, float) else self.value
        data: dict[str, Any] = {"value": value}
        if self.metric.rate is not None:
            data.update(numerator=self.numerator, denominator=self.denominator)
        data["display"] = self.display
        return data


_REGISTRY: dict[str, Metric] = {}


def register(metric: Metric) -> Metric:
    if metric.key in _REGISTRY and _REGISTRY[metric.key] is not metric:
        raise ValueError(f"metric {metric.key} is registered twice")
    _REGISTRY[metric.key] = metric
    return metric


_GROUPS: dict[str, Label] = {}


def describe_group(prefix: str, title: Label) -> None:
    """How the figures page names the figures whose key starts with `prefix.` (行政执法, not
    `enforcement`); each module names its own prefixes where it registers their metrics."""
    _GROUPS[prefix] = title


def group_title(prefix: str) -> str:
    return str(_GROUPS.get(prefix, prefix))


def unregister(key: str) -> None:
    _REGISTRY.pop(key, None)


def get(key: str) -> Metric:
    try:
        return _REGISTRY[key]
    except KeyError:
        raise LookupError(_("No figure is registered under %(key)s.") % {"key": key}) from None


def all_metrics() -> list[Metric]:
    return sorted(_REGISTRY.values(), key=lambda m: m.key)


def compute(metric: Metric, period: Period, org: Organisation) -> Value:
    if metric.rule is not None:
        return Value(metric, metric.rule)
    if metric.count is not None:
        return Value(metric, int(metric.count(period, org)))
    assert metric.rate is not None
    num, den = metric.rate(period, org)
    return Value(metric, (num / den) if den else None, int(num), int(den))


def series(metric: Metric, year: int, org: Organisation) -> list[tuple[Period, Value]]:
    """The figure for each month of a year (the monthly series of bulletins and dashboards)."""
    return [(month, compute(metric, month, org)) for month in Period.year(year).months()]


def records_for(metric: Metric, period: Period, org: Organisation, viewer: Any) -> QuerySet[Any] | None:
    """The records behind a figure that this viewer may open (the domain's own permission)."""
    if metric.records is None:
        return None
    qs = metric.records(period, org)
    qs = metric.visible_to(qs, viewer) if metric.visible_to is not None else qs
    return qs if qs.ordered else qs.order_by("pk")  # pages stay stable


def change(now: Value, before: Value) -> str:
    """How a figure moved against last year: +12 for counts, +1.5个百分点 for rates, "" if unknown."""
    if now.value is None or before.value is None or now.metric.rule is not None:
        return ""
    if now.metric.rate is not None:
        return f"{100 * (now.value - before.value):+.{now.metric.decimals}f}" + _("pt")
    return f"{int(now.value) - int(before.value):+d}"


def _from_batch(metric: Metric, result: Any) -> Value:
    if metric.rate is not None:
        num, den = result
        return Value(metric, (num / den) if den else None, int(num), int(den))
    return Value(metric, int(result))


def compute_all(period: Period, org: Organisation) -> dict[str, Value]:
    """Every figure. Metrics that share a batch function are computed by one call of it (one
    query for a domain's related counts instead of one per figure)."""
    batches: dict[Any, dict[str, Any]] = {}
    out = {}
    for m in all_metrics():
        if m.batch is not None:
            if m.batch not in batches:
                batches[m.batch] = m.batch(period, org)
            out[m.key] = _from_batch(m, batches[m.batch][m.key])
        else:
            out[m.key] = compute(m, period, org)
    return out


def as_json(period: Period, org: Organisation, values: dict[str, Value]) -> dict[str, Any]:
    """The metrics JSON of INTERFACES.md."""
    return {"period": period.as_json(), "org": org.code, "metrics": {k: v.as_json() for k, v in values.items()}}
