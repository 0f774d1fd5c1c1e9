"""Soak (issue 11): mixed traffic for BENCH_SOAK_SECONDS (default 600) at a steady rate against
gunicorn with production settings and PostgreSQL: public pages, Open311 submissions, tracking by
query code and a staff page. Reported: requests served per second against the target rate (the
ratio), errors, lost submissions, and the web workers' memory at the start and the end."""

from __future__ import annotations

import http.client
import os
import random
import re
import subprocess
import sys
import threading
import time
import urllib.parse

from bench_intake import ROOT, _env, setup
from harness import report, save, start_gunicorn

SECONDS = int(os.environ.get("BENCH_SOAK_SECONDS", "600"))
TARGET_RPS = float(os.environ.get("BENCH_SOAK_RPS", "40"))
CLIENTS = 8
PORT = int(os.environ.get("BENCH_SOAK_PORT", "8792"))


def _rss_kb(pid: int) -> int:
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    total = 0
    for child in children:
        try:
            with open(f"/proc/{child}/status") as fh:
                total += next(int(line.split()[1]) for line in fh if line.startswith("VmRSS:"))
        except (OSError, StopIteration):
            pass
    return total


def main() -> None:
    env = _env()
    category, key = setup(env).split("|")
    subprocess.run([sys.executable, "-c", "import django; django.setup()\n"
                    "from edugov.accounts.actions import staff_create\nfrom edugov.accounts.models import Organisation\n"
                    "staff_create(actor=None, username='soak', full_name='soak', password='Soak-pass-2024', "
                    "grants=[('supervision_staff', Organisation.objects.get(code='BX-sup'))])"],
                   env=env, cwd=ROOT, check=True, capture_output=True)
    server = start_gunicorn(env, PORT)
    stats = {"ok": 0, "errors": 0, "accepted": 0}
    codes: list[str] = []
    lock = threading.Lock()
    try:
        rss_start = _rss_kb(server.pid)
        end = time.time() + SECONDS
        interval = CLIENTS / TARGET_RPS

        def client(n: int) -> None:
            rng = random.Random(n)
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
            conn.request("GET", "/accounts/login/")
            resp = conn.getresponse()
            body = resp.read().decode()
            cookie = "; ".join(c.split(";")[0] for c in resp.headers.get_all("Set-Cookie") or [])
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
            conn.request("POST", "/accounts/login/", urllib.parse.urlencode(
                {"csrfmiddlewaretoken": token, "username": "soak", "password": "Soak-pass-2024"}),
                {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie,
                 "Referer": f"http://127.0.0.1:{PORT}/accounts/login/"})
            resp = conn.getresponse()
            resp.read()
            staff_cookie = "; ".join(c.split(";")[0] for c in resp.headers.get_all("Set-Cookie") or []) or cookie
            i = 0
            while time.time() < end:
                started = time.time()
                pick = rng.random()
                headers: dict[str, str] = {}
                if pick < 0.4:
                    method, path, body_ = "GET", rng.choice(["/complaints/new/", "/draws/", "/enforcement/results/",
                                                             "/reports/public/"]), None
                elif pick < 0.6:
                    method, path = "POST", "/open311/v2/requests.json"
                    body_ = urllib.parse.urlencode({"api_key": key, "service_code": category, "address_string": "基准小学",
                                                    "description": f"浸泡测试 {n}-{i}"})
                    headers = {"Content-Type": "application/x-www-form-urlencoded"}
                elif pick < 0.8 and codes:  # an Open311 client following its requests
                    # as the specification's clients do: by the ids it was given, or the newest page
                    ids = [m.group(1) for c in codes[-20:] if (m := re.search(r'"service_request_id": ?"?(\d+)', c))]
                    query = f"service_request_id={','.join(ids)}" if ids and i % 2 else "page_size=50"
                    method, path = "GET", f"/open311/v2/requests.json?jurisdiction_id=BX&{query}"
                    body_ = None
                else:
                    method, path, body_ = "GET", "/cases/?view=all", None
                    headers = {"Cookie": staff_cookie}
                try:
                    conn.request(method, path, body_, headers)
                    resp = conn.getresponse()
                    data = resp.read()
                    good = 200 <= resp.status < 300
                except OSError:
                    good, data = False, b""
                    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
                with lock:
                    stats["ok" if good else "errors"] += 1
                    if good and path.startswith("/open311/v2/requests.json") and method == "POST":
                        stats["accepted"] += 1
                        codes.append(data.decode()[:200])
                i += 1
                time.sleep(max(0.0, interval - (time.time() - started)))

        samples: list[int] = []

        def sample() -> None:  # the workers' memory every 10 s; "flat" is judged after the warm-up quarter
            while time.time() < end:
                samples.append(_rss_kb(server.pid))
                time.sleep(10)

        threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
        threads.append(threading.Thread(target=sample))
        t0 = time.time()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.time() - t0
        rss_end = _rss_kb(server.pid)
        warm = samples[len(samples) // 4] if samples else rss_start
    finally:
        server.terminate()
        server.wait(timeout=30)
    stored = int(subprocess.run([sys.executable, "-c", "import django; django.setup()\n"
                                 "from edugov.petitions.models import Petition\n"
                                 "print(Petition.objects.filter(channel='open311').count())"],
                                env=env, cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()[-1])
    served = stats["ok"] / elapsed
    report("soak_mixed", served / TARGET_RPS, f"the target rate of {TARGET_RPS:g} requests/s",
           seconds=round(elapsed), served_per_s=served, errors=stats["errors"],
           lost=stats["accepted"] - stored, rss_start_mb=rss_start / 1024, rss_warm_mb=warm / 1024,
           rss_end_mb=rss_end / 1024, rss_growth_after_warmup_pct=100 * (rss_end - warm) / max(1, warm))
    save()


if __name__ == "__main__":
    main()
