"""Production settings served over plain HTTP on loopback, for the fault tests' own server."""

import os

from config.settings.production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0

# Each test server counts its rate limits apart: its API key has the same id in every fresh
# database, and Redis outlives the server, so a shared prefix let one test's requests count
# against the next one's limit within the same minute.
CACHES["default"]["KEY_PREFIX"] = os.environ.get("EDUGOV_FAULTS_CACHE_PREFIX", "faults")  # noqa: F405
