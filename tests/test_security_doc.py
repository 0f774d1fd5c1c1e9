"""docs/security.md names, for each control, the test that proves it: every test it names exists
(a renamed or deleted test fails here, so the page stays true)."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _tests_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")}


def test_every_test_the_security_page_names_exists():
    text = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    named = 0
    last_file = None
    seen: dict[str, Path] = {}  # a short name (test_signin.py) refers to the full path named before it
    for ref in re.findall(r"`([\w/.]+\.py)?(?:::)?(test_\w+)?`", text):
        path, test = ref
        if path:
            full = ROOT / path if "/" in path else seen.get(path)
            assert full is not None and full.exists(), f"docs/security.md names {path}, which does not exist"
            seen[full.name] = full
            last_file = full
        if test:
            assert last_file is not None, f"{test}: name its file first"
            assert test in _tests_in(last_file), f"docs/security.md names {test}, not in {last_file.relative_to(ROOT)}"
            named += 1
    assert named >= 20
