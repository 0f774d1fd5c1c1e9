"""`edugov backup` / `edugov restore`: one file holding a consistent copy of the database, the
attachments and (sealed with a passphrase) the keys; restored onto an empty database, the ledger
must verify.

Consistency: the database is dumped first (one snapshot), the attachments copied after it. An
attachment is written before its row commits and never changed (names are content hashes), so
every row of the dump finds its file; a file newer than the dump is at worst unused."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.conf import settings
from django.db import connection

from . import signing

FORMAT = "edugov-backup/1"
PASSPHRASE_ENV = "EDUGOV_BACKUP_PASSPHRASE"  # noqa: S105 - the variable's name, not a secret


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (apt-get install postgresql-client)")
    return path


def _pg_env() -> dict[str, str]:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    env.update({k: str(v) for k, v in (("PGHOST", db.get("HOST")), ("PGPORT", db.get("PORT")),
                                       ("PGUSER", db.get("USER")), ("PGPASSWORD", db.get("PASSWORD")),
                                       ("PGDATABASE", db.get("NAME"))) if v})
    return env


def _seal(data: bytes, passphrase: str) -> bytes:
    """scrypt(passphrase) → AES-256-GCM; the salt and nonce travel with the ciphertext."""
    salt, nonce = os.urandom(16), os.urandom(12)
    key = Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(passphrase.encode("utf-8"))
    return b"EGK1" + salt + nonce + AESGCM(key).encrypt(nonce, data, b"edugov-backup-keys")


def _unseal(blob: bytes, passphrase: str) -> bytes:
    if not blob.startswith(b"EGK1"):
        raise BackupError("the keys file is not an edugov sealed keys file")
    salt, nonce, body = blob[4:20], blob[20:32], blob[32:]
    key = Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(passphrase.encode("utf-8"))
    try:
        return AESGCM(key).decrypt(nonce, body, b"edugov-backup-keys")
    except Exception:  # InvalidTag: a wrong passphrase or a damaged file, indistinguishably
        raise BackupError(f"the keys cannot be opened: wrong {PASSPHRASE_ENV} or a damaged file") from None


def _keys() -> dict[str, Any]:
    """The keys a restored site needs. The tree-signing key's private half stays out of backups in
    production (issue 23): whoever holds a backup could otherwise re-sign a rewritten history. Its
    public halves (current and retired) go in, so the restore can verify; the demo, whose key lives
    in var/ anyway, keeps it whole."""
    keyfile = Path(settings.EDUGOV["SIGNING_KEY_FILE"])
    pems = {p.name: p.read_text() for p in keyfile.parent.glob("*.pub.pem")} if keyfile.parent.exists() else {}
    if keyfile.exists():
        pems[f"{signing.key_id()}.pub.pem"] = signing.public_key_pem()
    whole = bool(settings.EDUGOV.get("DEMO")) and keyfile.exists()
    if whole:
        pems[keyfile.name] = keyfile.read_text()
    return {"SECRET_KEY": settings.SECRET_KEY, "EDUGOV_DATA_KEYS": settings.EDUGOV["DATA_KEYS"],
            "EDUGOV_INDEX_KEY": settings.EDUGOV["INDEX_KEY"], "signing_key_file": keyfile.name if whole else "",
            "pem_files": pems}


def backup(out: Path, passphrase: str | None) -> dict[str, Any]:
    """Write the backup file; returns its manifest."""
    from edugov.audit import ledger

    ledger.integrate()
    head = ledger.latest_head()
    out = out.resolve()
    with tempfile.TemporaryDirectory(prefix="edugov-backup-") as tmp:
        work = Path(tmp)
        parts: list[Path] = []
        if connection.vendor == "postgresql":
            db_file = work / "database.dump"
            # our own arguments and the configured database: no untrusted input reaches the command
            done = subprocess.run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",  # noqa: S603
                                   f"--file={db_file}"], env=_pg_env(), capture_output=True, text=True)
            if done.returncode:
                raise BackupError(f"pg_dump failed: {done.stderr.strip()[:300]}")
        elif connection.vendor == "sqlite":
            db_file = work / "database.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(db_file)
            connection.connection.backup(target)  # SQLite's online backup: one consistent copy
            target.close()
        else:
            raise BackupError(f"backups of {connection.vendor} databases are not supported")
        parts.append(db_file)
        media = Path(settings.MEDIA_ROOT)
        media_tar = work / "media.tar"
        with tarfile.open(media_tar, "w") as tar:
            if media.exists():
                tar.add(media, arcname="media")
        parts.append(media_tar)
        if passphrase:
            keys = work / "keys.sealed"
            keys.write_bytes(_seal(json.dumps(_keys()).encode("utf-8"), passphrase))
            parts.append(keys)
        manifest = {"format": FORMAT, "created_at": dt.datetime.now(dt.UTC).isoformat(), "database": connection.vendor,
                    "ledger": {"tree_size": head.tree_size if head else 0, "root": head.root_hash if head else ""},
                    "keys_included": bool(passphrase), "files": {p.name: _sha256(p) for p in parts}}
        (work / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        partial = out.with_name(out.name + ".partial")
        with tarfile.open(partial, "w") as tar:
            for p in [work / "manifest.json", *parts]:
                tar.add(p, arcname=p.name)
        partial.replace(out)  # a backup file exists only when complete
    return manifest


def _database_is_empty() -> bool:
    tables = connection.introspection.table_names()
    return not tables


def restore(archive: Path, passphrase: str | None, keys_out: Path | None) -> dict[str, Any]:
    """Restore onto an empty database and an empty attachment store. Returns the manifest."""
    if not archive.exists():
        raise BackupError(f"no such file: {archive}")
    if not tarfile.is_tarfile(archive):
        raise BackupError("this is not an edugov backup file (not a tar archive)")
    with tarfile.open(archive, "r") as tar, tempfile.TemporaryDirectory(prefix="edugov-restore-") as tmp:
        work = Path(tmp)
        names = set(tar.getnames())
        if "manifest.json" not in names:
            raise BackupError("this is not an edugov backup file (no manifest.json)")
        tar.extractall(work, filter="data")
        manifest = json.loads((work / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT:
            raise BackupError(f"unknown backup format {manifest.get('format')!r}")
        for name, digest in manifest["files"].items():
            if not (work / name).exists() or _sha256(work / name) != digest:
                raise BackupError(f"{name} in the backup is damaged (its SHA-256 differs from the manifest)")
        if manifest["database"] != connection.vendor:
            raise BackupError(f"the backup holds a {manifest['database']} database; DATABASE_URL points at "
                              f"{connection.vendor}")
        if not _database_is_empty():
            raise BackupError("the target database is not empty: create an empty one and point DATABASE_URL at it")
        media = Path(settings.MEDIA_ROOT)
        if media.exists() and any(media.iterdir()):
            raise BackupError(f"the attachment store {media} is not empty")
        if manifest.get("keys_included"):
            if not passphrase:
                raise BackupError(f"the keys are sealed: set {PASSPHRASE_ENV}")
            keys = json.loads(_unseal((work / "keys.sealed").read_bytes(), passphrase))
        else:
            keys = None
        if connection.vendor == "postgresql":
            done = subprocess.run([_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",  # noqa: S603
                                   f"--dbname={settings.DATABASES['default']['NAME']}", str(work / "database.dump")],
                                  env=_pg_env(), capture_output=True, text=True)
            if done.returncode:
                raise BackupError(f"pg_restore failed: {done.stderr.strip()[:300]}")
        else:
            connection.close()
            shutil.copyfile(work / "database.sqlite3", settings.DATABASES["default"]["NAME"])
        media.mkdir(parents=True, exist_ok=True)
        with tarfile.open(work / "media.tar") as inner:
            for member in inner.getmembers():
                if member.name == "media" or not member.name.startswith("media/"):
                    continue
                member.name = member.name[len("media/"):]
                inner.extract(member, media, filter="data")
        if keys is not None and keys_out is not None:
            _write_keys(keys, keys_out)
            manifest["signing_key_file"] = keys["signing_key_file"]
    connection.close()  # the next query sees the restored tables
    return manifest


def _write_keys(keys: dict[str, Any], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True, mode=0o700)
    env = "".join(f"{k}={v}\n" for k, v in keys.items() if k.isupper())
    env_file = out / "keys.env"
    signing_line = (f"EDUGOV_SIGNING_KEY_FILE={out / keys['signing_key_file']}\n" if keys.get("signing_key_file") else
                    "# EDUGOV_SIGNING_KEY_FILE: the signing key is not in backups; point to it where it lives\n")
    env_file.write_text(env + signing_line, encoding="utf-8")
    env_file.chmod(0o600)
    for name, pem in keys["pem_files"].items():
        path = out / name
        path.write_text(pem, encoding="utf-8")
        path.chmod(0o600)


def summary(manifest: dict[str, Any]) -> str:
    size = sum(1 for _ in manifest["files"])
    return (f"{manifest['database']} database, ledger {manifest['ledger']['tree_size']} entries "
            f"(root {manifest['ledger']['root'][:16]}…), {size} parts, keys "
            f"{'sealed inside' if manifest['keys_included'] else 'NOT included'}")


