"""Issue 21: pages, API and Open311 read records only through their app's selectors (access
functions and scoped lists), never by querying the ORM themselves: this reads their source and
fails on `<Model>.objects.…` or `get_object_or_404(`. A new direct query fails it (move it into the
app's selectors.py, where the scope is applied once)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "edugov"
OUTER = ("views.py", "api.py", "open311.py")
READ = re.compile(r"\.objects\.|get_object_or_404\(")



def _direct_queries(root: Path = ROOT) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        if path.name in OUTER and "tests" not in path.parts:
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if READ.search(line):
                    found.append(f"{path.relative_to(root)}:{n}: {line.strip()[:90]}")
    return found


def test_pages_read_only_through_selectors():
    modules = [p for p in ROOT.rglob("*.py") if p.name in OUTER and "tests" not in p.parts]
    assert len(modules) > 15, "the scan is not finding the modules"
    found = _direct_queries()
    assert not found, "direct ORM queries in pages or API (move them into the app's selectors.py):\n" + "\n".join(found)


def test_the_scan_finds_a_direct_query(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "views.py").write_text("def v(request, pk):\n    return Case.objects.get(pk=pk)\n")
    assert _direct_queries(tmp_path) == ["x/views.py:2: return Case.objects.get(pk=pk)"]


def test_each_apps_readme_names_its_access_functions():
    import ast

    missing = []
    for selectors in sorted(ROOT.glob("*/selectors.py")):
        names = [n.name for n in ast.parse(selectors.read_text(encoding="utf-8")).body
                 if isinstance(n, ast.FunctionDef) and n.name.startswith(("access_", "resolve_"))]
        readme = (selectors.parent / "README.md").read_text(encoding="utf-8")
        missing += [f"{selectors.parent.name}: {n}" for n in names if f"`{n}" not in readme]
    assert not missing, "access functions not named in their app's README: " + ", ".join(missing)
