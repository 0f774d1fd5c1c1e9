"""Faults under load (issue 11), against a real server: gunicorn with production settings on
loopback, its own PostgreSQL database, Redis. Bounded in time; run in CI.

- a web worker killed with SIGKILL mid-load: every 2xx has its case and ledger entries; the
  failed requests, retried with their idempotency key, succeed once and duplicate nothing;
- the database dropping every connection mid-load (what a restart does to the server): requests
  fail as 503 with Retry-After and no traceback, and the server recovers by itself;
- Redis unreachable: checked by the cluster step instead (scripts/cluster.py stops the cluster's
  Redis under load: pages, submissions and /healthz go on), which CI runs beside this suite."""

from __future__ import annotations

import base64
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DB_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
needs_postgres = pytest.mark.skipif("postgres" not in os.environ.get("DATABASE_URL", ""),
                                    reason="the server fault tests run their own server on PostgreSQL (CI)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Site:
    def __init__(self, redis_url: str) -> None:
        import psycopg

        self.db = f"edugov_faults_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(DB_ADMIN, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.db}"')
        self.var = Path(tempfile.mkdtemp(prefix="edugov-faults-"))
        self.port = _free_port()
        self.env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.reliability.faultsettings", "PYTHONPATH": str(ROOT),
                    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{self.db}",
                    "SECRET_KEY": "faults-" + secrets.token_urlsafe(40),
                    "EDUGOV_DATA_KEYS": "f1:" + base64.b64encode(os.urandom(32)).decode(),
                    "EDUGOV_INDEX_KEY": base64.b64encode(os.urandom(32)).decode(),
                    "EDUGOV_SIGNING_KEY_FILE": str(self.var / "keys" / "tree-signing.pem"),
                    "EDUGOV_VAR_DIR": str(self.var), "EDUGOV_REQUIRE_STAFF_OTP": "false",
                    "ALLOWED_HOSTS": "127.0.0.1", "REDIS_URL": redis_url, "CELERY_TASK_ALWAYS_EAGER": "false",
                    "EDUGOV_FAULTS_CACHE_PREFIX": f"faults-{self.db}"}
        self.manage("migrate", "-v0")
        self.manage("collectstatic", "--noinput", "-v0")
        self.manage("audit", "keygen")
        out = self.python("""
import datetime as dt
from edugov.accounts.models import Organisation
from edugov.petitions.models import Category, Hotline
from edugov.registries.models import School
b = Organisation.objects.create(code="FT", name="故障区教委", kind="bureau", case_prefix="故教")
o = Organisation.objects.create(code="FT-sup", name="督导室", kind="department", parent=b, case_prefix="故教督")
s = Organisation.objects.create(code="FTS1", name="故障小学", kind="school", parent=b)
School.objects.create(organisation=s, name="故障小学", code="FTS1", level="primary")
Hotline.objects.create(organisation=b, office=o, opened_on=dt.date(2024, 3, 1))
print(Category.objects.create(organisation=b, name="乱收费").pk)
""")
        self.category = out.strip().splitlines()[-1]
        self.key = self.manage("apikey", "create", "--name", "faults", "--org", "FT").strip()
        self.server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", "2", "--threads", "2", "--timeout", "30", "--graceful-timeout", "5", "--log-level", "error"],
            env=self.env, cwd=ROOT)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                if self.get("/healthz")[0] in (200, 503):
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("the server did not start")

    def manage(self, *args: str) -> str:
        return subprocess.run([sys.executable, "-m", "edugov", *args], env=self.env, cwd=ROOT, check=True,
                              capture_output=True, text=True, timeout=180).stdout

    def python(self, script: str) -> str:
        return subprocess.run([sys.executable, "-c", "import django; django.setup()\n" + script], env=self.env, cwd=ROOT,
                              check=True, capture_output=True, text=True, timeout=60).stdout

    def sql(self, query: str, *params: object) -> list[tuple]:
        import psycopg

        with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{self.db}") as conn:
            return conn.execute(query, params).fetchall()

    def get(self, path: str) -> tuple[int, str, dict[str, str]]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, resp.read().decode(), dict(resp.getheaders())

    def complain(self, key: str) -> tuple[int, str, dict[str, str]]:
        form = {"api_key": self.key, "service_code": self.category, "description": f"收取资料费 {key}",
                "address_string": "故障小学"}
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        try:
            conn.request("POST", "/open311/v2/requests.json", urllib.parse.urlencode(form),
                         {"Content-Type": "application/x-www-form-urlencoded", "Idempotency-Key": key})
            resp = conn.getresponse()
            return resp.status, resp.read().decode(), dict(resp.getheaders())
        except OSError as exc:  # the worker died with the connection open
            return 0, str(exc), {}

    def workers(self) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(self.server.pid)], capture_output=True, text=True).stdout
        return [int(p) for p in out.split()]

    def close(self) -> None:
        import psycopg

        self.server.send_signal(signal.SIGTERM)
        try:
            self.server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.server.kill()
        with psycopg.connect(DB_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.db}" WITH (FORCE)')


