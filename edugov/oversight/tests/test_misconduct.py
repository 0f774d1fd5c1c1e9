"""Reports of enforcement misconduct (issue 32): never handled or seen by the unit reported, told in
time from the rules registry; the discipline group; mediation."""

import datetime as dt

import pytest
from django.urls import reverse

from edugov.accounts.models import Organisation, OrgKind, Role
from edugov.cases import actions as engine
from edugov.cases.selectors import visible_cases
from edugov.kernel.errors import Conflict, PermissionDenied, ValidationFailed
from edugov.metrics import registry
from edugov.oversight import disputes, misconduct
from edugov.oversight.models import Decision, MisconductReport

YEAR = registry.Period.year(2024)


def fig(key, org):
    return registry.compute(registry.get(key), YEAR, org).display


@pytest.fixture
def setup(tree, make_user):
    legal = Organisation.objects.create(code="B1-legal", name="政策法规科", kind=OrgKind.DEPARTMENT, parent=tree.bureau)
    squad = Organisation.objects.create(code="B1-enf", name="综合执法支队", kind=OrgKind.DEPARTMENT, parent=tree.bureau)
    leader = make_user(Role.BUREAU_LEADER, tree.bureau)
    misconduct.channel_set(actor=leader, organisation=tree.bureau, phone="023-12345678", address="甲区教委政策法规科",
                           receivers=[legal, squad], supervisor="甲区司法局", published_on=dt.date(2024, 1, 2))
    return {"legal": legal, "squad": squad, "leader": leader, "clerk": make_user(Role.DEPARTMENT_STAFF, legal),
            "officer": make_user(Role.ENFORCEMENT_OFFICER, squad), "squad_head": make_user(Role.DEPARTMENT_HEAD, squad),
            "supervision": make_user(Role.SUPERVISION_STAFF, tree.dept), "legal_head": make_user(Role.DEPARTMENT_HEAD, legal)}


def test_the_supervision_office_may_not_receive_reports(tree, make_user):
    make_user(Role.SUPERVISION_STAFF, tree.dept)
    with pytest.raises(ValidationFailed) as refused:
        misconduct.channel_set(actor=make_user(Role.BUREAU_LEADER, tree.bureau), organisation=tree.bureau,
                               phone="1", address="a", receivers=[tree.dept], supervisor="司法局",
                               published_on=dt.date(2024, 1, 2))
    assert "督导室" in refused.value.message


def test_a_report_is_never_routed_to_the_unit_it_names_nor_seen_there(tree, setup):
    s = setup
    at = dt.datetime(2024, 3, 4, 10, tzinfo=dt.UTC)
    with pytest.raises(ValidationFailed) as refused:
        misconduct.report_take(actor=s["clerk"], organisation=tree.bureau, channel="phone", officer_named="周某",
                               officer_unit=s["squad"], what="检查时索要财物", receiver=s["squad"], at=at)
    assert refused.value.field == "receiver" and "综合执法支队" in refused.value.message
    assert not MisconductReport.objects.exists()

    taken = misconduct.report_take(actor=s["clerk"], organisation=tree.bureau, channel="phone", officer_named="周某",
                                   officer_unit=s["squad"], what="检查时索要财物", receiver=s["legal"],
                                   reporter_name="张三", reporter_phone="13800138000", at=at)
    case = taken.report.case
    again = misconduct.report_take(actor=s["clerk"], organisation=tree.bureau, channel="phone", officer_named="周某",
                                   officer_unit=s["squad"], what="检查时索要财物", receiver=s["legal"],
                                   at=at + dt.timedelta(seconds=5))
    assert again.existing and MisconductReport.objects.count() == 1
    # need to know: the handling unit sees it; the unit reported, the leaders, the supervision office do not
    assert case in visible_cases(s["clerk"])
    for who in ("officer", "squad_head", "leader", "supervision"):
        assert case not in visible_cases(s[who]), who
    # the engine refuses to give it to the unit reported; the leaders may not assign it at all
    with pytest.raises(PermissionDenied):
        engine.case_assign(actor=s["leader"], case=case, department=s["squad"], assignee=None)
    with pytest.raises(ValidationFailed):
        engine.case_assign(actor=s["legal_head"], case=case, department=s["squad"], assignee=None)
    # accepted within the rule's 5 working days, the result within 30 days
    clock = case.clocks.get(name="accept")
    assert (clock.due_on - clock.started_on).days >= 5
    engine.case_transition(actor=s["clerk"], case=case, transition="accept", at=at + dt.timedelta(days=1))
    engine.case_transition(actor=s["clerk"], case=case, transition="close_upheld",
                           data={"result": "已责令退还并给予处分"}, at=at + dt.timedelta(days=10))
    case.refresh_from_db()
    report = MisconductReport.objects.get()
    assert case.state == "closed" and report.substantiated and report.told_on == dt.date(2024, 3, 14)
    assert (fig("misconduct_reports.received", tree.bureau), fig("misconduct_reports.substantiated", tree.bureau),
            fig("misconduct_reports.told_in_time_rate", tree.bureau)) == ("1件", "1件", "100.0%")


