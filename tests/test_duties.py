"""Issue 26: duties that are not cases of their own (a month's risk ledger, the yearly report's
submission, a legal vice-principal's class hours) are opened by their scheduled jobs as cases of a
duty kind, once, on the workbench of whoever must act, due on the rule's day, and closed by the act
that fulfils them."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from edugov.accounts.models import Role
from edugov.cases import actions as engine
from edugov.cases import selectors
from edugov.cases.models import Case, Duty


def at(day: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(day).replace(hour=10))


def _duty(key: str) -> Case:
    return Duty.objects.select_related("case").get(key=key).case


def test_a_schools_monthly_ledger_is_its_duty_until_it_files_it(tree, make_user):
    from edugov.oversight import screening
    from edugov.oversight.tasks import open_ledger_duties

    admin = make_user(Role.SCHOOL_ADMIN, tree.school_org)
    other = make_user(Role.SCHOOL_ADMIN, tree.other_school_org)
    with time_machine.travel(at("2024-11-05"), tick=False):
        opened = open_ledger_duties(dt.date(2024, 11, 5))
        assert opened == 6  # October (missing) and November for the three schools of both districts
        assert open_ledger_duties(dt.date(2024, 11, 5)) == 0  # a rerun opens nothing
    october, november = _duty("risk.ledger:S1:2024-10"), _duty("risk.ledger:S1:2024-11")
    assert october.next_due_on == dt.date(2024, 10, 31)  # passed already: overdue since then
    assert november.next_due_on == dt.date(2024, 12, 2)  # 30 November a Saturday: the next working day
    today = dt.date(2024, 11, 5)
    assert set(selectors.workbench(admin, "todo", today)) == {october, november}
    assert list(selectors.workbench(admin, "overdue", today)) == [october]
    assert _duty("risk.ledger:S2:2024-11") in selectors.workbench(other, "todo", today)
    with time_machine.travel(at("2024-11-06"), tick=False):
        screening.submit_ledger(actor=admin, school=tree.school, month=dt.date(2024, 10, 1), items=[])
    october.refresh_from_db()
    assert october.state == "done" and not october.is_open
    assert october.clocks.get(name="due").met is False  # filed after the day: counted late
    assert list(selectors.workbench(admin, "todo", today)) == [november]
    # once filed, the job does not open the month again
    with time_machine.travel(at("2024-11-07"), tick=False):
        assert open_ledger_duties(dt.date(2024, 11, 7)) == 0


def test_the_yearly_report_is_submitted_before_1_march_and_its_draft_exists(tree, make_user):
    from edugov.reports.models import AnnualReport
    from edugov.reports.tasks import open_report_duties

    leader = make_user(Role.BUREAU_LEADER, tree.bureau)
    with time_machine.travel(at("2026-01-02"), tick=False):
        assert open_report_duties(dt.date(2026, 1, 2)) == 2  # both districts
        assert open_report_duties(dt.date(2026, 1, 2)) == 0
    duty = _duty(f"report.submission:{tree.bureau.code}:2025")
    # 28 February 2026 is a Saturday: a fixed day "before 1 March" is not moved past it
    assert duty.next_due_on == dt.date(2026, 2, 28)
    report = AnnualReport.objects.get(organisation=tree.bureau, year=2025)
    assert report.case.next_due_on == dt.date(2026, 3, 31)  # published before 1 April
    today = dt.date(2026, 1, 5)
    todo = set(selectors.workbench(leader, "todo", today))
    assert duty in todo
    with time_machine.travel(at("2026-02-26"), tick=False):
        engine.case_transition(actor=leader, case=duty, transition="done",
                               data={"note": "以甲教〔2026〕5号报送区委、区政府和市教委"})
    duty.refresh_from_db()
    assert duty.state == "done" and duty.clocks.get(name="due").met is True


def test_a_legal_vice_principal_short_of_hours_is_followed_up_from_march(tree, make_user):
    from edugov.registries.models import Person, PersonKind
    from edugov.schools import actions
    from edugov.schools.tasks import open_hours_duties

    staff = make_user(Role.DEPARTMENT_STAFF, tree.dept)
    admin = make_user(Role.SCHOOL_ADMIN, tree.school_org)
    person = Person.objects.create(organisation=tree.bureau, kind=PersonKind.LEGAL_VP, name="法副甲",
                                   identity_number="500101198005010011", gender="M", birth_date=dt.date(1980, 5, 1),
                                   sending_agency="police", agency_name="甲区公安分局")
    appointment = actions.appoint(actor=staff, person=person, school=tree.school, starts_on=dt.date(2024, 9, 1))
    actions.log_class(actor=admin, appointment=appointment, on=dt.date(2024, 10, 10), topic="宪法", class_name="六(1)班",
                      hours=2, at=at("2024-10-10"))
    assert open_hours_duties(dt.date(2025, 2, 20)) == 0  # before March nobody is behind
    with time_machine.travel(at("2025-03-03"), tick=False):
        assert open_hours_duties(dt.date(2025, 3, 3)) == 1
        assert open_hours_duties(dt.date(2025, 3, 3)) == 0
    duty = _duty(f"legal_vp.hours:{appointment.pk}:2024")
    assert duty.next_due_on == dt.date(2025, 9, 1)  # 31 August 2025 a Sunday: the next working day
    assert duty in selectors.workbench(admin, "todo", dt.date(2025, 3, 3))
    actions.log_class(actor=admin, appointment=appointment, on=dt.date(2025, 3, 10), topic="反欺凌", class_name="五(2)班",
                      hours=1, at=at("2025-03-10"))
    duty.refresh_from_db()
    assert duty.is_open  # 3 of 4
    actions.log_class(actor=admin, appointment=appointment, on=dt.date(2025, 3, 17), topic="禁毒", class_name="四(1)班",
                      hours=1, at=at("2025-03-17"))
    duty.refresh_from_db()
    assert duty.state == "done" and "4" in duty.events.last().text


def test_a_duty_opened_late_is_overdue_since_its_day_not_due_today(tree):
    case = engine.duty_open(kind="ledger_duty", key="risk.ledger:S1:2024-01", organisation=tree.bureau,
                            department=tree.school_org, title="台账", due_on=dt.date(2024, 1, 31), at=at("2024-03-01"))
    assert case is not None and case.next_due_on == dt.date(2024, 1, 31)
    assert case.clocks.get(name="due").due_on == dt.date(2024, 1, 31)
    assert engine.duty_open(kind="ledger_duty", key="risk.ledger:S1:2024-01", organisation=tree.bureau,
                            department=tree.school_org, title="台账", due_on=dt.date(2024, 1, 31)) is None
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():  # the key names the duty once, even by hand
        Duty.objects.create(key="risk.ledger:S1:2024-01", case=case)
