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
