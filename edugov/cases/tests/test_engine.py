import datetime as dt
import io
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from PIL import Image

from edugov.accounts.models import Role
from edugov.audit.models import Entry
from edugov.cases import actions, selectors
from edugov.cases.models import Attachment, CaseEvent
from edugov.cases.tasks import send_clock_reminders
from edugov.kernel.calendar import LegalCalendar
from edugov.kernel.errors import Conflict, PermissionDenied, ValidationFailed
from tests.workflow_fixture import TEST_WORKFLOW  # noqa: F401  (registers the kind)

CAL = LegalCalendar()


def at(day: str, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(day).replace(hour=hour))


@pytest.fixture
def staff(tree, make_user):
    return make_user(Role.DEPARTMENT_STAFF, tree.dept)


def open_case(tree, staff, day="2024-09-27", **kw):
    return actions.case_open(actor=staff, kind="testcase", organisation=tree.bureau, department=tree.dept,
                             title="家长反映补课问题", at=at(day), contact_name="张三", contact_phone="13812345678", **kw)


def test_open_numbers_cases_per_year_and_starts_the_opening_clock(tree, staff):
    a = open_case(tree, staff)
    b = open_case(tree, staff)
    assert a.reference == "甲教〔2024〕0001号" and b.reference == "甲教〔2024〕0002号"
    clock = a.clocks.get(name="accept")
    assert clock.due_on == dt.date(2024, 10, 10)  # 5 working days: 29 Sep (a working Sunday), 30 Sep, 8–10 Oct
    assert a.next_due_on == clock.due_on and a.state == "new"
    assert Entry.objects.filter(action="testcase.open", target_id=str(a.pk)).count() == 1


def test_transition_moves_state_clocks_timeline_and_ledger_together(tree, staff):
    case = open_case(tree, staff)
    case = actions.case_transition(actor=staff, case=case, transition="accept", at=at("2024-09-30"), data={"note": "已受理"})
    accept, finish = case.clocks.get(name="accept"), case.clocks.get(name="finish")
    assert case.state == "accepted" and accept.met is True and accept.stopped_on == dt.date(2024, 9, 30)
    assert finish.due_on == CAL.add_working_days(dt.date(2024, 9, 30), 10).date == case.next_due_on
    event = CaseEvent.objects.get(case=case, kind="transition")
    assert (event.from_state, event.to_state, event.text) == ("new", "accepted", "已受理")
    assert Entry.objects.filter(action="testcase.accept", target_id=str(case.pk)).exists()


def test_pause_for_supplement_moves_the_due_date_by_the_working_days_lost(tree, staff):
    case = open_case(tree, staff, day="2024-03-01")
    case = actions.case_transition(actor=staff, case=case, transition="accept", at=at("2024-03-01"))
    due = case.clocks.get(name="finish").due_on
    case = actions.case_transition(actor=staff, case=case, transition="ask_supplement", at=at("2024-03-04"))
    assert case.next_due_on is None  # a paused clock is neither overdue nor due soon
    case = actions.case_transition(actor=staff, case=case, transition="supplied", at=at("2024-03-11"))
    lost = CAL.working_days_between(dt.date(2024, 3, 4), dt.date(2024, 3, 11))
    new_due = case.clocks.get(name="finish").due_on
    assert lost == 5 and CAL.working_days_between(due, new_due) == lost


def test_bad_transitions_get_clear_messages_and_change_nothing(tree, staff, make_user):
    case = open_case(tree, staff)
    entries = Entry.objects.count()
    with pytest.raises(ValidationFailed, match="请填写：不予受理理由"):
        actions.case_transition(actor=staff, case=case, transition="reject", data={})
    with pytest.raises(Conflict, match="不能执行"):
        actions.case_transition(actor=staff, case=case, transition="complete", data={"result": "x"})
    outsider = make_user(Role.DEPARTMENT_STAFF, tree.sibling_dept)
    with pytest.raises(PermissionDenied):
        actions.case_transition(actor=outsider, case=case, transition="accept")
    case.refresh_from_db()
    assert case.state == "new" and case.version == 0 and Entry.objects.count() == entries


def test_a_stale_version_gets_a_conflict_and_nothing_is_written(tree, staff):
    case = open_case(tree, staff)
    actions.case_transition(actor=staff, case=case, transition="accept", expected_version=0)
    with pytest.raises(Conflict, match="他人处理"):
        actions.case_transition(actor=staff, case=case, transition="reject", data={"reason": "x"}, expected_version=0)
    case.refresh_from_db()
    assert case.state == "accepted" and case.version == 1


