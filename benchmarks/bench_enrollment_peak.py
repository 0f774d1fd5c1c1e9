"""Enrollment submission peak (issue 7): 64 signed-in parents at once submit complete applications
with two document uploads each (about 60 KB) through HTTP into PostgreSQL, against gunicorn with
production settings; in the same run, a bare Django view inserting one row. Reported: completed
applications per second, p99 latency, errors, and lost (a 2xx without its application).
Goal: ratio >= 0.3, zero lost."""

from __future__ import annotations

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
from bench_intake import _env, server_database  # noqa: E402
from harness import report, run_clients, save, server_cpu_seconds, start_gunicorn  # noqa: E402

CLIENTS = int(os.environ.get("BENCH_PEAK_CLIENTS", "64"))
PER_CLIENT = int(os.environ.get("BENCH_PEAK_PER_CLIENT", "8"))
PORT = int(os.environ.get("BENCH_PEAK_PORT", "8792"))
PDF = b"%PDF-1.4\n" + b"%" + os.urandom(30000).hex().encode()[:60000] + b"\n%%EOF\n"

SETUP = """
import datetime as dt
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.utils import timezone
from edugov.accounts.models import Organisation, User, UserKind
from edugov.enrollment.actions import intake_publish
from edugov.enrollment.models import Intake, Plan, Zone
from edugov.registries.models import School
b = Organisation.objects.create(code="BE", name="基准区教委", kind="bureau", case_prefix="基教")
d = Organisation.objects.create(code="BE-basic", name="基础教育科", kind="department", parent=b)
s = Organisation.objects.create(code="BES1", name="基准小学", kind="school", parent=b)
school = School.objects.create(organisation=s, name="基准小学", code="BES1", level="primary")
now = timezone.now()
i = Intake.objects.create(organisation=b, department=d, year=now.year + 1, title="基准招生",
    born_from=dt.date(2019, 9, 1), born_until=dt.date(2020, 8, 31), opens_at=now - dt.timedelta(days=1),
    closes_at=now + dt.timedelta(days=3), lottery_on=now.date(), results_on=now.date())
Plan.objects.create(intake=i, school=school, places=100000)
Zone.objects.create(intake=i, name="学区", communities=["幸福小区"]).schools.add(school)
intake_publish(actor=None, intake=i)
keys = []
for n in range({clients}):
    phone = f"1370000{{n:04d}}"
    u = User.objects.create_user(username="p" + phone, kind=UserKind.PUBLIC, phone=phone)
    st = SessionStore()
    st[SESSION_KEY] = str(u.pk)
    st[BACKEND_SESSION_KEY] = "edugov.accounts.backends.PhoneCodeBackend"
    st[HASH_SESSION_KEY] = u.get_session_auth_hash()
    st.create()
    keys.append(st.session_key)
with connection.cursor() as c:
    c.execute("CREATE TABLE IF NOT EXISTS bench_bare (id bigserial primary key, body text)")
print(i.pk, ",".join(keys))
"""


def _ident(first17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights, strict=True)) % 11]


def _multipart(fields: dict[str, str], files: dict[str, bytes]) -> tuple[bytes, str]:
    boundary = "----edugov" + secrets.token_hex(8)
    out = []
    for k, v in fields.items():
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode())
    for k, data in files.items():
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"; filename="{k}.pdf"\r\n'
                   f"Content-Type: application/pdf\r\n\r\n".encode() + data + b"\r\n")
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out), f"multipart/form-data; boundary={boundary}"


