"""Tests: PostgreSQL when DATABASE_URL points at it (CI), else SQLite; fresh random keys each run."""

import base64
import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import EDUGOV

SECRET_KEY = "test-only-" + base64.b64encode(os.urandom(24)).decode()
# A test's own subprocess (e.g. a restore) may be handed the keys through the environment.
EDUGOV["DATA_KEYS"] = os.environ.get("EDUGOV_DATA_KEYS") or "t1:" + base64.b64encode(os.urandom(32)).decode()
EDUGOV["INDEX_KEY"] = os.environ.get("EDUGOV_INDEX_KEY") or base64.b64encode(os.urandom(32)).decode()
_tmp = tempfile.mkdtemp(prefix="edugov-test-")
EDUGOV["SIGNING_KEY_FILE"] = os.environ.get("EDUGOV_SIGNING_KEY_FILE") or os.path.join(_tmp, "tree-signing.pem")
EDUGOV["DOCUMENT_SIGNING"] = {name: os.path.join(_tmp, f"document-{name.lower()}.pem")
                              for name in ("KEY_FILE", "CERT_FILE", "CHAIN_FILE")}
EDUGOV["DEMO"] = True
MEDIA_ROOT = Path(os.environ.get("EDUGOV_MEDIA_ROOT") or Path(_tmp) / "media")
STATIC_ROOT = Path(_tmp) / "static"
os.makedirs(STATIC_ROOT, exist_ok=True)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher",
                    "django.contrib.auth.hashers.Argon2PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
ALLOWED_HOSTS = ["*"]

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A file, not :memory:, so `edugov` subprocesses in tests see the same test database.
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(_tmp, "test.sqlite3")}  # noqa: F405
# Limits far above what any test does; the tests of the limits themselves set their own.
EDUGOV["RATE_LIMITS"] = dict.fromkeys(EDUGOV["RATE_LIMITS"], "100000/h")
