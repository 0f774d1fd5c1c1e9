"""The demo district as a test fixture, built once per test run.

The generator has two layers (edugov/demo/clock.py): the fixed history, the same records whatever
day it runs, and the live layer, placed relative to "now". This plugin builds the history once per
run into a template database, with Python's clock held at the history's end (so nothing in it is
dated after any instant a test travels to), and gives each user a fresh copy with the live layer
added at the instant it asks for:

- PostgreSQL: `CREATE DATABASE … TEMPLATE …`, a file-level copy (a second or two);
- SQLite: the file is copied with SQLite's backup API.

Django's default connection is pointed at the copy while the fixture is in use, and back at the
ordinary (empty) test database afterwards. Time enters through Python only: the platform dates
nothing with the database's clock (tests/time_travel checks that) but the ledger's record of when
an entry was written (audit/dbclock.py; the act's own time, `acted_at`, is Python's), so
`time-machine` moving Python's clock is enough for PostgreSQL too.

Fixtures:
- `demo_template` (session): the history's template. Where the run has a test that uses the demo,
  its build starts in a process of its own with the run (a few minutes on PostgreSQL) and those
  tests are ordered last, so the build overlaps the rest of the suite.
- `demo_database`: a factory, `with demo_database(instant) as db:` a copy with the live layer at
  `instant` (None: now), Django pointed at it.
- `demo` (module scope): one copy at the real now for a whole module; each test that asks for
  `demo_rollback` runs in a transaction rolled back at its end, so the module's tests do not see
  each other's writes."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

SEED = 2024


@dataclass
class DemoDatabase:
    """A copy of the demo district Django is pointed at; `url` reaches it from a subprocess."""

    name: str
    vendor: str
    url: str
    live_at: dt.datetime
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


class _Databases:
    """Copies, swaps and drops databases of the test run's kind."""

    def __init__(self) -> None:
        from django.db import connection

        self.settings = connection.settings_dict
        self.vendor = connection.vendor
        self.base = self.settings["NAME"]

    # naming -------------------------------------------------------------------------------------
    def sibling(self, suffix: str) -> str:
        if self.vendor == "sqlite":
            return str(Path(self.base).with_name(f"{Path(self.base).stem}_{suffix}.sqlite3"))
        return f"{self.base}_{suffix}"[:63]

    def url(self, name: str) -> str:
        if self.vendor == "sqlite":
            return f"sqlite:///{name}"
        s = self.settings
        auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
        return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"

    # copying ------------------------------------------------------------------------------------
    def _admin(self):  # type: ignore[no-untyped-def]
        import psycopg

        s = self.settings
        return psycopg.connect(host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432, user=s["USER"],
                               password=s.get("PASSWORD") or None, dbname="postgres", autocommit=True)

    def copy(self, source: str, target: str) -> str:
        from django.db import connections

        connections.close_all()
        self.drop(target)
        if self.vendor == "sqlite":
            with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
                src.backup(dst)
        else:
            with self._admin() as admin:
                for attempt in range(20):  # the source's last connection may take a moment to go
                    try:
                        admin.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
                        break
                    except Exception as exc:
                        if "is being accessed by other users" not in str(exc) or attempt == 19:
                            raise
                        time.sleep(0.25)
        return target

    def drop(self, name: str) -> None:
        if self.vendor == "sqlite":
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(name + suffix).unlink(missing_ok=True)
        else:
            with self._admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    @contextmanager
    def pointed_at(self, name: str) -> Iterator[None]:
        """Django's default connection reads and writes `name` inside the block."""
        from django.db import connections

        conn = connections["default"]
        conn.close()
        before = conn.settings_dict["NAME"]
        conn.settings_dict["NAME"] = name
        try:
            yield
        finally:
            conn.close()
            conn.settings_dict["NAME"] = before


@pytest.fixture(scope="session", autouse=True)
def _demo_empty_first(request):
    """Where this run has a test that uses the demo, the empty copy is taken before the first test,
    while nothing holds a connection or a transaction on the test database."""
    if any("demo_database" in getattr(item, "fixturenames", ()) for item in request.session.items):
        request.getfixturevalue("demo_history_build")


def pytest_collection_modifyitems(items):
    """The tests that use the demo run last, so that the history's build overlaps the others."""
    items.sort(key=lambda item: "demo_database" in getattr(item, "fixturenames", ()))


@pytest.fixture(scope="session")
def demo_empty(django_db_setup, django_db_blocker) -> Iterator[str]:
    """An empty copy of the migrated test database: the demo's template is built from it."""
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():
        # pytest-django creates the test database only when a collected test asks for `db`; a run
        # of the demo's tests alone asks for none, so the first of them creates it here.
        ours = None
        test_name = (connection.settings_dict.get("TEST") or {}).get("NAME")
        name_now = str(connection.settings_dict["NAME"])
        if not (name_now == test_name if test_name else name_now.startswith("test_")):
            ours = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        dbs = _Databases()
        name = dbs.copy(dbs.base, dbs.sibling("empty"))
    yield name
    with django_db_blocker.unblock():
        dbs.drop(name)
        if ours is not None:
            teardown_databases(ours, verbosity=0)


