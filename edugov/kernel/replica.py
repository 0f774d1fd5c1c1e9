"""Reads that may come from a streaming replica of the database.

A city's deployment runs PostgreSQL with a hot standby (docs/operations.md, "A city on several
machines"). The figures, the yearly reports, open data and the public listings are read often and
may be a second old; they read from the replica when one is configured (EDUGOV_REPLICA_URL, the
database alias "replica"). Everything else reads and writes the primary:

- every write, and every read inside a transaction (a `select_for_update`, an action's checks);
- the pages of a person who has just written (a non-GET answered within RECENT_WRITE_SECONDS): a
  parent who has just submitted sees the submission, not the replica's older copy.

A page that reads the replica says how fresh it is (`freshness`). Without a replica (the demo, a
single machine) everything reads the primary and the page says the figures are live."""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import OperationalError, connections
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone

log = logging.getLogger("edugov.replica")

ALIAS = "replica"
RECENT_WRITE_COOKIE = "edugov_wrote"
RECENT_WRITE_SECONDS = 15  # longer than any replication lag the operations page accepts
_reading_replica: ContextVar[bool] = ContextVar("edugov_reading_replica", default=False)


def configured() -> bool:
    return ALIAS in settings.DATABASES


class ReplicaRouter:
    """Django's database router: the replica for reads inside `replica_reads()`, the primary for
    everything else (writes, migrations, reads within a transaction)."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if _reading_replica.get() and configured() and not connections["default"].in_atomic_block:
            return ALIAS
        return None

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica holds the primary's rows: the same objects

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db != ALIAS  # the replica follows the primary's WAL; it is never migrated itself


@contextmanager
def replica_reads() -> Iterator[None]:
    token = _reading_replica.set(True)
    try:
        yield
    finally:
        _reading_replica.reset(token)


def wrote_recently(request: HttpRequest) -> bool:
    return RECENT_WRITE_COOKIE in request.COOKIES


def reads_replica(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """A view whose reads may come from the replica, unless its visitor has just written."""
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if wrote_recently(request) or not configured():
            return view(request, *args, **kwargs)
        try:
            with replica_reads():
                return view(request, *args, **kwargs)
        except OperationalError as exc:  # the replica is down or restarting: a read may come from the primary
            if not _replica_failed():
                raise
            log.warning("replica unavailable, read from the primary: %s", exc)
            return view(request, *args, **kwargs)
    return wrapped


def _replica_failed() -> bool:
    """Whether the replica's connection is the one that failed (then it is closed, to be reopened)."""
    conn = connections[ALIAS]
    try:
        conn.close()
        conn.ensure_connection()
    except Exception:
        conn.close()
        return True
    return False


class RecentWriteMiddleware:
    """Marks the browser of a person whose request may have written (any method but GET, HEAD and
    OPTIONS, answered below 400) for RECENT_WRITE_SECONDS, so that their next pages read the primary."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if configured() and request.method not in ("GET", "HEAD", "OPTIONS") and response.status_code < 400:
            response.set_cookie(RECENT_WRITE_COOKIE, "1", max_age=RECENT_WRITE_SECONDS, httponly=True,
                                samesite="Lax", secure=request.is_secure())
        return response


@dataclass(frozen=True)
class Freshness:
    """Where a page's figures were read and how old they may be."""

    replica: bool
    as_of: dt.datetime  # the newest change the figures include (now, on the primary)
    lag_seconds: float  # how far behind the primary (0 on the primary, or a replica that has caught up)


def freshness() -> Freshness:
    """Asked inside a view: the replica's replay position when the view reads it, else live."""
    now = timezone.now()
    if not (_reading_replica.get() and configured()):
        return Freshness(False, now, 0.0)
    try:
        with connections[ALIAS].cursor() as cur:
            # A standby that has replayed all it received is as fresh as the primary; otherwise its
            # last replayed transaction's time says how old its figures are.
            # (the lag is measured against the platform's clock, which is where time enters: never the database's)
            cur.execute("SELECT pg_is_in_recovery(), pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn(), "
                        "pg_last_xact_replay_timestamp()")
            recovering, caught_up, replayed = cur.fetchone()
    except Exception as exc:  # a replica that does not answer: the page is served from the primary next time
        log.warning("replica freshness unknown: %s", exc)
        return Freshness(True, now, float("nan"))
    if not recovering or caught_up or replayed is None:
        return Freshness(True, now, 0.0)
    return Freshness(True, replayed, max(0.0, (now - replayed).total_seconds()))
