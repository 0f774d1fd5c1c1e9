"""The register of open datasets (数据开放). Each app declares what it publishes in its own
`opendata.py`, registered from its AppConfig.ready(); the portal lists the register and writes each
dataset as CSV or JSON. A dataset reads the same published records the app's public pages show."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, QuerySet
from django.utils.functional import Promise

CHUNK = 2000  # rows read from the database at a time while a file is written


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str | Promise
    description: str | Promise
    columns: tuple[tuple[str, str | Promise], ...]  # (key, heading)
    rows: Callable[[], Iterable[dict[str, Any]]]  # newest first where records have a date
    updated: Callable[[], dt.datetime | dt.date | None]
    count: Callable[[], int]
    page: str = ""  # the URL name of the public page showing the same records
    order: int = 100
    # columns holding a code (a model's choices): {key: {code: label}}. People read the label (the
    # CSV, the JSON's value); the JSON's column lists the codes beside their labels for programs.
    values: Mapping[str, Mapping[str, str | Promise]] = field(default_factory=dict)

    def shown(self, key: str, value: Any) -> Any:
        """A cell as people read it: a code's label in the visitor's language, anything else as it is."""
        labels = self.values.get(key)
        if labels is None or value in (None, ""):
            return value
        return str(labels.get(value, value))


_DATASETS: dict[str, Dataset] = {}


def register(dataset: Dataset) -> Dataset:
    _DATASETS[dataset.slug] = dataset
    return dataset


def datasets() -> list[Dataset]:
    return sorted(_DATASETS.values(), key=lambda d: (d.order, d.slug))


def get(slug: str) -> Dataset | None:
    return _DATASETS.get(slug)


def latest(qs: QuerySet[Any], field: str) -> Any:
    """The newest value of `field` in `qs` (a dataset's update date)."""
    return qs.aggregate(m=Max(field))["m"]


# ---- what the portal publishes, announced to the open-government register ------------------------
# (issue 29: 政务公开 figures counted from what was actually published). An app that publishes a
# document on the portal announces it; the oversight app, which keeps the register, registers the
# sink from its AppConfig.ready(), so publishing apps need not import it (the layer contract).

_SINKS: list[Callable[..., Any]] = []


def register_sink(sink: Callable[..., Any]) -> None:
    """`sink(organisation=, title=, category=, published_on=)` records one published item."""
    if sink not in _SINKS:
        _SINKS.append(sink)


def announce(*, organisation: Any, title: str, category: str, published_on: dt.date) -> None:
    """A document the portal has just published (in the caller's transaction)."""
    for sink in _SINKS:
        sink(organisation=organisation, title=title, category=category, published_on=published_on)
