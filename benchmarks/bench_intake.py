"""Complaint intake through HTTP into PostgreSQL at 32 concurrent clients (issue 4).

gunicorn serves edugov under production settings on loopback; 32 client threads post complaints
to Open311 (with an API key) and to the public web form (with its CSRF token), and, in the same
run, to a bare Django view that inserts one row. Reported: accepted complaints per second and p99
latency for each, errors, and whether every 2xx has its case and its ledger entry.
Goal: at least half the bare view's throughput, p99 under 250 ms, zero errors, nothing lost."""

from __future__ import annotations

import base64
import http.client
import os
import re
import secrets
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from harness import BENCH_DB, report, run_clients, save, server_cpu_seconds, start_gunicorn  # noqa: E402

CLIENTS = int(os.environ.get("BENCH_INTAKE_CLIENTS", "32"))
PER_CLIENT = int(os.environ.get("BENCH_INTAKE_PER_CLIENT", "40"))
PORT = int(os.environ.get("BENCH_INTAKE_PORT", "8791"))


def _env() -> dict[str, str]:
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "benchmarks.benchsettings", "PYTHONPATH": str(ROOT),
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{BENCH_DB}",
            "SECRET_KEY": "bench-" + secrets.token_urlsafe(40),
            "EDUGOV_DATA_KEYS": "b1:" + base64.b64encode(os.urandom(32)).decode(),
            "EDUGOV_INDEX_KEY": base64.b64encode(os.urandom(32)).decode(),
            "EDUGOV_SIGNING_KEY_FILE": "/tmp/edugov-bench-signing.pem",
            "EDUGOV_REQUIRE_STAFF_OTP": "false", "ALLOWED_HOSTS": "127.0.0.1", "LOG_LEVEL": "ERROR",
            "EDUGOV_VAR_DIR": "/tmp/edugov-bench-var"}


def _manage(env: dict[str, str], *args: str) -> str:
    return subprocess.run([sys.executable, "-m", "edugov", *args], env=env, cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout


def server_database(env: dict[str, str]) -> None:
    """A fresh database for a benchmark's server: created, migrated, static files collected (production
    serves hashed names) and the ledger's signing key made."""
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    Path("/tmp/edugov-bench-signing.pem").unlink(missing_ok=True)  # keygen never overwrites a key
    _manage(env, "migrate", "-v0")
    _manage(env, "collectstatic", "--noinput", "-v0")
    _manage(env, "audit", "keygen")


def setup(env: dict[str, str]) -> str:

    server_database(env)
    script = """
import datetime as dt
from edugov.accounts.models import Organisation
from edugov.petitions.models import Category, Hotline
from edugov.registries.models import School
b = Organisation.objects.create(code="BX", name="基准区教委", kind="bureau", case_prefix="基教")
o = Organisation.objects.create(code="BX-sup", name="督导室", kind="department", parent=b, case_prefix="基教督")
s = Organisation.objects.create(code="BXS1", name="基准小学", kind="school", parent=b)
School.objects.create(organisation=s, name="基准小学", code="BXS1", level="primary")
Hotline.objects.create(organisation=b, office=o, opened_on=dt.date(2024, 3, 1))
print(Category.objects.create(organisation=b, name="乱收费").pk)
from django.db import connection
with connection.cursor() as c:
    c.execute("CREATE TABLE bench_bare (id bigserial primary key, body text)")
"""
    category = subprocess.run([sys.executable, "-c", "import django; django.setup()\n" + script], env=env, cwd=ROOT,
                              check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    key = _manage(env, "apikey", "create", "--name", "bench", "--org", "BX").strip()
    return f"{category}|{key}"


def _run(kind: str, category: str, key: str) -> tuple[float, list[float], int, int]:
    latencies: list[float] = []
    ok = errors = 0
    lock = threading.Lock()

    def client(n: int) -> None:
        nonlocal ok, errors
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        cookie = token = ""
        if kind == "web":
            conn.request("GET", "/complaints/new/")
            resp = conn.getresponse()
            body = resp.read().decode()
            cookie = "; ".join(c.split(";")[0] for c in resp.headers.get_all("Set-Cookie") or [])
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
        mine: list[float] = []
        good = bad = 0
        for i in range(PER_CLIENT):
            text = f"第{n}号客户端第{i}次：收取资料费 {secrets.token_hex(4)}"
            if kind == "open311":
                path = "/open311/v2/requests.json"
                form = {"api_key": key, "service_code": category, "description": text, "address_string": "基准小学"}
            elif kind == "web":
                path = "/complaints/new/"
                form = {"csrfmiddlewaretoken": token, "subject": "基准小学", "category": category, "nature": "complaint",
                        "description": text, "idempotency_key": f"w-{n}-{i}"}
            else:
                path, form = "/bench/bare/", {"description": text}
            headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie,
                       "Referer": f"http://127.0.0.1:{PORT}/complaints/new/"}
            t0 = time.perf_counter()
            try:
                conn.request("POST", path, urllib.parse.urlencode(form), headers)
                resp = conn.getresponse()
                resp.read()
                status = resp.status
            except OSError:
                status = 0
                conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
            mine.append(time.perf_counter() - t0)
            if 200 <= status < 300:
                good += 1
            else:
                bad += 1
        with lock:
            latencies.extend(mine)
            ok += good
            errors += bad

    elapsed = run_clients(CLIENTS, client)
    return elapsed, latencies, ok, errors


def main() -> None:
    env = _env()
    category, key = setup(env).split("|")
    server = start_gunicorn(env, PORT)
    try:
        results = {}
        for kind in ("bare", "open311", "web", "bare"):
            cpu0 = server_cpu_seconds(server.pid)
            seconds, lat, ok, errors = _run(kind, category, key)
            cpu_ms = (server_cpu_seconds(server.pid) - cpu0) * 1000 / max(ok, 1)
            p99 = statistics.quantiles(lat, n=100)[98] * 1000 if len(lat) >= 100 else max(lat) * 1000
            results.setdefault(kind, []).append((ok / seconds, p99, ok, errors, cpu_ms))
    finally:
        server.terminate()
        server.wait(timeout=30)
    check = subprocess.run([sys.executable, "-c", """import django; django.setup()
from edugov.petitions.models import Petition
from edugov.audit.models import Entry
print(Petition.objects.filter(channel="open311").count(), Petition.objects.filter(channel="web").count(),
      Entry.objects.filter(action="complaint.intake").count())"""], env=env, cwd=ROOT, capture_output=True,
                           text=True, check=True).stdout.split()
    o311, web, entries = (int(x) for x in check)
    bare_rate = max(r[0] for r in results["bare"])
    bare_p99 = min(r[1] for r in results["bare"])
    bare_cpu = min(r[4] for r in results["bare"])
    for kind, stored in (("open311", o311), ("web", web)):
        rate, p99, ok, errors, cpu_ms = results[kind][0]
        lost = ok - stored
        report(f"intake_{kind}", rate / bare_rate, "a bare Django view inserting one row (same server, same run)",
               clients=CLIENTS, accepted_per_s=rate, p99_ms=p99, ok=ok, errors=errors, lost=lost,
               bare_per_s=bare_rate, bare_p99_ms=bare_p99, cpu_ms_per_req=cpu_ms, bare_cpu_ms_per_req=bare_cpu,
               cpu_over_bare=cpu_ms / bare_cpu)
    assert entries == o311 + web, f"{o311 + web} cases but {entries} ledger entries"
    save()


if __name__ == "__main__":
    main()
