import os
import subprocess
import sys

import pytest

ENV = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}


def run(*args):
    return subprocess.run([sys.executable, "-m", "edugov", *args], capture_output=True, text=True, env=ENV,
                          timeout=120, check=False)


@pytest.mark.django_db(transaction=True)
def test_calendar_commands_print_dates_and_exit_codes(live_db_url):
    env_url = {"DATABASE_URL": live_db_url}
    ENV.update(env_url)
    r = run("calendar", "deadline", "2024-09-27", "5", "working")
    assert (r.returncode, r.stdout.strip()) == (0, "2024-10-10")
    r = run("calendar", "is-workday", "2024-10-12")
    assert r.stdout.strip() == "yes"
    r = run("calendar", "deadline", "2099-01-05", "3", "working")
    assert r.returncode == 0 and r.stdout.strip() == "2099-01-08" and "provisional" in r.stderr
    r = run("calendar", "deadline", "2024-02-30", "3", "working")
    assert r.returncode == 2 and "ISO date" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    r = run("calendar", "deadline", "2024-02-01", "3", "weeks")
    assert r.returncode == 2
