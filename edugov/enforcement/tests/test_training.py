"""Officers' training and yearly assessment (issue 31): hours counted once, the plan's roster, the
head's workbench and the certificate renewal that waits for an officer behind or not competent."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from edugov.accounts.models import Role
from edugov.enforcement import actions
from edugov.enforcement.models import TrainingHours
from edugov.kernel.errors import PermissionDenied, ValidationFailed
from edugov.metrics import registry
from edugov.registries.models import Person


def officer(org, name, number, user=None):
    return Person.objects.create(organisation=org, kind="enforcement_officer", name=name, user=user,
                                 identity_number=f"50010119800101{number:03d}1", gender="M",
                                 birth_date=dt.date(1980, 1, 1), certificate_number=f"JZ{number:04d}",
                                 certificate_valid_until=dt.date(2040, 1, 1))


@pytest.fixture
def setup(tree, make_user):
    head = make_user(Role.DEPARTMENT_HEAD, tree.dept)
    clerk = make_user(Role.ENFORCEMENT_OFFICER, tree.dept)
    a, b = officer(tree.dept, "执法甲", 1, clerk), officer(tree.dept, "执法乙", 2)
    year = timezone.localdate().year - 1  # a year over: its plan is what renewal and the workbench look at
    plan = actions.plan_create(actor=head, organisation=tree.bureau, year=year, title=f"{year}年度培训计划",
                               approved_on=dt.date(year, 1, 8))
    return head, clerk, a, b, plan


def test_hours_are_counted_once_and_the_figures_follow(setup, tree, make_user):
    head, clerk, a, b, plan = setup
    y = plan.year
    session = actions.session_record(actor=clerk, plan=plan, kind="concentrated", held_on=dt.date(y, 3, 5),
                                     topic="行政处罚法", hours=Decimal(6), attendees=[a])
    actions.attendance_add(actor=clerk, session=session, officers=[b])
    with pytest.raises(ValidationFailed) as twice:  # the same attendance entered again
        actions.attendance_add(actor=clerk, session=session, officers=[b])
    assert "执法乙" in str(twice.value) and TrainingHours.objects.filter(officer=b).count() == 1
    with pytest.raises(ValidationFailed):  # the same session entered again
        actions.session_record(actor=clerk, plan=plan, kind="concentrated", held_on=dt.date(y, 3, 5),
                               topic="行政处罚法", hours=Decimal(6), attendees=[a])
    actions.self_study_record(actor=clerk, plan=plan, officer=a, studied_on=dt.date(y, 4, 1), topic="自学", hours=Decimal(3))
    with pytest.raises(ValidationFailed):
        actions.self_study_record(actor=clerk, plan=plan, officer=a, studied_on=dt.date(y, 4, 1), topic="自学",
                                  hours=Decimal(3))
    stranger = officer(tree.other_bureau, "外区执法", 3)
    with pytest.raises(ValidationFailed):  # not on this bureau's roster
        actions.attendance_add(actor=clerk, session=session, officers=[stranger])
    with pytest.raises(ValidationFailed):  # outside the plan's year
        actions.self_study_record(actor=clerk, plan=plan, officer=a, studied_on=dt.date(y - 1, 12, 1), topic="旧",
                                  hours=Decimal(1))
    with pytest.raises(PermissionDenied):
        actions.plan_create(actor=clerk, organisation=tree.bureau, year=y + 1, title="计划", approved_on=dt.date(y, 12, 1))

    period = registry.Period.year(y)

    def fig(key):
        return registry.compute(registry.get(key), period, tree.bureau).display
    assert (fig("enforcement.training.sessions"), fig("enforcement.training.hours")) == ("1期", "15学时")
    assert (fig("enforcement.training.officers"), fig("enforcement.training.officers_met_hours")) == ("2人", "0人")
    actions.session_record(actor=clerk, plan=plan, kind="case_discussion", held_on=dt.date(y, 6, 1), topic="案例讨论",
                           hours=Decimal(40), attendees=[b])
    actions.self_study_record(actor=clerk, plan=plan, officer=b, studied_on=dt.date(y, 7, 1), topic="自学",
                              hours=Decimal(14))
    assert fig("enforcement.training.met_hours_rate") == "50.0%"  # b: 6 + 40 + 14 = 60
    with pytest.raises(ValidationFailed) as why:  # a failing result says why
        actions.assessment_record(actor=head, plan=plan, officer=a, result="fail", assessed_on=dt.date(y, 12, 20))
    assert why.value.field == "note"
    actions.assessment_record(actor=head, plan=plan, officer=a, result="fail", assessed_on=dt.date(y, 12, 20),
                              note="案卷评查不合格")
    actions.assessment_record(actor=head, plan=plan, officer=b, result="competent", assessed_on=dt.date(y, 12, 20))
    with pytest.raises(ValidationFailed):
        actions.assessment_record(actor=head, plan=plan, officer=b, result="excellent", assessed_on=dt.date(y, 12, 21))
    assert (fig("enforcement.training.assessed"), fig("enforcement.training.passed_rate")) == ("2人", "50.0%")


def test_renewal_waits_for_an_officer_behind_or_not_competent_and_the_head_sees_them(setup, tree, make_user, client):
    from edugov.registries.actions import person_update

    head, clerk, a, b, plan = setup
    y = plan.year
    actions.session_record(actor=clerk, plan=plan, kind="concentrated", held_on=dt.date(y, 3, 5), topic="集中学习",
                           hours=Decimal(40), attendees=[a, b])
    actions.self_study_record(actor=clerk, plan=plan, officer=b, studied_on=dt.date(y, 4, 1), topic="自学",
                              hours=Decimal(20))
    actions.assessment_record(actor=head, plan=plan, officer=b, result="fail", assessed_on=dt.date(y, 12, 20),
                              note="法律知识测试未达标")
    registrar = make_user(Role.SYSADMIN, tree.bureau)
    for person, reason in ((a, "40学时"), (b, "考核不合格")):
        with pytest.raises(ValidationFailed) as held:
            person_update(actor=registrar, person=person, data={"certificate_valid_until": dt.date(2045, 1, 1)})
        assert reason in str(held.value)
        person.refresh_from_db()
        assert person.certificate_valid_until == dt.date(2040, 1, 1)  # left as it was
    person_update(actor=registrar, person=a, data={"title": "执法队员"})  # other changes go through

    client.force_login(head)
    bench = client.get(reverse("cases:workbench")).content.decode()
    assert "考核不合格" in bench and "执法乙" in bench
    page = client.get(reverse("enforcement:training") + f"?year={y}").content.decode()
    assert "执法甲" in page and "暂缓换证" in page
    again = client.post(reverse("enforcement:training_add", args=["self_study"]) + f"?year={y}",
                        {"self_study-officer": b.pk, "self_study-studied_on": f"{y}-04-01", "self_study-topic": "自学",
                         "self_study-hours": "20"})
    assert again.status_code == 400 and "不重复计算" in again.content.decode()
    assert client.get(reverse("enforcement:training") + f"?year={y}&export=xlsx").status_code == 200
