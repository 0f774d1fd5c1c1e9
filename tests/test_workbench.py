"""Issue 26: the workbench lists what is each person's to do, a party's window is never the bureau's
due date, and a deadline crossing reminds and escalates exactly once each."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from edugov.accounts.models import Role
from edugov.cases import actions as engine
from edugov.cases import selectors
from edugov.cases.models import Reminder
from edugov.cases.tasks import send_clock_reminders
from edugov.cases.views import COUNTED
from edugov.enforcement import actions
from edugov.enforcement.models import EnforcementItem
from edugov.kernel.calendar import LegalCalendar


def at(day: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(day).replace(hour=10))


@pytest.fixture
def people(tree, make_user):
    return {"officer": make_user(Role.ENFORCEMENT_OFFICER, tree.dept), "head": make_user(Role.DEPARTMENT_HEAD, tree.dept),
            "leader": make_user(Role.BUREAU_LEADER, tree.bureau), "reviewer": make_user(Role.LEGAL_REVIEWER, tree.bureau),
            "supervision": make_user(Role.SUPERVISION_STAFF, tree.sibling_dept),
            "elsewhere": make_user(Role.ENFORCEMENT_OFFICER, tree.other_bureau)}


@pytest.fixture
def notified(tree, people):
    item = EnforcementItem.objects.create(organisation=tree.bureau, code="X1", name="处罚", legal_basis="依据",
                                          fine_min=Decimal(100), fine_max=Decimal(1000), department=tree.dept)
    actions.item_claim(actor=None, item=item)
    p = actions.penalty_open(actor=people["officer"], inspection=None, organisation=tree.bureau, item=item,
                             party_name="某培训点", facts="事实", at=at("2024-09-02"))
    engine.case_transition(actor=people["officer"], case=p.case, transition="investigate", at=at("2024-09-02"))
    engine.case_transition(actor=people["officer"], case=p.case, transition="notify", data={"intended": "警告"},
                           at=at("2024-09-02"))
    p.case.refresh_from_db()
    return p


def test_a_partys_window_waits_on_the_party_and_is_never_overdue(notified, people):
    case = notified.case
    windows = {c.name: c.due_on for c in case.clocks.filter(name__in=("statement", "hearing_request"))}
    assert windows == {"statement": dt.date(2024, 9, 9), "hearing_request": dt.date(2024, 9, 9)}
    # the bureau's own next date is the 90 days to decide (1 December 2024 a Sunday: Monday the 2nd)
    assert case.next_due_on == dt.date(2024, 12, 2)
    officer = people["officer"]
    assert case in selectors.workbench(officer, "waiting", dt.date(2024, 9, 3))
    assert case not in selectors.workbench(officer, "overdue", dt.date(2024, 9, 20))  # the windows ran out
    details = selectors.due_details([case], dt.date(2024, 9, 3))[case.pk]
    assert details["clock"].name == "decide" and "第六十条" in details["basis"] and details["party"].name == "statement"


def test_each_role_finds_its_own_step_and_the_counts_are_the_lists(notified, people):
    case, today = notified.case, dt.date(2024, 9, 3)

    def todo(who: str) -> list:
        return list(selectors.workbench(people[who], "todo", today))

    assert case in todo("officer") and case in todo("head") and case in todo("leader")  # submit or decide
    assert case not in todo("reviewer") and case not in todo("elsewhere")
    engine.case_transition(actor=people["officer"], case=case, transition="submit_review", at=at("2024-09-03"))
    assert case in todo("reviewer") and case not in todo("officer") and case not in todo("leader")
    for who, user in people.items():
        counts = selectors.workbench_counts(user, COUNTED, today)
        for view in COUNTED:
            assert counts[view] == len(selectors.workbench(user, view, today)), (who, view)


def test_a_deadline_crossing_reminds_once_on_each_day_and_escalates_once(notified, people, settings):
    case = notified.case
    engine.case_transition(actor=people["officer"], case=case, transition="submit_review", at=at("2024-09-03"))
    due = case.clocks.get(name="review").due_on
    cal = LegalCalendar()
    day_before = max(d for d in (due - dt.timedelta(days=n) for n in range(1, 6)) if cal.is_workday(d))

    def sent_on(day: dt.date) -> list[tuple[str, str]]:
        before = set(Reminder.objects.values_list("pk", flat=True))
        send_clock_reminders(today=day)
        send_clock_reminders(today=day)  # a worker restarted: nothing twice
        return sorted((r.clock.name, r.kind) for r in Reminder.objects.exclude(pk__in=before))

    # unassigned, the case waits in the unit's queue: its head is reminded
    assert sent_on(day_before) == [("review", "due_soon")]
    # on 9 September the party's windows end: nobody is reminded of the party's time
    assert sent_on(dt.date(2024, 9, 9)) == []
    assert sent_on(due) == [("review", "due_today")]
    first_late = cal.add_working_days(due, 1).date
    assert sent_on(first_late) == [("review", "overdue")]
    assert sent_on(cal.add_working_days(due, 2).date) == []
    assert sent_on(cal.add_working_days(due, 3).date) == [("review", "escalated")]  # workbench.escalation: 3
    assert sent_on(cal.add_working_days(due, 4).date) == []
    escalated = Reminder.objects.get(kind="escalated")
    assert escalated.recipient == people["supervision"]


def test_a_leader_sees_each_units_month_and_each_number_is_its_list(notified, people, client, tree):
    from django.urls import reverse

    leader, today = people["leader"], timezone.localdate()
    units = {u["department_id"]: u for u in selectors.unit_month(leader, today)}
    row = units[tree.dept.pk]
    assert row["open"] == selectors.workbench(leader, "open", today).filter(department_id=tree.dept.pk).count() == 1
    assert row["closed"] == 0 and row["on_time"] is None
    client.force_login(leader)
    page = client.get(reverse("cases:workbench"), {"view": "open", "unit": tree.dept.pk}).content.decode()
    assert notified.case.reference in page and f"?view=overdue&amp;unit={tree.dept.pk}" in page
    other = client.get(reverse("cases:workbench"), {"view": "open", "unit": tree.sibling_dept.pk}).content.decode()
    assert notified.case.reference not in other
    client.force_login(people["officer"])  # not a leader: no units table
    assert "?view=overdue&amp;unit=" not in client.get(reverse("cases:workbench")).content.decode()