@pytest.fixture(scope="session")
def demo_history_build(demo_empty, django_db_blocker, request) -> Iterator[_Build]:
    """The history's build, started in a process of its own as soon as the run begins: it takes a
    few minutes on PostgreSQL, which the tests that do not use the demo (ordered first) overlap."""
    from django.conf import settings

    from edugov.audit.signing import private_key

    with django_db_blocker.unblock():
        dbs = _Databases()
        name = dbs.copy(demo_empty, dbs.sibling("demo_history"))
        if dbs.vendor == "sqlite":  # the append-only triggers may have been dropped by a flush
            import importlib

            guard = importlib.import_module("edugov.audit.migrations.0002_append_only_triggers")
            with sqlite3.connect(name) as db:
                for sql in guard.SQLITE:
                    db.execute(sql)
    private_key()  # the signing key file exists before the other process signs with it
    env = {**os.environ, "DATABASE_URL": dbs.url(name), "DJANGO_SETTINGS_MODULE": "config.settings.test",
           "EDUGOV_DATA_KEYS": settings.EDUGOV["DATA_KEYS"], "EDUGOV_INDEX_KEY": settings.EDUGOV["INDEX_KEY"],
           "EDUGOV_SIGNING_KEY_FILE": settings.EDUGOV["SIGNING_KEY_FILE"],
           "EDUGOV_MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as log:
        process = subprocess.Popen([sys.executable, "-m", "tests.build_demo_history", str(SEED)], env=env,
                                   cwd=Path(__file__).resolve().parents[1], stdout=out, stderr=log)
        yield _Build(name, dbs.vendor, dbs.url(name), process, out, log, time.monotonic())
        if process.poll() is None:
            process.kill()
        process.wait()
    with django_db_blocker.unblock():
        dbs.drop(name)


@dataclass
class _Build:
    name: str
    vendor: str
    url: str
    process: subprocess.Popen
    out: Any
    log: Any
    started: float

    def wait(self) -> tuple[dict[str, int], float]:
        self.process.wait()
        if self.process.returncode != 0:
            self.log.seek(0)
            tail = self.log.read().decode(errors="replace")[-3000:]
            pytest.fail(f"building the demo's history failed (exit {self.process.returncode}):\n{tail}")
        self.out.seek(0)
        return json.loads(self.out.read().decode().strip().splitlines()[-1]), time.monotonic() - self.started


@pytest.fixture(scope="session")
def demo_template(demo_history_build) -> DemoDatabase:
    """The fixed history, built once per run with the clock held at the history's end."""
    from edugov.demo.clock import HISTORY_END, aware

    counts, seconds = demo_history_build.wait()
    return DemoDatabase(demo_history_build.name, demo_history_build.vendor, demo_history_build.url,
                        aware(HISTORY_END, 18), counts, seconds)


@pytest.fixture(scope="session")
def demo_database(demo_template, django_db_blocker):
    """`with demo_database(instant) as db:` a fresh copy of the history with the live layer added at
    `instant` (an aware datetime; None for now), Django pointed at it, the clock held at `instant`
    inside the block (ticking from it; `frozen=True` holds it still)."""
    import time_machine

    from edugov.audit import ledger
    from edugov.demo.generator import generate_live
    from edugov.kernel.calendar import forget_calendar

    @contextmanager
    def make(instant: dt.datetime | None = None, frozen: bool = False) -> Iterator[DemoDatabase]:
        from django.core.cache import cache
        from django.utils import timezone

        with django_db_blocker.unblock():
            dbs = _Databases()
            name = dbs.copy(demo_template.name, dbs.sibling(f"demo_{uuid.uuid4().hex[:8]}"))
            at = instant or timezone.now()
            try:
                with dbs.pointed_at(name), time_machine.travel(at, tick=not frozen):
                    forget_calendar()
                    cache.clear()
                    started = time.monotonic()
                    with time_machine.travel(at, tick=False):  # the live layer at exactly `instant`
                        counts = generate_live(SEED, now=at)
                        ledger.integrate()
                    db = DemoDatabase(name, dbs.vendor, dbs.url(name), at, counts, time.monotonic() - started)
                    yield db
            finally:
                forget_calendar()
                cache.clear()
                dbs.drop(name)

    return make


@pytest.fixture(scope="module")
def demo(demo_database) -> Iterator[DemoDatabase]:
    """The demo district at the real now, shared by a module's tests (use `demo_rollback` in each)."""
    with demo_database() as db:
        yield db


@pytest.fixture
def demo_rollback(demo) -> Iterator[DemoDatabase]:
    """The module's demo, with this test's writes rolled back at its end."""
    from django.db import transaction

    with transaction.atomic():
        yield demo
        transaction.set_rollback(True)