def test_the_pages_keep_the_report_from_the_unit_reported(client, tree, setup, make_user):
    s = setup
    client.force_login(s["clerk"])
    r = client.post(reverse("oversight:accountability_add", args=["report"]), {
        "report-channel": "letter", "report-received_on": "2024-05-06", "report-receiver": s["legal"].pk,
        "report-officer_unit": s["squad"].pk, "report-what": "态度恶劣", "report-anonymous": "on"})
    assert r.status_code == 302
    case = MisconductReport.objects.get().case
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    client.force_login(s["squad_head"])
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code in (403, 404)
    page = client.get(reverse("oversight:accountability") + "?tab=misconduct&year=2024")
    assert page.status_code == 200 and case.reference not in page.content.decode()
    # a tab is offered only to whom it opens: the squad's head keeps registers, a legal reviewer does not
    assert "?tab=discipline" in page.content.decode()
    client.force_login(make_user(Role.LEGAL_REVIEWER, s["legal"]))
    page = client.get(reverse("oversight:accountability")).content.decode()
    assert "?tab=discipline" not in page and "?tab=mediation" not in page and case.reference in page
    assert client.get(reverse("oversight:accountability") + "?tab=discipline").status_code == 403


def test_the_public_page_publishes_the_channel_and_takes_a_report_online(client, tree, setup, make_user):
    from edugov.accounts.models import UserKind

    page = client.get(reverse("oversight:public_misconduct"))
    assert page.status_code == 200 and "023-12345678" in page.content.decode()
    citizen = make_user()
    citizen.kind = UserKind.PUBLIC
    citizen.save()
    client.force_login(citizen)
    r = client.post(reverse("oversight:public_misconduct") + "?bureau=B1", {"officer_unit": setup["squad"].pk,
                                                             "what": "执法时未出示证件"})
    assert r.status_code == 302
    report = MisconductReport.objects.get()
    assert report.channel == "web" and report.case.department == setup["legal"]
    assert report.case.recusals.filter(organisation=setup["squad"]).exists()
    # the reporter follows it on their own page and reads the result there once told
    engine.case_transition(actor=setup["clerk"], case=report.case, transition="accept")
    engine.case_transition(actor=setup["clerk"], case=report.case, transition="close_unfounded",
                           data={"result": "经核查执法程序符合规定"})
    mine = client.get(reverse("portal:my")).content.decode()
    assert report.case.reference in mine and "经核查执法程序符合规定" in mine


def test_the_discipline_group_is_told_of_executed_decisions_only(tree, make_user):
    staff = make_user(Role.DEPARTMENT_STAFF, tree.sibling_dept)
    decision = Decision.objects.create(organisation=tree.bureau, category="funds", matter="校舍维修资金", meeting="主任办公会",
                                       met_on=dt.date(2024, 4, 1), legal_opinion="合法", decision="同意")
    with pytest.raises(ValidationFailed):
        misconduct.discipline_notice_add(actor=staff, organisation=tree.bureau, kind="decision",
                                         on=dt.date(2024, 4, 2), subject="", attended_by="纪检组长", decision=decision)
    decision.executed_on = dt.date(2024, 4, 20)
    decision.save()
    misconduct.discipline_notice_add(actor=staff, organisation=tree.bureau, kind="decision", on=dt.date(2024, 4, 21),
                                     subject="", attended_by="纪检组长", decision=decision)
    misconduct.discipline_notice_add(actor=staff, organisation=tree.bureau, kind="meeting", on=dt.date(2024, 5, 8),
                                     subject="党委会", attended_by="纪检组长")
    with pytest.raises(ValidationFailed):
        misconduct.discipline_notice_add(actor=staff, organisation=tree.bureau, kind="meeting",
                                         on=dt.date(2024, 5, 8), subject="党委会", attended_by="纪检组长")
    assert (fig("misconduct_reports.discipline_meetings", tree.bureau),
            fig("misconduct_reports.decisions_notified", tree.bureau)) == ("1次", "1项")


