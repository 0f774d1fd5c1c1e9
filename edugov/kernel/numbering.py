"""Official numbers: one series per kind, scope (an organisation, a campaign) and year, used for
case references, letters of appointment, rectification notices and the like (文号).

Two ways to keep a series, both safe under concurrent requests:

- `gapless=True` (documents: a 文号 must not skip): the series' Counter row, locked until the
  caller's transaction commits, so a second issuer waits and gets the next number; a rolled-back
  document gives its number back.
- `gapless=False` (case references, thousands a day): on PostgreSQL a sequence per series, which
  never blocks (a counter row made every intake of a district wait for the one before it: 47
  complaints/s at 32 clients); a rolled-back case leaves a gap. SQLite serialises writers anyway:
  the counter row.

A series begun before this module existed starts after `floor()`, the highest number already
issued (asked once, when the series' row or sequence is first made). The numbered fields carry a
unique constraint, so a mistake here fails loudly instead of issuing a 文号 twice."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, ProgrammingError, connection, transaction

from .models import Counter

_SEQUENCES: set[tuple[str, str, str]] = set()


def _scope(scope: Any) -> int:
    return int(getattr(scope, "pk", scope))


def sequence_name(series: str, scope: Any, year: int) -> str:
    return f"edugov_{re.sub(r'[^a-z0-9]', '_', series.lower())}_{_scope(scope)}_{year}"


def reserve(series: str, scope: Any, year: int, n: int = 1, *, gapless: bool = True,
            floor: Callable[[], int] | None = None) -> list[int]:
    """`n` consecutive-in-order numbers of the series (call inside the transaction that uses them)."""
    if n <= 0:
        return []
    if gapless or connection.vendor != "postgresql":
        return _from_counter(series, _scope(scope), year, n, floor)
    return _from_sequence(series, scope, year, n, floor)


def next_number(series: str, scope: Any, year: int, *, gapless: bool = True,
                floor: Callable[[], int] | None = None) -> int:
    return reserve(series, scope, year, 1, gapless=gapless, floor=floor)[0]


def _from_counter(series: str, scope: int, year: int, n: int, floor: Callable[[], int] | None) -> list[int]:
    counter = Counter.objects.select_for_update().filter(series=series, scope=scope, year=year).first()
    if counter is None:
        try:
            with transaction.atomic():  # a savepoint: two first numbers at once race to create the row
                Counter.objects.create(series=series, scope=scope, year=year, last=floor() if floor else 0)
        except IntegrityError:
            pass  # the other request made it; take it (and wait for it) below
        counter = Counter.objects.select_for_update().get(series=series, scope=scope, year=year)
    first = counter.last + 1
    counter.last += n
    counter.save(update_fields=["last"])
    return list(range(first, first + n))


def _from_sequence(series: str, scope: Any, year: int, n: int, floor: Callable[[], int] | None) -> list[int]:
    name = sequence_name(series, scope, year)
    with connection.cursor() as cur:
        seen = (connection.alias, str(connection.settings_dict["NAME"]), name)
        if seen not in _SEQUENCES:
            start = (floor() if floor else 0) + 1
            try:
                with transaction.atomic():  # a savepoint: two first numbers at once race to create it
                    cur.execute(f"CREATE SEQUENCE IF NOT EXISTS {name} START {int(start)}")  # noqa: S608 - [a-z0-9_]
            except (IntegrityError, ProgrammingError):
                pass  # the other request created it
            transaction.on_commit(lambda: _SEQUENCES.add(seen))
        cur.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [name, n])
        return [int(r[0]) for r in cur.fetchall()]
