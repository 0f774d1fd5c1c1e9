"""Shared set-up for `make bench`: a fresh PostgreSQL database, Django, and the BENCH line format.

Every benchmark measures edugov and its baseline in the same run and prints
`BENCH <name> <figure>=<value> ... ratio=<x> baseline=<what>` with a larger ratio being better."""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
BENCH_DB = os.environ.get("EDUGOV_BENCH_DB", "edugov_bench")
_results: list[dict[str, Any]] = []


def setup_django(fresh: bool = True) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ.setdefault("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{BENCH_DB}")
    if fresh:
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    import django

    django.setup()
    from django.conf import settings

    settings.EDUGOV["AUDIT_INTEGRATE_ON_COMMIT"] = False
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def timeit(fn: Callable[[], Any], repeat: int = 5) -> float:
    """Median wall time of `repeat` runs, in seconds."""
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def report(name: str, ratio: float, baseline: str, **figures: float | int | str) -> None:
    parts = " ".join(f"{k}={_fmt(v)}" for k, v in figures.items())
    print(f"BENCH {name} {parts} ratio={ratio:.3f} baseline={baseline}", flush=True)
    _results.append({"name": name, "ratio": round(ratio, 4), "baseline": baseline,
                     **figures})


def _fmt(v: float | int | str) -> str:
    if isinstance(v, float):
        return f"{v:.4g}"
    return str(v)


def save(path: Path | None = None) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    target = path or RESULTS / "latest.json"
    existing: dict[str, Any] = {}
    if target.exists():
        try:
            existing = {r["name"]: r for r in json.loads(target.read_text()).get("results", [])}
        except (ValueError, KeyError):
            existing = {}
    for r in _results:
        existing[r["name"]] = r
    target.write_text(json.dumps({"generated_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                                  "machine": {"cores": os.cpu_count()},
                                  "results": list(existing.values())}, indent=2, ensure_ascii=False))


def start_gunicorn(env: dict[str, str], port: int) -> Any:
    """gunicorn serving edugov (4 workers × 4 threads, the benchmark settings) on loopback, once
    its health check answers; the caller terminates it."""
    import http.client
    import subprocess

    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "benchmarks.benchsettings_wsgi:application",
                               "--bind", f"127.0.0.1:{port}", "--workers", "4", "--threads", "4", "-k", "gthread",
                               "--log-level", "error"], env=env, cwd=ROOT)
    for _ in range(100):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/healthz")
            if c.getresponse().status == 200:
                break
        except OSError:
            time.sleep(0.2)
    return server


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat(pid: int) -> tuple[str, int, list[int]] | None:
    """(command, parent, [utime, stime, cutime, cstime] in ticks) of a process, from /proc."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    comm = raw[raw.index("(") + 1:raw.rindex(")")]
    fields = raw[raw.rindex(")") + 2:].split()
    return comm, int(fields[1]), [int(x) for x in fields[11:15]]


def server_cpu_seconds(gunicorn_pid: int) -> float:
    """CPU time spent so far by the server side: the gunicorn master and its workers, and every
    PostgreSQL process (backends, WAL writer, checkpointer …), read from /proc. Processes that
    have exited count through their parent's cutime/cstime (a restarted worker, a closed backend),
    so the difference between two readings is what the server spent in between, whatever the load
    generator beside it on the same cores did. The clients' own CPU is not in it."""
    ticks = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        got = _stat(int(entry.name))
        if got is None:
            continue
        comm, parent, (utime, stime, cutime, cstime) = got
        pid = int(entry.name)
        if pid == gunicorn_pid:
            ticks += utime + stime + cutime + cstime
        elif parent == gunicorn_pid:
            ticks += utime + stime
        elif comm == "postgres" or comm.startswith("postgres:"):
            parent_comm = (_stat(parent) or ("", 0, []))[0]
            ticks += utime + stime + (0 if parent_comm == "postgres" else cutime + cstime)
    return ticks / _TICK


def run_clients(count: int, client: Callable[[int], None]) -> float:
    """Run `client(0)` … `client(count - 1)` in as many threads at once; the wall time until all end."""
    import threading

    threads = [threading.Thread(target=client, args=(n,)) for n in range(count)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - t0
