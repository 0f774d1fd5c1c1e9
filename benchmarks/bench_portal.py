"""The portal under load (issue 10): the home page and a service guide, then the same guide with
the page cache off, against a static file served by the same server (gunicorn with production
settings, WhiteNoise for static files, Redis as the cache), same run, 32 concurrent anonymous
clients with keep-alive. Goal: ratio >= 0.5 for the cached pages (the figure is the slower of home
and guide)."""

from __future__ import annotations

import http.client
import os
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_intake import _env, server_database  # noqa: E402
from harness import report, run_clients, save, start_gunicorn  # noqa: E402

CLIENTS = int(os.environ.get("BENCH_PORTAL_CLIENTS", "32"))
SECONDS = float(os.environ.get("BENCH_PORTAL_SECONDS", "10"))
PORT = int(os.environ.get("BENCH_PORTAL_PORT", "8793"))

SETUP = """
from edugov.accounts.models import Organisation
from edugov.services import catalogue
b = Organisation.objects.create(code="BP", name="基准区教委", kind="bureau", case_prefix="基教")
d = Organisation.objects.create(code="BP-admin", name="行政审批科", kind="department", parent=b)
item = catalogue.item_save(actor=None, bureau=b, materials=[
    {"name": "设立申请表"}, {"name": "场所证明", "commitment_allowed": True}, {"name": "章程"}], values={
    "code": "JY-XK-001", "name": "民办学校设立审批", "item_type": "licence", "legal_basis": "《民办教育促进法》第十二条",
    "department": d, "address": "区政务服务中心二楼", "phone": "023-1", "complaint_phone": "023-2",
    "conditions": "有符合规定的场所、师资和章程", "statutory_days": 20, "promised_days": 10,
    "faq": "需要几次到现场？\\n全程网办，无需到现场。\\n\\n收费吗？\\n不收费。"})
catalogue.item_publish(actor=None, item=item, note="发布")
# a district's published record for the search: 3,000 results and decisions, 400 schools
import datetime as dt
from django.utils import timezone
from edugov.enforcement.models import Publication
from edugov.registries.models import School
now = timezone.now()
kinds = ["艺术", "学科", "体育", "科技", "语言"]
Publication.objects.bulk_create([Publication(
    organisation=b, kind="penalty" if n % 3 else "inspection", title=f"关于某{kinds[n % 5]}培训中心第{n}号的处理决定",
    body="当事人未取得办学许可证擅自开展培训活动，依法责令停止办学并处罚款。" * 3, due_on=now.date(),
    published_at=now - dt.timedelta(hours=n), take_down_on=now.date() + dt.timedelta(days=1825)) for n in range(3000)])
for n in range(400):
    o = Organisation.objects.create(code=f"BPS{n}", name=f"第{n}小学", kind="school", parent=b)
    School.objects.create(organisation=o, name=f"江州区第{n}小学", code=f"BPS{n}", level="primary")
print(item.pk)
"""


def hammer(path: str, seconds: float) -> tuple[float, list[float], int, int]:
    """CLIENTS threads GET `path` over keep-alive connections for `seconds`: (elapsed, latencies,
    200s, errors)."""
    latencies: list[list[float]] = [[] for _ in range(CLIENTS)]
    errors = [0] * CLIENTS
    stop = time.perf_counter() + seconds

    def client(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        while time.perf_counter() < stop:
            t0 = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Accept-Language": "zh-CN"})
                r = conn.getresponse()
                r.read()
                if r.status == 200:
                    latencies[n].append(time.perf_counter() - t0)
                else:
                    errors[n] += 1
            except OSError:
                errors[n] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        conn.close()

    elapsed = run_clients(CLIENTS, client)
    lat = [x for per in latencies for x in per]
    return elapsed, lat, len(lat), sum(errors)


def _rate(result: tuple[float, list[float], int, int]) -> float:
    return result[2] / result[0]


def _p95(lat: list[float]) -> float:
    return statistics.quantiles(lat, n=20)[18] * 1000 if len(lat) >= 20 else max(lat or [0]) * 1000


def main() -> None:

    env = _env()
    server_database(env)
    pk = subprocess.run([sys.executable, "-c", "import django; django.setup()\n" + SETUP], env=env, cwd=ROOT,
                        check=True, capture_output=True, text=True).stdout.split()[-1]
    import redis

    redis.Redis.from_url(env.get("REDIS_URL", "redis://127.0.0.1:6379/1")).flushdb()  # a cold cache to start
    guide = f"/services/items/{pk}/"
    server = start_gunicorn(env, PORT)
    try:
        hammer("/static/edugov/app.css", 2)  # warm the workers
        static = hammer("/static/edugov/app.css", SECONDS)
        home = hammer("/", SECONDS)
        cached = hammer(guide, SECONDS)
        static2 = hammer("/static/edugov/app.css", SECONDS)
        search = hammer("/search/?q=" + urllib.parse.quote("怎么处理无证的艺术培训"), SECONDS)
        initials = hammer("/search/?q=jzqd", SECONDS)
    finally:
        server.terminate()
        server.wait(timeout=30)
    # the guide without the page cache: a signed-in visitor's path, measured with the cache off
    env_nocache = {**env, "EDUGOV_PAGE_CACHE": "off"}
    server = start_gunicorn(env_nocache, PORT)
    try:
        hammer(guide, 2)
        uncached = hammer(guide, SECONDS)
    finally:
        server.terminate()
        server.wait(timeout=30)
    static_rate = max(_rate(static), _rate(static2))
    slower = min(_rate(home), _rate(cached))
    report("portal_pages", slower / static_rate, "a static file served by the same gunicorn (WhiteNoise), same run",
           clients=CLIENTS, static_per_s=static_rate, home_per_s=_rate(home), guide_per_s=_rate(cached),
           guide_uncached_per_s=_rate(uncached), uncached_ratio=_rate(uncached) / static_rate,
           home_p95_ms=_p95(home[1]), guide_p95_ms=_p95(cached[1]), static_p95_ms=_p95(static[1]),
           errors=home[3] + cached[3] + static[3] + uncached[3])
    report("portal_search", _rate(search) / static_rate, "a static file served by the same gunicorn, same run",
           clients=CLIENTS, search_per_s=_rate(search), search_p95_ms=_p95(search[1]),
           initials_per_s=_rate(initials), initials_p95_ms=_p95(initials[1]), records=3400,
           errors=search[3] + initials[3])
    save()


if __name__ == "__main__":
    main()