def _run(kind: str, intake: str, sessions: list[str], round_no: int) -> tuple[float, list[float], int, int]:
    latencies: list[float] = []
    ok = errors = 0
    lock = threading.Lock()

    def client(n: int) -> None:
        nonlocal ok, errors
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        cookie = f"sessionid={sessions[n]}"
        mine: list[float] = []
        good = bad = 0
        for i in range(PER_CLIENT):
            t0 = time.perf_counter()
            try:
                if kind == "bare":
                    conn.request("POST", "/bench/bare/", urllib.parse.urlencode({"description": f"{n}-{i}"}),
                                 {"Content-Type": "application/x-www-form-urlencoded"})
                    resp = conn.getresponse()
                    resp.read()
                    status = resp.status
                else:
                    conn.request("GET", f"/enrollment/{intake}/apply/", headers={"Cookie": cookie})
                    resp = conn.getresponse()
                    page = resp.read().decode()
                    csrf = next((c.split(";")[0] for c in resp.headers.get_all("Set-Cookie") or []
                                 if c.startswith("csrftoken=")), "")
                    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
                    seq = round_no * 100000 + n * PER_CLIENT + i
                    child = _ident(f"{110000 + seq // 1000:06d}20200301{seq % 1000:03d}")
                    body, ctype = _multipart({
                        "csrfmiddlewaretoken": token, "idempotency_key": secrets.token_hex(16), "what": "submit",
                        "child_name": "张小明", "child_id_number": child, "household": "本区",
                        "guardian_name": "张强", "guardian_id_number": _ident("11010119850101001"),
                        "guardian_phone": f"1370000{n:04d}", "address": "幸福小区1栋", "community": "幸福小区",
                        "q_household": "yes", "q_home": "yes", "consent": "on"},  # category 1: the two questions
                       {"doc_household": PDF, "doc_property": PDF})
                    conn.request("POST", f"/enrollment/{intake}/apply/", body, {
                        "Content-Type": ctype, "Cookie": f"{cookie}; {csrf}",
                        "Referer": f"http://127.0.0.1:{PORT}/enrollment/{intake}/apply/"})
                    resp = conn.getresponse()
                    answer = resp.read()
                    if os.environ.get("BENCH_DEBUG") and resp.status != 302:
                        print(resp.status, re.sub(r"\s+", " ", re.sub(r"<[^>]*>", " ", answer.decode().split("<main", 1)[-1]))[:1200])
                    status = resp.status if resp.status != 302 or "/applications/" in (
                        resp.getheader("Location") or "") else 500
            except OSError:
                status = 0
                conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
            mine.append(time.perf_counter() - t0)
            if 200 <= status < 400:
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
    server_database(env)
    out = subprocess.run([sys.executable, "-c", "import django; django.setup()\n" + SETUP.format(clients=CLIENTS)],
                         env=env, cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    intake, keys = out.split()
    sessions = keys.split(",")
    server = start_gunicorn(env, PORT)
    try:
        cpu: list[float] = []

        def timed(kind: str, round_no: int) -> tuple[float, list[float], int, int]:
            before = server_cpu_seconds(server.pid)
            got = _run(kind, intake, sessions, round_no)
            cpu.append((server_cpu_seconds(server.pid) - before) * 1000 / max(got[2], 1))
            return got
        bare = timed("bare", 0)
        apply_ = timed("apply", 1)
        bare2 = timed("bare", 2)
    finally:
        server.terminate()
        server.wait(timeout=30)
    stored = int(subprocess.run([sys.executable, "-c", """import django; django.setup()
from edugov.enrollment.models import Application
print(Application.objects.filter(submitted_at__isnull=False).count())"""], env=env, cwd=ROOT, capture_output=True,
                                text=True, check=True).stdout.split()[-1])
    bare_rate = max(b[2] / b[0] for b in (bare, bare2))
    seconds, lat, ok, errors = apply_
    p99 = statistics.quantiles(lat, n=100)[98] * 1000 if len(lat) >= 100 else max(lat) * 1000
    report("enrollment_peak", (ok / seconds) / bare_rate, "a bare Django view inserting one row (same server, same run)",
           clients=CLIENTS, completed_per_s=ok / seconds, p99_ms=p99, ok=ok, errors=errors, lost=ok - stored,
           bare_per_s=bare_rate, cpu_ms_per_req=cpu[1], bare_cpu_ms_per_req=min(cpu[0], cpu[2]),
           cpu_over_bare=cpu[1] / min(cpu[0], cpu[2]))
    save()


if __name__ == "__main__":
    main()
