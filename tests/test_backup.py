"""Issue 11: `edugov backup` then `edugov restore` onto an empty database: the ledger verifies,
the encrypted fields read back with the restored keys, the attachments are there, and a damaged
or misdirected restore is refused with a reason and changes nothing."""

import io
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from edugov.accounts.models import Role
from tests.workflow_fixture import TEST_WORKFLOW  # noqa: F401  (registers kind "testcase")

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00"
       b"\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82")


def _edugov(args, env, **kw):
    return subprocess.run([sys.executable, "-m", "edugov", *args], env={**os.environ, **env},
                          capture_output=True, text=True, timeout=120, **kw)


def _empty_database(live_db_url, tmp_path):
    """A second, empty database of the same kind, and a DATABASE_URL for it."""
    if live_db_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'restored.sqlite3'}", lambda: None
    import psycopg

    name = f"edugov_restore_{uuid.uuid4().hex[:8]}"
    admin = live_db_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin.replace("postgres://", "postgresql://"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return live_db_url.rsplit("/", 1)[0] + "/" + name, drop


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_onto_an_empty_database(tree, make_user, live_db_url, tmp_path, monkeypatch):
    from edugov.audit import ledger
    from edugov.cases import actions as engine

    officer = make_user(Role.DEPARTMENT_STAFF, tree.dept)
    case = engine.case_open(actor=officer, kind="testcase", organisation=tree.bureau, department=tree.dept, title="备份测试",
                            contact_name="张三", contact_phone="13812345678")
    engine.case_attach(actor=officer, case=case, upload=SimpleUploadedFile("photo.png", PNG, "image/png"))
    ledger.integrate()
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    verified = out.getvalue().strip()
    assert verified.startswith("OK ")

    monkeypatch.setenv("EDUGOV_BACKUP_PASSPHRASE", "correct horse battery staple")
    backup = tmp_path / "site.backup"
    out = io.StringIO()
    call_command("backup", out=str(backup), stdout=out)
    assert "keys sealed inside" in out.getvalue() and backup.exists()
    with tarfile.open(backup) as tar:  # the keys are inside, but never in the clear
        sealed = tar.extractfile("keys.sealed").read()
    assert settings.EDUGOV["INDEX_KEY"].encode() not in sealed

    target, drop = _empty_database(live_db_url, tmp_path)
    media, keys = tmp_path / "restored-media", tmp_path / "keys"
    env = {"DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": target,
           "EDUGOV_MEDIA_ROOT": str(media), "EDUGOV_BACKUP_PASSPHRASE": "correct horse battery staple"}
    try:
        wrong = _edugov(["restore", str(backup)], {**env, "EDUGOV_BACKUP_PASSPHRASE": "wrong"})
        assert wrong.returncode == 2 and "wrong EDUGOV_BACKUP_PASSPHRASE" in wrong.stderr
        done = _edugov(["restore", str(backup), "--keys-out", str(keys)], env)
        assert done.returncode == 0, done.stderr
        assert verified in done.stdout  # the same tree size and root as before the backup
        again = _edugov(["restore", str(backup)], env)
        assert again.returncode == 2 and "not empty" in again.stderr  # never over live data
        # the restored site reads its encrypted fields with the restored keys, and has the file
        restored_keys = dict(line.split("=", 1) for line in (keys / "keys.env").read_text().splitlines())
        check = _edugov(["shell", "-c", (
            "from edugov.cases.models import Case; c = Case.objects.get(title='备份测试'); "
            "a = c.attachments.get(); print(c.contact_phone, a.file.size)")],
            {**env, **{k: restored_keys[k] for k in ("EDUGOV_DATA_KEYS", "EDUGOV_INDEX_KEY")}})
        assert check.stdout.strip().splitlines()[-1].split() == ["13812345678", str(len(PNG))], check.stderr
        assert (keys / "keys.env").stat().st_mode & 0o777 == 0o600
    finally:
        drop()


def test_a_damaged_backup_is_refused(tmp_path, live_db_url):
    bad = tmp_path / "bad.backup"
    bad.write_bytes(b"not a backup")
    done = _edugov(["restore", str(bad)], {"DJANGO_SETTINGS_MODULE": "config.settings.test",
                                          "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
    assert done.returncode == 2 and "not an edugov backup file" in done.stderr
    manifest_only = tmp_path / "m.backup"
    with tarfile.open(manifest_only, "w") as tar:
        data = b'{"format": "edugov-backup/1", "files": {"database.dump": "00"}, "database": "sqlite"}'
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    done = _edugov(["restore", str(manifest_only)], {"DJANGO_SETTINGS_MODULE": "config.settings.test",
                                                    "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
    assert done.returncode == 2 and "damaged" in done.stderr
    assert not Path(tmp_path / "x.sqlite3").exists() or Path(tmp_path / "x.sqlite3").stat().st_size == 0
