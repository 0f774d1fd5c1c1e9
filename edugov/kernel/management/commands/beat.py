"""`edugov beat`: Celery beat, run once in a deployment however many machines start it.

Every machine of a city's deployment may run this command (docs/operations.md, "A city on several
machines"); one holds the lock in Redis, the broker beat needs anyway, and runs the schedule, the
others wait for the lock. The holder renews it every few seconds; if it cannot (Redis restarted,
the machine stalled), it stops at once, so that two schedules never run side by side, and its
service manager starts it again to wait. Two beats would send every reminder twice: a lock is the
only guard, since the scheduled tasks are idempotent but their messages are not free.
Celery itself has no such lock (celery/celery#251); RedBeat adds one but also replaces the
schedule's storage, which this project keeps in settings."""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

LOCK_KEY = "edugov:beat:lock"
TTL_SECONDS = 30
RENEW_SECONDS = 5

# Renewed only by its holder: compare the token, then extend (atomic in Redis).
_RENEW = """if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('expire', KEYS[1], ARGV[2]) else return 0 end"""


class Command(BaseCommand):
    help = "Run Celery beat under a lock in Redis: one schedule in a deployment however many machines start it."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--schedule", default=str(settings.VAR_DIR / "celerybeat-schedule"),
                            help="beat's state file (local to this machine)")
        parser.add_argument("--loglevel", default="INFO")

    def handle(self, *args: Any, **options: Any) -> None:
        import redis

        Path(options["schedule"]).parent.mkdir(parents=True, exist_ok=True)  # a fresh machine has no var/ yet
        client = redis.Redis.from_url(str(settings.CELERY_BROKER_URL), socket_connect_timeout=2, socket_timeout=2)
        token = f"{socket.gethostname()}:{os.getpid()}:{time.time_ns()}"
        waited = False
        while True:
            try:
                if client.set(LOCK_KEY, token, nx=True, ex=TTL_SECONDS):
                    break
            except redis.RedisError as exc:
                self.stderr.write(f"beat: Redis does not answer ({exc.__class__.__name__}); trying again")
            if not waited:
                self.stdout.write("beat: another machine runs the schedule; waiting for its lock", ending="\n")
                self.stdout.flush()
                waited = True
            time.sleep(RENEW_SECONDS)
        self.stdout.write(f"beat: lock held by {token}; running the schedule")
        self.stdout.flush()
        renew = client.register_script(_RENEW)

        def keep() -> None:
            while True:
                time.sleep(RENEW_SECONDS)
                try:
                    held = renew(keys=[LOCK_KEY], args=[token, TTL_SECONDS])
                except redis.RedisError:
                    held = 0
                if not held:
                    # Lost (or unknowable): stop now rather than risk a second schedule beside the new holder.
                    os.write(2, b"beat: the lock is lost; stopping\n")
                    os._exit(3)

        threading.Thread(target=keep, name="beat-lock", daemon=True).start()
        from config.celery import app

        app.Beat(schedule=options["schedule"], loglevel=options["loglevel"]).run()
