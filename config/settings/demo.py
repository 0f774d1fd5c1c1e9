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
EDUGOV["DISTRICT_NAME"] = EDUGOV["DISTRICT_NAME"] or "江州区教育委员会"  # the demo district's bureau
# The demo's ledger and its one witness, the city bureau (示范市教育局): a witness folder beside the
# data directory, not in it, so that rolling back var/ leaves the witness's memory standing.
EDUGOV["AUDIT_ORIGIN"] = env("EDUGOV_AUDIT_ORIGIN", "demo.edugov.invalid/district-ledger")
DEMO_WITNESS_DIR = env("EDUGOV_DEMO_WITNESS_DIR", str(VAR_DIR.parent / f"{VAR_DIR.name}-witness"))
EDUGOV["AUDIT_WITNESSES"] = EDUGOV["AUDIT_WITNESSES"] or [{"label": "示范市教育局", "dir": DEMO_WITNESS_DIR}]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
CELERY_TASK_ALWAYS_EAGER = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
