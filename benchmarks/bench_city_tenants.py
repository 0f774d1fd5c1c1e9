"""One district's load and another district's pages (issue 33): a city of 38 districts in one
installation (`edugov democity --districts 38`), gunicorn with production settings over PostgreSQL.
District B's reader (8 clients: its Open311 request list with its key, and the portal's open
government page) is timed alone, then while 24 clients post complaints to district A as fast as they
can, in the same run. Reported: B's median and p99 alone and under A's load, A's accepted rate, and
the server CPU per request of each phase. The ratio is B's median alone over B's median under A's
load (1.0: A's load costs B nothing; on one machine's shared cores it cannot be 1.0, and the figure
says how much). There is no goal: this measures what a district shares with its neighbours."""

from __future__ import annotations

import http.client
import os
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
from bench_intake import _env, _manage, server_database  # noqa: E402
from harness import report, save, server_cpu_seconds, start_gunicorn  # noqa: E402

DISTRICTS = int(os.environ.get("BENCH_CITY_DISTRICTS", "38"))
SECONDS = float(os.environ.get("BENCH_TENANT_SECONDS", "20"))
PORT = int(os.environ.get("BENCH_TENANT_PORT", "8793"))


def setup(env: dict[str, str]) -> tuple[str, str, str]:

    server_database(env)
    _manage(env, "democity", "--districts", str(DISTRICTS), "--schools", "10")
    key_a = _manage(env, "apikey", "create", "--name", "A", "--org", "CD01").strip()
    key_b = _manage(env, "apikey", "create", "--name", "B", "--org", f"CD{DISTRICTS:02d}").strip()
    category = subprocess.run([sys.executable, "-c", "import django; django.setup()\n"
                               "from edugov.petitions.models import Category\n"
                               "from django.db import connection\n"
                               "connection.cursor().execute('CREATE TABLE bench_bare (id bigserial primary key, body text)')\n"
                               "print(Category.objects.get(organisation__code='CD01', name='乱收费').pk)"],
                              env=env, cwd=ROOT, check=True, capture_output=True, text=True).stdout.split()[-1]
    return key_a, key_b, category


def _loop(stop: threading.Event, fn, out: list[float]) -> None:  # type: ignore[no-untyped-def]
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    while not stop.is_set():
        t0 = time.perf_counter()
        try:
            status = fn(conn)
        except OSError:
            status = 0
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        if 200 <= status < 300:
            out.append(time.perf_counter() - t0)


def bare(server_pid: int) -> float:
    """Server CPU per request of the bare one-row view (8 clients), for the CPU figures' baseline."""
    stop = threading.Event()
    times: list[float] = []

    def post(conn: http.client.HTTPConnection) -> int:
        conn.request("POST", "/bench/bare/", urllib.parse.urlencode({"description": secrets.token_hex(8)}),
                     {"Content-Type": "application/x-www-form-urlencoded"})
        resp = conn.getresponse()
        resp.read()
        return resp.status
    threads = [threading.Thread(target=_loop, args=(stop, post, times)) for _ in range(8)]
    cpu0 = server_cpu_seconds(server_pid)
    for t in threads:
        t.start()
    time.sleep(SECONDS / 2)
    stop.set()
    for t in threads:
        t.join()
    return (server_cpu_seconds(server_pid) - cpu0) * 1000 / max(len(times), 1)


def phase(server_pid: int, key_a: str, key_b: str, category: str, load_a: bool) -> dict[str, float]:
    stop = threading.Event()
    b_times: list[float] = []
    a_times: list[float] = []
    n = {"i": 0}

    def read_b(conn: http.client.HTTPConnection) -> int:
        n["i"] += 1
        path = "/open/" if n["i"] % 4 == 0 else f"/open311/v2/requests.json?api_key={key_b}"
        conn.request("GET", path)
        resp = conn.getresponse()
        resp.read()
        return resp.status

    def post_a(conn: http.client.HTTPConnection) -> int:
        form = {"api_key": key_a, "service_code": category, "address_string": "城南某培训点",
                "description": f"收取资料费 {secrets.token_hex(6)}"}
        conn.request("POST", "/open311/v2/requests.json", urllib.parse.urlencode(form),
                     {"Content-Type": "application/x-www-form-urlencoded"})
        resp = conn.getresponse()
        resp.read()
        return resp.status

    threads = [threading.Thread(target=_loop, args=(stop, read_b, b_times)) for _ in range(8)]
    if load_a:
        threads += [threading.Thread(target=_loop, args=(stop, post_a, a_times)) for _ in range(24)]
    cpu0 = server_cpu_seconds(server_pid)
    for t in threads:
        t.start()
    time.sleep(SECONDS)
    stop.set()
    for t in threads:
        t.join()
    cpu = server_cpu_seconds(server_pid) - cpu0
    done = len(b_times) + len(a_times)
    return {"b_median_ms": statistics.median(b_times) * 1000,
            "b_p99_ms": statistics.quantiles(b_times, n=100)[98] * 1000 if len(b_times) >= 100 else max(b_times) * 1000,
            "b_per_s": len(b_times) / SECONDS, "a_per_s": len(a_times) / SECONDS,
            "cpu_ms_per_req": cpu * 1000 / max(done, 1)}


def main() -> None:
    env = {**_env(), "EDUGOV_RATE_LIMITS": '{"open311_write": "1000000/m", "open311_read": "1000000/m"}'}
    key_a, key_b, category = setup(env)
    server = start_gunicorn(env, PORT)
    try:
        phase(server.pid, key_a, key_b, category, load_a=False)  # warm the workers
        alone = phase(server.pid, key_a, key_b, category, load_a=False)
        loaded = phase(server.pid, key_a, key_b, category, load_a=True)
        bare_cpu = bare(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    report(f"city_tenants_{DISTRICTS}", alone["b_median_ms"] / loaded["b_median_ms"],
           "district B's median alone (same server, same run)", districts=DISTRICTS,
           b_median_alone_ms=alone["b_median_ms"], b_p99_alone_ms=alone["b_p99_ms"],
           b_median_loaded_ms=loaded["b_median_ms"], b_p99_loaded_ms=loaded["b_p99_ms"],
           b_per_s_alone=alone["b_per_s"], b_per_s_loaded=loaded["b_per_s"], a_accepted_per_s=loaded["a_per_s"],
           reads_cpu_ms_per_req=alone["cpu_ms_per_req"], cpu_ms_per_req=loaded["cpu_ms_per_req"],
           bare_cpu_ms_per_req=bare_cpu)
    save()


if __name__ == "__main__":
    main()
