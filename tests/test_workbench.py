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
    # the overdue link of the unit reads the unit's list by its own SQL: the same rows, no query per row
    engine.case_assign(actor=leader, case=notified.case, department=None, assignee=people["officer"])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        overdue = client.get(reverse("cases:workbench"), {"view": "overdue", "unit": tree.dept.pk}).content.decode()
    assert notified.case.reference in overdue and str(people["officer"]) in overdue
    assert sum("FROM cases_case c LEFT JOIN" in q["sql"] for q in queries.captured_queries) == 1
    rows = list(selectors.overdue_for_department(tree.dept.pk, today))
    assert isinstance(rows[0].next_due_on, dt.date) and rows[0].is_open is True  # converted on every backend
    assert rows == list(selectors.workbench(leader, "overdue", today).filter(department_id=tree.dept.pk))
    # the unit chooser offers the district's departments and schools, not another district's
    assert f'<option value="{tree.school_org.pk}"' in page and f'<option value="{tree.dept.pk}" selected' in page
    assert f'<option value="{tree.other_district_school.organisation_id}"' not in page
    client.force_login(people["officer"])  # not a leader: no units table
    assert "?view=overdue&amp;unit=" not in client.get(reverse("cases:workbench")).content.decode()


# ---- owner and queue: assign, claim, stand-ins -------------------------------------------------

def _second_penalty(tree, people):
    item = EnforcementItem.objects.get(code="X1")
    p = actions.penalty_open(actor=people["officer"], inspection=None, organisation=tree.bureau, item=item,
                             party_name="另一培训点", facts="事实", at=at("2024-09-03"))
    return p.case


def test_a_head_assigns_ticked_cases_and_a_refusal_writes_nothing(notified, people, client, tree, make_user):
    from django.urls import reverse

    from edugov.audit.models import Entry
    from edugov.cases.models import Case

    second = _second_penalty(tree, people)
    colleague = make_user(Role.ENFORCEMENT_OFFICER, tree.dept)
    client.force_login(people["head"])
    response = client.post(reverse("cases:assign"), {"cases": [notified.case.pk, second.pk],
                                                     "assignee": colleague.pk, "reason": "分案",
                                                     "next": "/cases/?view=department"})
    assert response.status_code == 302 and response["Location"] == "/cases/?view=department"
    assert set(Case.objects.filter(assignee=colleague).values_list("pk", flat=True)) == {notified.case.pk, second.pk}
    assert Entry.objects.filter(action="penalty.assign").count() == 2
    assert notified.case in selectors.workbench(colleague, "mine", dt.date(2024, 9, 3))

    # someone of another district is not a handler the head may choose: nothing changes
    elsewhere = people["elsewhere"]
    client.post(reverse("cases:assign"), {"cases": [notified.case.pk], "assignee": elsewhere.pk})
    assert Case.objects.get(pk=notified.case.pk).assignee == colleague
    # an officer is not a head: the form offers no handler, and a posted one is refused
    client.force_login(people["officer"])
    client.post(reverse("cases:assign"), {"cases": [notified.case.pk], "assignee": people["officer"].pk})
    assert Case.objects.get(pk=notified.case.pk).assignee == colleague
    # another district's case cannot be ticked at all
    client.force_login(elsewhere)
    page = client.post(reverse("cases:claim"), {"cases": [second.pk]}, follow=True).content.decode()
    assert "请刷新页面" in page or "not among" in page
    assert Case.objects.get(pk=second.pk).assignee == colleague


def test_a_case_is_taken_from_the_queue_once(notified, people, client, tree, make_user):
    from django.urls import reverse

    from edugov.cases.models import Case

    colleague = make_user(Role.ENFORCEMENT_OFFICER, tree.dept)
    client.force_login(people["officer"])
    client.post(reverse("cases:claim"), {"cases": [notified.case.pk]})
    assert Case.objects.get(pk=notified.case.pk).assignee == people["officer"]
    client.force_login(colleague)
    page = client.post(reverse("cases:claim"), {"cases": [notified.case.pk]}, follow=True).content.decode()
    assert "Nothing was changed" in page or "未作任何更改" in page
    assert Case.objects.get(pk=notified.case.pk).assignee == people["officer"]
    # the head moves it back to the queue: it is nobody's, and every unit member may take it
    client.force_login(people["head"])
    client.post(reverse("cases:assign"), {"cases": [notified.case.pk], "assignee": ""})
    assert Case.objects.get(pk=notified.case.pk).assignee is None


