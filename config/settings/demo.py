"""The embedded default: SQLite under var/, demo-only keys generated at set-up, tasks eager."""

from edugov.kernel.devkeys import load_or_create_demo_keys

from .base import *  # noqa: F403
from .base import EDUGOV, STATIC_ROOT, VAR_DIR, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY") or load_or_create_demo_keys(VAR_DIR)["secret_key"]
_keys = load_or_create_demo_keys(VAR_DIR)
EDUGOV["DATA_KEYS"] = EDUGOV["DATA_KEYS"] or _keys["data_keys"]
EDUGOV["INDEX_KEY"] = EDUGOV["INDEX_KEY"] or _keys["index_key"]
EDUGOV["DEMO"] = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
CELERY_TASK_ALWAYS_EAGER = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