@pytest.fixture(scope="module")
def site():
    s = Site(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    yield s
    s.close()


def _load(site: Site, keys: list[str], clients: int, during=None) -> dict[str, list[tuple[int, str, dict]]]:
    """Each client posts its keys; a failed post is retried with the same key (as a client must)."""
    seen: dict[str, list[tuple[int, str, dict]]] = {k: [] for k in keys}

    def client(mine: list[str]) -> None:
        for key in mine:
            for _ in range(10):
                answer = site.complain(key)
                seen[key].append(answer)
                if 200 <= answer[0] < 300:
                    break
                time.sleep(0.3)

    threads = [threading.Thread(target=client, args=(keys[i::clients],)) for i in range(clients)]
    for t in threads:
        t.start()
    if during is not None:
        during()
    for t in threads:
        t.join(timeout=120)
    return seen


def _all_recorded_once(site: Site, keys: list[str]) -> None:
    rows = site.sql("""
        SELECT p.idempotency_key,
               EXISTS (SELECT 1 FROM audit_entry e WHERE e.target_type = 'cases.case' AND e.target_id = c.id::text
                       AND e.action = 'complaint.open'),
               EXISTS (SELECT 1 FROM audit_entry e WHERE e.target_type = 'petitions.petition'
                       AND e.target_id = p.id::text AND e.action = 'complaint.intake')
        FROM petitions_petition p JOIN cases_case c ON c.id = p.case_id WHERE p.idempotency_key LIKE %s""",
                    f"%:{keys[0].split('-')[0]}-%")
    recorded = {r[0].split(":", 1)[1] for r in rows}
    assert len(rows) == len(keys) and recorded == set(keys), "a complaint is missing or duplicated"
    assert all(r[1] and r[2] for r in rows), "a complaint lacks its ledger entries"


@needs_postgres
def test_a_worker_killed_mid_load_loses_and_duplicates_nothing(site):
    run = uuid.uuid4().hex[:6]
    keys = [f"kill{run}-{i}" for i in range(60)]
    before = site.workers()
    killed: list[int] = []

    def kill_one() -> None:
        time.sleep(0.5)
        victim = site.workers()[0]
        os.kill(victim, signal.SIGKILL)
        killed.append(victim)

    seen = _load(site, keys, clients=6, during=kill_one)
    assert all(any(200 <= a[0] < 300 for a in answers) for answers in seen.values()), "a retried request never succeeded"
    assert not any(a[0] == 500 for answers in seen.values() for a in answers)
    _all_recorded_once(site, keys)
    time.sleep(1)
    assert killed and killed[0] not in site.workers() and len(site.workers()) == len(before)  # replaced
    # a retried request answers with the complaint made the first time, not a second one
    status, body, _ = site.complain(keys[0])
    assert status in (200, 201) and json.loads(body)[0]["service_request_id"]


@needs_postgres
def test_database_connections_dropped_mid_load_give_503_and_recover(site):
    run = uuid.uuid4().hex[:6]
    keys = [f"drop{run}-{i}" for i in range(40)]

    dropped: list[int] = []

    def drop_connections() -> None:
        for _ in range(3):
            time.sleep(0.4)
            dropped.extend(r[0] for r in site.sql(  # the function in the select list: never on this session
                "SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()") if r[1])

    seen = _load(site, keys, clients=4, during=drop_connections)
    answers = [a for values in seen.values() for a in values]
    assert dropped, "no server connection was dropped: the fault did not happen"
    assert not any(a[0] == 500 for a in answers), "a dropped connection became a 500"
    for status, body, headers in answers:
        assert "Traceback" not in body
        if status == 503:
            assert headers.get("Retry-After") == "5" and json.loads(body)["retry"] is True
    assert all(any(200 <= a[0] < 300 for a in values) for values in seen.values())
    _all_recorded_once(site, keys)
    assert site.get("/healthz")[0] == 200  # recovered by itself


PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00"
       b"\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82")


@pytest.mark.parametrize("error", ["ENOSPC", "EACCES"])
def test_a_broken_attachment_store_fails_the_whole_submission(error, tree, monkeypatch, client, db):
    """A full disk or a permission error while writing the file: the complaint is not recorded
    either, and the person is told why in plain words."""
    import datetime as dt
    import errno

    from django.core.files.storage import default_storage
    from django.core.files.uploadedfile import SimpleUploadedFile

    from edugov.cases.models import Attachment, Case
    from edugov.petitions.models import Category, Hotline

    Hotline.objects.create(organisation=tree.bureau, office=tree.dept, opened_on=dt.date(2024, 3, 1))
    category = Category.objects.create(organisation=tree.bureau, name="乱收费")

    def broken(*args, **kwargs):
        raise OSError(getattr(errno, error), os.strerror(getattr(errno, error)))

    monkeypatch.setattr(default_storage, "_save", broken)
    page = client.post("/complaints/new/", {
        "subject": tree.school.name, "category": category.pk, "nature": "complaint", "description": "学校乱收费",
        "complainant_phone": "13812345678", "idempotency_key": f"disk-{error}",
        "attachment": SimpleUploadedFile("a.png", PNG, "image/png")}).content.decode()
    assert "文件未能保存" in page and os.strerror(getattr(errno, error)) in page
    assert not Case.objects.exists() and not Attachment.objects.exists()
