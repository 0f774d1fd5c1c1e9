"""Issue 27: the ledger page reads as the bureau speaks: each entry a sentence (who, which kind of
matter, which step), the matter by its 文号, times in Beijing time, the scheduled jobs named as the
system, and a 文号 filter."""

import datetime as dt

import time_machine

from edugov.accounts.models import Role
from edugov.audit.ledger import record
from edugov.cases import actions
from tests.workflow_fixture import TEST_WORKFLOW  # noqa: F401  (registers the kind)


def test_entries_read_as_sentences_with_the_reference_local_time_and_the_system(client, tree, make_user):
    staff = make_user(Role.DEPARTMENT_STAFF, tree.dept)
    at = dt.datetime(2024, 4, 7, 2, 30, tzinfo=dt.UTC)  # 10:30 in Beijing
    with time_machine.travel(at, tick=False):
        case = actions.case_open(actor=staff, kind="testcase", organisation=tree.bureau, department=tree.dept,
                                 title="测试事项")
        actions.case_transition(actor=staff, case=case, transition="accept")
        other = actions.case_open(actor=staff, kind="testcase", organisation=tree.bureau, department=tree.dept,
                                  title="另一事项")
        record(actor=None, action="reminder.send", target=case, organisation=tree.bureau, after={"kind": "due"})
    client.force_login(make_user(Role.AUDITOR, tree.bureau))
    page = client.get("/audit/").content.decode()
    assert "测试办件：受理" in page and "测试办件：立项" in page  # the workflow's own words
    assert "提醒：发送" in page and "系统（定时任务）" in page and str(staff) in page
    assert case.reference in page and "2024-04-07 10:30:00" in page and "+00:00" not in page
    filtered = client.get("/audit/", {"reference": case.reference}).content.decode()
    assert filtered.count("测试办件：") == 2 and other.reference not in filtered


def test_every_recorded_action_reads_in_chinese():
    """Every action the code records (a literal `action="family.step"`) is named on the ledger page
    in Chinese: its family and its step. A new action without words fails here."""
    import re
    from pathlib import Path

    from django.utils import translation

    from edugov.audit import describe

    root = Path(__file__).resolve().parents[1] / "edugov"
    literal = re.compile(r'action=f?"([a-z_]+\.[a-z_]+)"')
    actions = {a for path in root.rglob("*.py") if "tests" not in path.parts
               for a in literal.findall(path.read_text(encoding="utf-8"))}
    cjk = re.compile(r"[\u4e00-\u9fff]")
    with translation.override("zh-hans"):
        english = [a for a in sorted(actions) if not all(cjk.search(part) for part in describe.sentence(a))]
    assert len(actions) > 80 and english == []
