"""Domain replay (`edugov audit verify --domain`): rebuild, from the ledger, the states the domain
tables hold (every case's state and closing, ratings, draws, ...) and name each difference.

A database administrator who changes a case's state or a rating in its own table leaves the
ledger as it was; verify then finds the ledger intact and the table different from it. Personal
fields are digests in the ledger, so states are compared, never personal data.

Each app to the right of `audit` in the layer contract registers what it replays
(`register(Replayer)`, from its AppConfig.ready), since the ledger does not know their tables.
The replay starts from a stated snapshot: the empty database (the demo, a fresh installation),
read from the first entry."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import connection

from .models import Entry


@dataclass(frozen=True)
class Difference:
    row: str  # "cases.case:12"
    field: str
    ledger: Any  # what the ledger's entries lead to; None where the ledger has no such row
    table: Any  # what the table holds; None where the table has no such row

    def __str__(self) -> str:
        if self.table is None and self.field == "*":
            return f"{self.row}: the ledger records it, the table has no such row (deleted)"
        if self.ledger is None and self.field == "*":
            return f"{self.row}: the table holds it, the ledger never recorded it (inserted)"
        return f"{self.row} {self.field}: the ledger says {self.ledger!r}, the table holds {self.table!r}"


class Replayer(Protocol):
    """Rebuilds one kind of row. `selects` says which entries it reads (SQL conditions on the
    entry's columns), `feed` takes them in tree order, `expected` and `actual` give
    {row: {field: value}} from the ledger and from the table."""

    name: str

    def selects(self) -> str: ...

    def feed(self, action: str, target_type: str, target_id: str, body: dict[str, Any]) -> None: ...

    def expected(self) -> dict[str, dict[str, Any]]: ...

    def actual(self) -> dict[str, dict[str, Any]]: ...


class Rows:
    """The common part of a replayer: what the ledger leads to, kept as {row: {field: value}}."""

    name = ""

    def __init__(self) -> None:
        self.rows: dict[str, dict[str, Any]] = {}

    def expected(self) -> dict[str, dict[str, Any]]:
        return self.rows


_factories: list[Callable[[], Replayer]] = []


def register(factory: Callable[[], Replayer]) -> None:
    if factory not in _factories:
        _factories.append(factory)


def registered() -> list[Replayer]:
    return [f() for f in _factories]


def _entries(condition: str) -> Iterator[tuple[str, str, str, str]]:
    table = Entry._meta.db_table
    with connection.chunked_cursor() as cur:
        cur.execute(f"SELECT action, target_type, target_id, body FROM {table} "  # noqa: S608 - registered SQL
                    f"WHERE tree_index IS NOT NULL AND ({condition}) ORDER BY tree_index")
        while rows := cur.fetchmany(5000):
            yield from rows


def compare(name: str, expected: dict[str, dict[str, Any]], actual: dict[str, dict[str, Any]]) -> list[Difference]:
    found = []
    for row in sorted(expected.keys() | actual.keys(), key=_row_order):
        want, have = expected.get(row), actual.get(row)
        if have is None:
            found.append(Difference(row, "*", "recorded", None))
        elif want is None:
            found.append(Difference(row, "*", None, "present"))
        else:
            found.extend(Difference(row, f, want[f], have.get(f)) for f in sorted(want) if want[f] != have.get(f))
    return found


def _row_order(row: str) -> tuple[str, int, str]:
    label, _, pk = row.rpartition(":")
    return (label, int(pk) if pk.isdigit() else 0, pk)


def replay(replayers: Iterable[Replayer] | None = None) -> list[Difference]:
    differences: list[Difference] = []
    for r in (registered() if replayers is None else replayers):
        for action, ttype, tid, body in _entries(r.selects()):
            r.feed(action, ttype, tid, json.loads(body))
        differences.extend(compare(r.name, r.expected(), r.actual()))
    return differences
