"""The database's clock: the one place edugov asks the database for the time.

The ledger dates each entry and each signed tree head by the database (issue 23): a caller
cannot choose the time an act is recorded at, so a row written later with an earlier time stands
out (ledger.integrate quarantines it). Everything else the platform dates, the act's own time
(`acted_at`) included, comes from Python's legal clock, which the time-travel tests move; the
database's clock is the real one, on PostgreSQL (`clock_timestamp()`: the time of the statement's
execution, not of the transaction's start, so a long transaction does not date its entries early)
as on SQLite (the process's clock, which faketime moves with the rest of the demo)."""

from __future__ import annotations

import datetime as dt

from django.db import connection

# ISO 8601 in UTC with microseconds and "+00:00", as a JSON string (quotes included).
_PG = ("""('"' || to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') """
       """|| '+00:00"')""")
_SQLITE = """('"' || strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000+00:00"')"""


def iso_sql() -> str:
    """An SQL expression for the database's time as a quoted ISO 8601 string."""
    return _PG if connection.vendor == "postgresql" else _SQLITE


def now() -> dt.datetime:
    with connection.cursor() as cur:
        cur.execute(f"SELECT {iso_sql()}")  # noqa: S608 - a constant expression
        text = cur.fetchone()[0]
    return dt.datetime.fromisoformat(text.strip('"'))
