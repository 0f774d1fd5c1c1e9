"""Issue 21: every write goes through an action (which records it in the ledger in the same
transaction). Views, API, admin and task modules hold no model write of their own: this reads
their source and fails on `.save()`, `.delete()`, `.objects.create/update/get_or_create/
update_or_create/bulk_*` and a queryset's `.update()`/`.delete()`. A form's or a workbook's
`.save()` is not a model write; neither is Django's own admin machinery called through `super()`."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "edugov"
OUTER = ("views.py", "api.py", "admin.py", "tasks.py", "open311.py")
WRITES = {"save", "delete", "create", "update", "get_or_create", "update_or_create", "bulk_create", "bulk_update"}
# Receivers whose .save() is not a model write: forms, workbooks, images, files, sessions.
NOT_MODELS = ("form", "formset", "wb", "workbook", "book", "img", "image", "buf", "buffer", "doc", "document",
              "session", "response", "zf", "zip")


def _receiver(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_receiver(node.value)}.{node.attr}"
    if isinstance(node, ast.Call):
        return _receiver(node.func) + "()"
    if isinstance(node, ast.Subscript):
        return _receiver(node.value) + "[]"
    return type(node).__name__


def _writes(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in WRITES):
            continue
        receiver = _receiver(node.func.value)
        last = receiver.rsplit(".", 1)[-1].rstrip("()[]").lower()
        if receiver.startswith("super()") or last in NOT_MODELS or last.endswith(("form", "formset")):
            continue
        if node.func.attr in ("save", "delete") or ".objects" in receiver or "filter(" in receiver \
                or receiver.endswith(("objects", "_set", "()")):
            found.append(f"{path.relative_to(ROOT.parent)}:{node.lineno} {receiver}.{node.func.attr}()")
    return found


def test_views_api_admin_and_tasks_write_only_through_actions():
    modules = [p for p in ROOT.rglob("*.py") if p.name in OUTER and "tests" not in p.parts]
    assert len(modules) > 20, "the scan is not finding the modules"
    found = [w for p in sorted(modules) for w in _writes(p)]
    assert not found, "model writes outside actions:\n" + "\n".join(found)


def test_the_scan_finds_a_write_when_there_is_one(tmp_path):
    bad = tmp_path / "views.py"
    bad.write_text("def v(request, petition):\n    petition.result = 'x'\n    petition.save()\n"
                   "    Petition.objects.filter(pk=1).update(result='y')\n    form.save()\n", encoding="utf-8")
    global ROOT
    saved, ROOT = ROOT, tmp_path.parent
    try:
        found = _writes(bad)
    finally:
        ROOT = saved
    assert len(found) == 2 and "petition.save()" in found[0] and "update()" in found[1]
