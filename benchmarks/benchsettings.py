"""Settings for the intake benchmark's server: production settings, plain HTTP on loopback, and
one extra URL (the bare one-row baseline) that never exists outside `make bench`."""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "benchmarks.bench_urls"
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# Every benchmark client comes from 127.0.0.1: the per-address limits would measure the limiter.
EDUGOV["RATE_LIMITS"] = dict.fromkeys(EDUGOV["RATE_LIMITS"], "10000000/h")  # noqa: F405
