"""Issue 24: a test module never imports another test module (their fixtures would be defined twice
and their helpers tangled); shared fixtures live in `fixtures.py` modules registered in the root
conftest, shared helpers in `support.py` modules."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMPORT = re.compile(r"^\s*from\s+(?:\.|[\w.]*\.)test_\w+\s+import|^\s*import\s+[\w.]*\.test_\w+", re.M)


def test_no_test_module_imports_another():
    found = [str(p.relative_to(ROOT)) for p in sorted([*ROOT.glob("edugov/**/tests/*.py"), *ROOT.glob("tests/**/*.py")])
             if IMPORT.search(p.read_text(encoding="utf-8"))]
    assert found == []