def test_a_stand_in_has_the_absent_persons_cases_and_their_reminders(notified, people, tree, make_user):
    from edugov.accounts import actions as accounts
    from edugov.accounts.permissions import standing_in_for
    from edugov.kernel.errors import Conflict, ValidationFailed

    officer, case = people["officer"], notified.case
    stand_in = make_user(Role.ENFORCEMENT_OFFICER, tree.dept)
    engine.case_assign(actor=people["head"], case=case, department=None, assignee=officer, at=at("2024-09-03"))
    engine.case_transition(actor=officer, case=case, transition="submit_review", at=at("2024-09-03"))
    due = case.clocks.get(name="review").due_on
    with time_machine_at(due - dt.timedelta(days=20)):
        # refused: a stand-in from another district, dates reversed, and a stand-in away too
        with pytest.raises(ValidationFailed):
            accounts.absence_record(actor=officer, user=officer, stand_in=people["elsewhere"], starts_on=due,
                                    ends_on=due)
        with pytest.raises(ValidationFailed):
            accounts.absence_record(actor=officer, user=officer, stand_in=stand_in, starts_on=due,
                                    ends_on=due - dt.timedelta(days=1))
        absence = accounts.absence_record(actor=officer, user=officer, stand_in=stand_in,
                                          starts_on=due - dt.timedelta(days=7), ends_on=due, reason="年休假")
        with pytest.raises(Conflict):
            accounts.absence_record(actor=officer, user=officer, stand_in=stand_in, starts_on=due, ends_on=due)
    assert standing_in_for(stand_in, due) == [officer.pk]
    with time_machine_at(due):
        fresh = type(stand_in).objects.get(pk=stand_in.pk)
        assert case in selectors.workbench(fresh, "mine", due)
        counts = selectors.workbench_counts(fresh, ["mine"], due)
        assert counts["mine"] == len(selectors.workbench(fresh, "mine", due)) == 1
    Reminder.objects.all().delete()
    send_clock_reminders(today=due)
    assert list(Reminder.objects.filter(kind="due_today").values_list("recipient", flat=True)) == [stand_in.pk]
    # the day after the absence the case is the officer's again
    with time_machine_at(due + dt.timedelta(days=1)):
        fresh = type(stand_in).objects.get(pk=stand_in.pk)
        assert case not in selectors.workbench(fresh, "mine", due + dt.timedelta(days=1))
    # cancelled early: the same at once
    accounts.absence_cancel(actor=people["head"], absence=absence)
    assert standing_in_for(type(stand_in).objects.get(pk=stand_in.pk), due) == []


# ---- the outbox: SMS or e-mail where the person chose it, at most once ---------------------------

def test_a_reminder_goes_out_once_by_the_persons_channel(notified, people, settings):
    from django.core import mail

    from edugov.accounts import actions as accounts
    from edugov.kernel import sms
    from edugov.notifications import actions as outbox
    from edugov.notifications.models import Message

    head = people["head"]
    head.phone = "13800138000"
    head.save()
    accounts.notify_by_set(actor=head, channel="sms")
    engine.case_transition(actor=people["officer"], case=notified.case, transition="submit_review",
                           at=at("2024-09-03"))
    due = notified.case.clocks.get(name="review").due_on
    send_clock_reminders(today=due)
    send_clock_reminders(today=due)
    assert Message.objects.filter(recipient=head, channel="sms").count() == 1
    assert outbox.messages_send() == {"sent": 1, "failed": 0}
    assert outbox.messages_send() == {"sent": 0, "failed": 0}  # a rerun sends nothing twice
    assert len(sms.outbox) == 1 and sms.outbox[0][0] == "13800138000" and notified.case.reference in sms.outbox[0][1]
    # a message claimed by a worker that died before confirming is not sent again
    stuck = Message.objects.get()
    Message.objects.filter(pk=stuck.pk).update(state="sending", sent_at=None)
    assert outbox.messages_send() == {"sent": 0, "failed": 0}
    # e-mail, and a failing server: tried again, then left failed
    people["reviewer"].email = "reviewer@example.invalid"
    people["reviewer"].save()
    accounts.notify_by_set(actor=people["reviewer"], channel="email")
    outbox.message_queue(recipient_id=people["reviewer"].pk, key="test:1", subject="提醒", body="正文")
    settings.EMAIL_BACKEND = "tests.test_workbench.BrokenMail"
    assert [outbox.messages_send()["failed"] for _ in range(4)] == [1, 1, 1, 0]
    assert Message.objects.get(key="test:1").state == "failed"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # a person without an address cannot choose the channel
    from edugov.kernel.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        accounts.notify_by_set(actor=people["officer"], channel="sms")
    assert mail.outbox == []


class BrokenMail:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def time_machine_at(day: dt.date):
    import time_machine

    return time_machine.travel(at(day.isoformat()), tick=False)
