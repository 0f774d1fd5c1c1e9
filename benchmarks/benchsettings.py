"""Settings for the intake benchmark's server: production settings, plain HTTP on loopback, and
one extra URL (the bare one-row baseline) that never exists outside `make bench`."""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "benchmarks.bench_urls"
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
