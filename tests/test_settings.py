"""Production refuses to start without real keys, with one line saying which is missing."""

import base64
import os
import subprocess
import sys

import pytest

KEY = base64.b64encode(os.urandom(32)).decode()


def start(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SECRET_KEY", "EDUGOV_", "DJANGO_"))}
    clean.update({"DJANGO_SETTINGS_MODULE": "config.settings.production", "DATABASE_URL": "sqlite:///:memory:", **env})
    return subprocess.run([sys.executable, "-m", "edugov", "check"], capture_output=True, text=True, env=clean,
                          timeout=120, check=False)


@pytest.mark.parametrize("env, missing", [
    ({}, "SECRET_KEY"),
    ({"SECRET_KEY": "demo-abc"}, "SECRET_KEY"),
    ({"SECRET_KEY": "x" * 60}, "EDUGOV_DATA_KEYS"),
    ({"SECRET_KEY": "x" * 60, "EDUGOV_DATA_KEYS": f"k1:{KEY}"}, "EDUGOV_INDEX_KEY"),
])
def test_production_names_the_missing_key(env, missing):
    r = start(**env)
    assert r.returncode == 2
    assert r.stderr.strip() == f"edugov: production settings need {missing} in the environment"


def test_production_starts_with_all_keys():
    r = start(SECRET_KEY="x" * 60, EDUGOV_DATA_KEYS=f"k1:{KEY}", EDUGOV_INDEX_KEY=KEY)
    assert r.returncode == 0, r.stderr
