"""The README and the docs as tests: every `edugov …` command a reader is told to type is run as
written against a copy of the demo district and must succeed. A command that cannot run in a test
(it serves until stopped, rotates the instance's keys, asks for input, needs production settings)
carries a marker in its Markdown file, `<!-- not-run: `the command` — why -->`, and is skipped by
name; a marker whose command is no longer in the file fails, so markers do not outlive their text."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
INLINE = re.compile(r"`((?:\.venv/bin/)?edugov [^`\n]+)`")
FENCED = re.compile(r"```[a-z]*\n(.*?)```", re.S)
MARKER = re.compile(r"<!-- not-run: `([^`]+)` — ([^>]+?) -->")


def _commands(text: str) -> list[str]:
    found = [m.group(1) for m in INLINE.finditer(text)]
    for block in FENCED.findall(text):
        for line in block.splitlines():
            line = line.split("  #")[0].strip()
            if re.match(r"^(\.venv/bin/)?edugov ", line):
                found.append(line)
    return found


def _documented() -> tuple[dict[str, list[str]], dict[str, dict[str, str]]]:
    commands: dict[str, list[str]] = {}
    markers: dict[str, dict[str, str]] = {}
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        name = str(path.relative_to(ROOT))
        markers[name] = {m.group(1): m.group(2).strip() for m in MARKER.finditer(text)}
        commands[name] = sorted(set(_commands(MARKER.sub("", text))))
    return commands, markers


def test_every_marker_names_a_command_of_its_file_and_says_why():
    commands, markers = _documented()
    stale = [(f, c) for f, ms in markers.items() for c in ms if c not in commands[f]]
    assert stale == [], "markers whose command is no longer in the file"
    assert all(len(why) >= 10 for ms in markers.values() for why in ms.values())


def _prepare(cwd: Path) -> None:
    """The files the docs tell the reader to fetch first: a published draw's bundle (its page's
    download), an evidence bundle (a case's 证据材料包) with the ledger's public key, and an assignment
    instance (INTERFACES.md)."""
    from edugov.audit import signing
    from edugov.draws.actions import bundle
    from edugov.draws.models import Draw
    from edugov.remedies.models import Challenge

    challenge = Challenge.objects.exclude(bundle="").order_by("pk").first()  # the demo's 2024 answer
    (cwd / "evidence.zip").write_bytes(challenge.bundle.read())
    (cwd / "ledger.pub.pem").write_text(signing.public_key_pem(), encoding="utf-8")
    draw = Draw.objects.filter(draw_id__contains="-ENF-2024-").order_by("pk").first()
    (cwd / "bundle.json").write_text(json.dumps(bundle(draw), ensure_ascii=False), encoding="utf-8")
    (cwd / "instance.json").write_text(json.dumps({
        "students": [{"id": "s1", "preferences": ["a", "b"]}, {"id": "s2", "preferences": ["a"]}],
        "schools": [{"id": "a", "capacity": 1, "priority": ["s2", "s1"]},
                    {"id": "b", "capacity": 1, "priority": ["s1"]}]}), encoding="utf-8")


def test_every_documented_command_runs_as_written(demo, tmp_path, settings):
    commands, markers = _documented()
    _prepare(tmp_path)
    env = {**os.environ, "DATABASE_URL": demo.url, "DJANGO_SETTINGS_MODULE": "config.settings.test",
           "EDUGOV_DATA_KEYS": settings.EDUGOV["DATA_KEYS"], "EDUGOV_INDEX_KEY": settings.EDUGOV["INDEX_KEY"],
           "EDUGOV_SIGNING_KEY_FILE": settings.EDUGOV["SIGNING_KEY_FILE"],
           "EDUGOV_MEDIA_ROOT": str(settings.MEDIA_ROOT), "PYTHONPATH": str(ROOT)}
    # The same command written in several files (`edugov audit verify` in five) runs once, in the
    # order first found; a failure names every file that documents it.
    where: dict[tuple[str, ...], list[str]] = {}
    for name, found in commands.items():
        for command in found:
            if command not in markers[name]:
                where.setdefault(tuple(shlex.split(command)[1:]), []).append(name)
    ran, failed = 0, []
    for args, names in where.items():
        done = subprocess.run([sys.executable, "-m", "edugov", *args], cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=300, stdin=subprocess.DEVNULL)
        ran += 1
        if done.returncode != 0:
            failed.append((", ".join(names), "edugov " + shlex.join(args), done.returncode,
                           (done.stderr or done.stdout)[-400:]))
    assert failed == [], "\n".join(f"{f}: {c} → exit {rc}: {out}" for f, c, rc, out in failed)
    assert ran >= 15, f"only {ran} commands ran: the extraction lost some"
