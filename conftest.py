"""Shared fixtures: a small organisation tree with two districts and one account per role.

Tests hit the real database (PostgreSQL in CI, SQLite on a first look); nothing of the project
is mocked. SMS goes to the in-memory backend because the gateway is outside the project."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytest_plugins = [
    "tests.demo_db",  # the demo district built once per run (tests/demo_db.py)
    # fixtures shared across apps' tests: registered here, never imported from another test module
    "edugov.accounts.tests.fixtures",
    "edugov.petitions.tests.fixtures",
    "edugov.services.tests.fixtures",
    "tests.records",  # one record of each kind, for the generated access tests
]  # Playwright's sync API runs an event loop


@dataclass
class Tree:
    province: object
    city: object
    bureau: object
    dept: object
    sibling_dept: object
    school: object
    school_org: object
    other_school: object
    other_school_org: object
    other_bureau: object
    other_district_school: object


@pytest.fixture(autouse=True)
def _memory_sms(settings):
    settings.EDUGOV = {**settings.EDUGOV, "SMS_BACKEND": "edugov.kernel.sms.MemoryBackend"}
    from edugov.kernel import sms

    sms.outbox.clear()
    yield


@pytest.fixture
def tree(db) -> Tree:
    from edugov.accounts.models import Organisation, OrgKind
    from edugov.registries.models import School, SchoolLevel

    province = Organisation.objects.create(code="P", name="省教育厅", kind=OrgKind.PROVINCE)
    city = Organisation.objects.create(code="P1", name="市教育局", kind=OrgKind.CITY, parent=province)
    bureau = Organisation.objects.create(code="B1", name="甲区教委", kind=OrgKind.BUREAU, parent=city, case_prefix="甲教")
    dept = Organisation.objects.create(code="B1-sup", name="督导室", kind=OrgKind.DEPARTMENT, parent=bureau,
                                       case_prefix="甲教督")
    sibling = Organisation.objects.create(code="B1-basic", name="基础教育科", kind=OrgKind.DEPARTMENT, parent=bureau)
    other_bureau = Organisation.objects.create(code="B2", name="乙区教委", kind=OrgKind.BUREAU, parent=city)

    def school(code: str, name: str, parent: Organisation) -> School:
        org = Organisation.objects.create(code=code, name=name, kind=OrgKind.SCHOOL, parent=parent)
        return School.objects.create(organisation=org, name=name, code=code, level=SchoolLevel.PRIMARY,
                                     enrolled_students=500)

    s1 = school("S1", "甲区第一小学", bureau)
    s2 = school("S2", "甲区第二小学", bureau)
    s3 = school("S3", "乙区第一小学", other_bureau)
    return Tree(province, city, bureau, dept, sibling, s1, s1.organisation, s2, s2.organisation, other_bureau, s3)


@pytest.fixture
def make_user(db):
    from edugov.accounts.models import Grant, User

    counter = {"n": 0}

    def make(role: str | None = None, org=None, username: str | None = None, password: str = "Pass-word-2024"):  # noqa: S107 - test accounts
        counter["n"] += 1
        user = User.objects.create_user(username=username or f"u{counter['n']}", password=password,
                                        full_name=f"用户{counter['n']}")
        if role:
            Grant.objects.create(user=user, role=role, organisation=org)
        return user

    return make


@pytest.fixture
def live_db_url(transactional_db) -> str:
    """A DATABASE_URL for subprocesses (the `edugov` command) that reaches the test database."""
    from django.db import connection

    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture(autouse=True)
def _sqlite_flush_past_ledger_triggers(request):
    """On SQLite, Django flushes transactional tests with DELETE, which the ledger's append-only
    triggers refuse (as they should). Every database test on SQLite makes sure the triggers are
    there; a transactional one drops them just before its flush. PostgreSQL flushes with TRUNCATE
    and needs none of this."""
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    uses_db = marker is not None or {"db", "transactional_db", "live_server"} & names
    if not uses_db:
        yield
        return
    import importlib

    from django.db import connection

    transactional = {"transactional_db", "live_server"} & names or (marker and marker.kwargs.get("transaction"))
    request.getfixturevalue("transactional_db" if transactional else "db")
    guard = importlib.import_module("edugov.audit.migrations.0002_append_only_triggers")
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            for sql in guard.SQLITE:
                cur.execute(sql)
    yield
    if transactional and connection.vendor == "sqlite":
        with connection.cursor() as cur:
            for sql in guard.SQLITE_DROP:
                cur.execute(sql)


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """The legal calendar is cached; a test's rolled-back overrides must not reach the next test."""
    from edugov.kernel.calendar import forget_calendar

    forget_calendar()
    yield
    forget_calendar()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached public pages and rate-limit counts belong to the test that made them (pk 1 in one test
    is not pk 1 in the next)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """LocaleMiddleware leaves the last request's language active on the thread; each test starts
    in the default language, as every real request does."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


# Where each role is granted in the test tree, for the role × scope tables.
ROLE_HOME = {
    "bureau_leader": "bureau", "department_head": "dept", "department_staff": "dept", "window_clerk": "dept",
    "enforcement_officer": "dept", "legal_reviewer": "dept", "supervision_staff": "dept",
    "school_admin": "school_org", "legal_vp": "school_org", "auditor": "bureau", "sysadmin": "bureau",
}


@pytest.fixture
def grantee(tree, make_user):
    """A user holding `role` at that role's usual place in the test tree."""
    return lambda role: make_user(role, getattr(tree, ROLE_HOME[role]))


@pytest.fixture
def audit_verify(capsys):
    """`edugov audit verify [args]` as an operator runs it: returns (exit status, stdout, stderr)."""
    from django.core.management import call_command

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            call_command("audit", "verify", *args)
            status = 0
        except SystemExit as exc:
            status = int(exc.code or 0)
        out = capsys.readouterr()
        return status, out.out, out.err

    return run