@pytest.mark.django_db(transaction=True)
def test_two_clerks_at_once_get_one_success_and_one_conflict(tree, make_user):
    if connection.vendor != "postgresql":
        pytest.skip("row locks between two connections are a PostgreSQL matter; SQLite serialises writers")
    a = make_user(Role.DEPARTMENT_STAFF, tree.dept)
    b = make_user(Role.DEPARTMENT_STAFF, tree.dept)
    case = open_case(tree, a)
    barrier = threading.Barrier(2)
    outcomes = []

    def act(user, step, data):
        try:
            barrier.wait()
            actions.case_transition(actor=user, case=case, transition=step, data=data, expected_version=0)
            outcomes.append("ok")
        except Conflict as exc:
            outcomes.append(exc.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(a, "accept", {})),
               threading.Thread(target=act, args=(b, "reject", {"reason": "重复件"}))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(o == "ok" for o in outcomes) == [False, True]
    case.refresh_from_db()
    assert case.version == 1 and CaseEvent.objects.filter(case=case, kind="transition").count() == 1


def test_overdue_and_due_this_week_are_queries_over_stored_dates(tree, staff):
    late = open_case(tree, staff, day="2024-01-02")
    fresh = open_case(tree, staff, day="2024-01-15")
    today = dt.date(2024, 1, 15)
    assert list(selectors.workbench(staff, "overdue", today)) == [late]
    assert list(selectors.overdue_for_department(tree.dept.pk, today)) == [late]
    assert fresh not in selectors.workbench(staff, "week", today)
    assert fresh in selectors.workbench(staff, "department", today)
    actions.case_transition(actor=staff, case=late, transition="accept", at=at("2024-01-15"))
    assert late not in selectors.workbench(staff, "overdue", today)


def test_search_finds_a_case_by_phone_or_name_through_the_blind_index(tree, staff):
    case = open_case(tree, staff)
    base = selectors.visible_cases(staff)
    assert list(selectors.search(base, "138 1234 5678")) == [case]
    assert list(selectors.search(base, "张三")) == [case]
    assert list(selectors.search(base, "13800000000")) == []


def test_reminders_and_escalations_are_sent_once(tree, staff, make_user, monkeypatch):
    head = make_user(Role.DEPARTMENT_HEAD, tree.dept)
    late = open_case(tree, staff, day="2024-01-02")
    actions.case_assign(actor=head, case=late, department=tree.dept, assignee=staff, reason="请办理")
    assert send_clock_reminders() >= 1
    assert send_clock_reminders() == 0
    assert head.reminders.filter(kind="overdue", clock__case=late).count() == 1


def _png(w=64, h=48):
    buf = io.BytesIO()
    Image.new("RGB", (w, h), "red").save(buf, "PNG")
    return buf.getvalue()


def test_attachments_checked_by_content_with_digest_in_the_ledger(tree, staff):
    case = open_case(tree, staff)
    att = actions.case_attach(actor=staff, case=case, upload=SimpleUploadedFile("../../证据.png", _png()))
    assert att.name == "证据.png" and att.content_type == "image/png" and att.thumbnail
    entry = Entry.objects.get(action="testcase.attach")
    assert att.sha256 in entry.body
    with pytest.raises(ValidationFailed, match="不是允许的格式"):
        actions.case_attach(actor=staff, case=case, upload=SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf"))
    assert Attachment.objects.count() == 1


def test_oversize_upload_is_refused_and_nothing_is_stored(tree, staff, settings):
    settings.EDUGOV = {**settings.EDUGOV, "ATTACHMENT_MAX_BYTES": 1000}
    case = open_case(tree, staff)
    with pytest.raises(ValidationFailed, match="超过"):
        actions.case_attach(actor=staff, case=case, upload=SimpleUploadedFile("big.png", _png(400, 400)))
    assert not Attachment.objects.exists()


def test_workflow_declaration_renders_a_diagram_and_rejects_unknown_states():
    from edugov.cases.workflow import Transition, Workflow

    assert "new --> accepted : 受理" in TEST_WORKFLOW.mermaid()
    with pytest.raises(ValueError, match="unknown state"):
        Workflow(kind="bad", title="x", states={"a": "A"}, initial="a", terminal=frozenset(),
                 transitions=(Transition("go", "go", ("a",), "b"),))


def test_case_opened_in_a_year_without_holiday_data_has_a_provisional_clock(tree, staff):
    case = open_case(tree, staff, day="2099-03-02")
    assert case.clocks.get(name="accept").provisional
