"""数据开放: writes the datasets the apps register (kernel.publishing) as CSV or JSON, streamed as
they are read (a large district's decisions are never held whole in memory), with one licence and
each dataset's update date (its newest record's publication time)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from edugov.kernel.publishing import Dataset, datasets
from edugov.kernel.xlsx import neutralise

LICENCE = _("Open licence: free to use, copy and redistribute, including commercially, provided the "
            "source (this bureau) is named and the data are not misrepresented (CC BY 4.0).")
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.zh-hans"


def _iso(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def as_csv(dataset: Dataset) -> Iterator[str]:
    """UTF-8 with a byte-order mark, so that Excel opens the Chinese correctly; one header row in
    the visitor's language (the column keys are in the JSON)."""
    out = io.StringIO()
    writer = csv.writer(out)
    yield "\ufeff"
    writer.writerow([str(label) for _key, label in dataset.columns])
    for n, row in enumerate(dataset.rows(), 1):
        writer.writerow([neutralise(_cell(dataset.shown(key, row.get(key)))) for key, _label in dataset.columns])
        if n % 500 == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    return _iso(value)


def _column(dataset: Dataset, key: str, label: Any) -> dict[str, Any]:
    column: dict[str, Any] = {"key": key, "title": str(label)}
    if key in dataset.values:
        column["values"] = [{"code": code, "title": str(title)} for code, title in dataset.values[key].items()]
    return column


def as_json(dataset: Dataset, base_url: str) -> Iterator[str]:
    """{"dataset", "title", "licence", "licence_url", "updated", "count", "columns", "rows": [...]},
    written as the rows are read. A coded column's value is its label, as in the CSV and on the
    pages; the column lists each code with its label ("values") for a program that wants the codes."""
    head = {"dataset": dataset.slug, "title": str(dataset.title), "description": str(dataset.description),
            "licence": str(LICENCE), "licence_url": LICENCE_URL, "updated": _iso(dataset.updated()),
            "count": dataset.count(), "source": base_url,
            "columns": [_column(dataset, k, label) for k, label in dataset.columns]}
    text = json.dumps(head, ensure_ascii=False)
    yield text[:-1] + ', "rows": ['
    first = True
    for row in dataset.rows():
        yield ("" if first else ",") + json.dumps({k: _iso(dataset.shown(k, row.get(k))) for k, _l in dataset.columns},
                                                  ensure_ascii=False)
        first = False
    yield "]}"


def summary() -> list[dict[str, Any]]:
    return [{"dataset": d, "count": d.count(), "updated": d.updated()} for d in datasets()]
