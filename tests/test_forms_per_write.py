"""Issue 24, one form per write: a page hands what was posted to a Django form (bound with
`request.POST`/`request.FILES`) and the form's cleaned data to the action, through
`kernel.forms.submit`; it never reads a posted value by hand, and never dispatches on a `step`,
`transition` or `what` field (each write has its own URL). This reads the pages' source.

When the scan was written (2026-12-01) the pages read 287 posted values by hand in eight modules;
every page module is now held at none."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "edugov"
OUTER = ("views.py", "api.py", "open311.py")
BOUND = re.compile(r"\w*(?:Form|FormSet|form_class)\((?:[\w.]+,\s*)?request\.POST(?: or None)?"
                   r"(?:\s*,\s*request\.FILES(?: or None)?)?")
HAND = re.compile(r"request\.(?:POST|FILES)\b|\bpost\.(?:get|getlist)\(|\bpost\[")

def hand_reads(root: Path = ROOT) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted(root.rglob("*.py")):
        if path.name not in OUTER or "tests" in path.parts:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            rest = BOUND.sub("", line)
            if HAND.search(rest):
                found.setdefault(str(path.relative_to(root)), []).append(f"{n}: {line.strip()[:100]}")
    return found


def test_no_page_reads_a_posted_value_by_hand():
    found = hand_reads()
    assert not found, ("posted values read by hand (bind a form and use kernel.forms.submit):\n"
                       + "\n".join(f"{m}:\n  " + "\n  ".join(v) for m, v in found.items()))


def test_no_page_dispatches_on_a_posted_field():
    dispatch = re.compile(r"""(?:POST|post|data)\.get\(\s*["'](?:step|transition|what|do)["']""")
    pages = [p for p in ROOT.rglob("*.py") if p.name in OUTER and "tests" not in p.parts]
    assert len(pages) >= 12
    for path in pages:
        assert not dispatch.search(path.read_text(encoding="utf-8")), path


def test_no_template_posts_a_step_name_as_a_field():
    """The step is the URL: no form carries a hidden `transition`, `step`, `what` or `do`."""
    hidden = re.compile(r"""name=["'](?:transition|step|what|do)["']""")
    offenders = [str(p.relative_to(ROOT)) for p in ROOT.rglob("*.html") if hidden.search(p.read_text(encoding="utf-8"))]
    assert not offenders, offenders


def test_the_scan_tells_a_bound_form_from_a_hand_read(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "views.py").write_text(
        "form = ClassForm(request.POST, request.FILES, prefix='c')\n"
        "step = request.POST.get('step')\n"
        "x = post.get('on')\n")
    assert hand_reads(tmp_path) == {"x/views.py": ["2: step = request.POST.get('step')", "3: x = post.get('on')"]}