def test_mediation_with_the_community_and_its_follow_up(tree, make_user):
    staff = make_user(Role.DEPARTMENT_STAFF, tree.sibling_dept)
    m = disputes.mediation_start(actor=staff, organisation=tree.bureau, school=tree.school, family="学生家长李某",
                                 subject="课间受伤赔偿", started_on=dt.date(2024, 6, 3), mediator="安全稳定科王某",
                                 community="城东社区")
    with pytest.raises(Conflict):
        disputes.mediation_follow_up(actor=staff, mediation=m, followed_up_on=dt.date(2024, 6, 4), follow_up="x")
    disputes.mediation_conclude(actor=staff, mediation=m, outcome="agreed", agreement="学校承担部分医药费",
                                concluded_on=dt.date(2024, 6, 10))
    disputes.mediation_follow_up(actor=staff, mediation=m, followed_up_on=dt.date(2024, 7, 1), follow_up="协议已履行")
    other = disputes.mediation_start(actor=staff, organisation=tree.bureau, school=tree.other_school, family="家长赵某",
                                     subject="收费争议", started_on=dt.date(2024, 9, 3), mediator="王某")
    disputes.mediation_conclude(actor=staff, mediation=other, outcome="failed", agreement="家长申请复议",
                                concluded_on=dt.date(2024, 9, 20))
    assert (fig("disputes.mediations", tree.bureau), fig("disputes.agreement_rate", tree.bureau),
            fig("disputes.with_community", tree.bureau), fig("disputes.followed_up", tree.bureau)) == (
        "2件", "50.0%", "1件", "1件")
    with pytest.raises(PermissionDenied):
        disputes.mediation_start(actor=make_user(Role.SCHOOL_ADMIN, tree.other_school_org), organisation=tree.bureau,
                                 school=tree.school, family="f", subject="s", started_on=dt.date(2024, 6, 3),
                                 mediator="m")


def test_an_overdue_report_is_escalated_within_its_unit_only(tree, setup):
    """The supervision office is told of every overdue matter of the bureau, but not of a report of
    misconduct: the legal office's head is told it is overdue, nobody outside the unit."""
    from edugov.cases.models import Reminder
    from edugov.cases.tasks import send_clock_reminders

    s = setup
    taken = misconduct.report_take(actor=s["clerk"], organisation=tree.bureau, channel="phone", officer_named="",
                                   officer_unit=s["squad"], what="拖延办理", receiver=s["legal"],
                                   at=dt.datetime(2024, 3, 4, 10, tzinfo=dt.UTC))
    send_clock_reminders(today=dt.date(2024, 4, 1))  # the acceptance clock is long overdue
    told = set(Reminder.objects.filter(clock__case=taken.report.case).values_list("recipient_id", flat=True))
    assert s["legal_head"].pk in told
    assert s["supervision"].pk not in told and s["leader"].pk not in told


def test_a_member_of_the_handling_unit_who_also_works_in_the_unit_reported_does_not_see_it(tree, setup):
    from edugov.accounts.models import Grant

    s = setup
    both = s["clerk"]
    taken = misconduct.report_take(actor=both, organisation=tree.bureau, channel="phone", officer_named="",
                                   officer_unit=s["squad"], what="处罚畸重", receiver=s["legal"])
    Grant.objects.create(user=both, role=Role.DEPARTMENT_STAFF, organisation=s["squad"])
    both = type(both).objects.get(pk=both.pk)  # grants are read once per request
    assert taken.report.case not in visible_cases(both)
    for step, data in (("not_accept", {"reason": "x"}), ("accept", {})):  # deciding or not: no step at all
        with pytest.raises(PermissionDenied):
            engine.case_transition(actor=both, case=taken.report.case, transition=step, data=data)
