"""Issue 24: each app's README states its states and boundaries, and they are the code's: every
state and step of every case kind an app registers is named in that app's README, and the apps it
imports from are named in its "Uses" line (read from the imports themselves)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from edugov.cases.workflow import all_workflows

ROOT = Path(__file__).resolve().parents[1] / "edugov"
APPS = sorted(p.parent.name for p in ROOT.glob("*/README.md"))


def _section(app: str) -> str:
    text = (ROOT / app / "README.md").read_text(encoding="utf-8")
    assert "## States and boundaries" in text, f"{app}/README.md has no “States and boundaries” section"
    return text.split("## States and boundaries", 1)[1]


def _imports(app: str) -> set[str]:
    found: set[str] = set()
    for path in (ROOT / app).rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([node.module] if isinstance(node, ast.ImportFrom) and node.module else
                     [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            found |= {n.split(".")[1] for n in names if n.startswith("edugov.") and n.split(".")[1] != app}
    return found


def _owner(kind: str) -> str:
    owners = [a for a in APPS if any(f'kind="{kind}"' in p.read_text(encoding="utf-8")
                                     for p in (ROOT / a).glob("workflow*.py"))]
    assert len(owners) == 1, (kind, owners)
    return owners[0]


def test_every_case_kind_is_described_in_its_apps_readme():
    kinds = list(all_workflows())
    assert len(kinds) >= 12
    for wf in kinds:
        if wf.kind == "testcase":
            continue
        section = _section(_owner(wf.kind))
        missing = [s for s in (*wf.states, *(t.name for t in wf.transitions)) if f"`{s}`" not in section]
        assert f"`{wf.kind}`" in section and not missing, f"{wf.kind}: not in its README: {missing}"


def test_every_readme_names_what_its_app_uses():
    for app in APPS:
        uses = re.search(r"^Uses: (.*?)\. Used by", _section(app), re.M)
        assert uses, f"{app}/README.md: no “Uses: … Used by” line"
        named = set(re.findall(r"`(\w+)`", uses.group(1)))
        assert named == _imports(app), f"{app}: README says it uses {sorted(named)}, the code {sorted(_imports(app))}"
