"""Issue 12: complaint handling that cannot be gamed."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from edugov.accounts.models import Role
from edugov.audit.models import Entry
from edugov.cases import actions as engine
from edugov.draws import algorithm
from edugov.draws.actions import bundle
from edugov.kernel.errors import Conflict, PermissionDenied, ValidationFailed
from edugov.metrics import registry
from edugov.petitions import actions, bulletin, closure, routing
from edugov.petitions.models import HopKind, RecontactCheck


def at(day, hour=10):
    return timezone.make_aware(dt.datetime.fromisoformat(day).replace(hour=hour))


@pytest.fixture
def school_admin(tree, make_user):
    return make_user(Role.SCHOOL_ADMIN, tree.school_org)


def valid_case(tree, hotline, people, day="2024-05-06", school=None, category="违规补课"):  # noqa: F811
    p = actions.petition_intake(actor=people["operator"], organisation=tree.bureau, channel="hotline",
                                category=hotline[category], description=f"反映{day}{category}{school}",
                                school=school or tree.other_school, complainant_phone="13812345678", at=at(day)).petition
    actions.petition_triage(actor=people["operator"], petition=p, decision="valid", at=at(day, 11))
    return p


def close(p, handler, day, hour=16, **rate):
    for i in range(2):
        engine.case_log_contact(actor=handler, case=p.case, channel="phone", outcome="沟通", at=at(day, 13 + i))
    actions.petition_close(actor=handler, petition=p, result="已处理", at=at(day, hour))
    if rate:
        actions.petition_rate(petition=p, at=at(day, hour + 1), **rate)


def test_a_case_sent_back_twice_ends_at_the_offices_final_decision(tree, hotline, people, school_admin):  # noqa: F811
    office, basic, school = people["operator"], tree.sibling_dept, tree.school_org
    p = valid_case(tree, hotline, people)
    routing.petition_route(actor=office, petition=p, unit=basic, at=at("2024-05-06", 12))
    reason = str(routing.SEND_BACK_REASONS[1])
    with pytest.raises(ValidationFailed, match="请指明应当承办的单位"):
        routing.petition_send_back(actor=people["handler"], petition=p, reason=reason, better_unit=None,
                                   at=at("2024-05-06", 14))
    routing.petition_send_back(actor=people["handler"], petition=p, reason=reason, better_unit=school,
                               at=at("2024-05-06", 15))
    routing.petition_route(actor=office, petition=p, unit=school, at=at("2024-05-06", 16))
    # the school disagrees too: not a second send-back, a request for the office's decision
    with pytest.raises(ValidationFailed, match="提请督导室审定"):
        routing.petition_send_back(actor=school_admin, petition=p, reason=reason, better_unit=basic,
                                   at=at("2024-05-07", 9))
    with pytest.raises(PermissionDenied):  # a unit that does not hold the case has no say
        routing.petition_dispute(actor=people["handler"], petition=p, reason="不归我们", better_unit=school)
    routing.petition_dispute(actor=school_admin, petition=p, reason="收费问题属基础教育科职责", better_unit=basic,
                             at=at("2024-05-07", 9))
    p.refresh_from_db()
    assert p.dispute_pending and p.case.state == "handling" and p.case.department == school
    with pytest.raises(PermissionDenied):
        routing.petition_rule(actor=school_admin, petition=p, unit=basic, reason="自己裁定")
    routing.petition_rule(actor=office, petition=p, unit=basic, reason="涉及学校收费政策，由基础教育科承办",
                          at=at("2024-05-07", 10))
    p.refresh_from_db()
    assert p.ruled and not p.dispute_pending and p.case.department == basic
    assert [h.kind for h in p.hops.all()] == [HopKind.ROUTE, HopKind.SEND_BACK, HopKind.ROUTE, HopKind.DISPUTE,
                                              HopKind.RULING]
    assert routing.hop_count(p) == 4
    for attempt in (routing.petition_send_back, routing.petition_dispute):
        with pytest.raises(ValidationFailed, match="最终决定"):
            attempt(actor=people["handler"], petition=p, reason=reason, better_unit=school, at=at("2024-05-07", 11))
    # the clock ran from intake throughout, and both decisions are in the ledger
    finish = p.case.clocks.get(name="finish")
    assert finish.started_on == dt.date(2024, 5, 6) and finish.stopped_on is None
    assert set(Entry.objects.filter(target_id=str(p.case.pk)).values_list("action", flat=True)) >= {
        "complaint.send_back", "complaint.dispute", "complaint.ruling"}
    # the bulletin counts the send-back against the basic-education section, the dispute against the school,
    # and first-routing accuracy: basic kept it in the end (the decision brought it back)
    rows = {r.unit: r for r in bulletin.monthly(tree.bureau, 2024, 5).rows}
    assert rows[basic].hops == 1 and rows[school].hops == 1
    assert rows[basic].first_routed == 1 and rows[basic].first_routing_accuracy == 100.0


def test_routing_suggests_from_closed_cases_and_records_whether_it_was_right(tree, hotline, people, school_admin):  # noqa: F811
    office, basic, school = people["operator"], tree.sibling_dept, tree.school_org
    for i, (unit, handler) in enumerate([(school, school_admin)] * 3 + [(basic, people["head"])]):
        p = valid_case(tree, hotline, people, day=f"2024-04-0{i + 1}")
        routing.petition_route(actor=office, petition=p, unit=unit, at=at(f"2024-04-0{i + 1}", 12))
        close(p, handler, f"2024-04-0{i + 1}")
    new = valid_case(tree, hotline, people, day="2024-05-06")
    suggestions = routing.suggest_units(new)
    assert [(s.unit, s.cases, round(s.share)) for s in suggestions] == [(school, 3, 75), (basic, 1, 25)]
    assert suggestions[0].basis == "同类别、同对象"
    routing.petition_route(actor=office, petition=new, unit=basic, at=at("2024-05-06", 12))
    new.refresh_from_db()
    assert (new.suggested_unit, new.suggestion_taken, new.first_unit, new.rerouted) == (school, False, basic, False)
    routed = Entry.objects.filter(action="complaint.route", target_id=str(new.case_id)).get()
    assert '"suggested":"S1"' in routed.body.replace(" ", "") and '"suggestion_taken":false' in routed.body.replace(" ", "")
    routing.petition_send_back(actor=people["handler"], petition=new, reason=str(routing.SEND_BACK_REASONS[0]),
                               better_unit=school, at=at("2024-05-06", 14))
    routing.petition_route(actor=office, petition=new, unit=school, at=at("2024-05-06", 15))
    new.refresh_from_db()
    assert new.rerouted and new.first_unit == basic  # the first routing stays on record
    other = valid_case(tree, hotline, people, day="2024-05-07")
    routing.petition_route(actor=office, petition=other, unit=school, at=at("2024-05-07", 12))

    def accuracy():
        return registry.compute(registry.get("petitions.first_routing_accuracy"), registry.Period.month(2024, 5),
                                tree.bureau).value
    assert accuracy() == 0.5  # one of the two May cases had to move
    third = valid_case(tree, hotline, people, day="2024-05-08")
    routing.petition_route(actor=office, petition=third, unit=school, at=at("2024-05-08", 12))
    assert accuracy() == pytest.approx(2 / 3)  # a record added moves the figure


def test_assisting_units_answer_their_part_by_their_own_deadline(tree, hotline, people, school_admin):  # noqa: F811
    office, basic, school = people["operator"], tree.sibling_dept, tree.school_org
    p = valid_case(tree, hotline, people)
    routing.petition_route(actor=office, petition=p, unit=basic, at=at("2024-05-06", 12))
    with pytest.raises(ValidationFailed, match="主办单位"):
        routing.add_assisting_unit(actor=office, petition=p, unit=basic, task="核实", working_days=2,
                                   at=at("2024-05-06", 13))
    part = routing.add_assisting_unit(actor=office, petition=p, unit=school, task="核实收费明细并书面说明",
                                      working_days=5, at=at("2024-05-06", 13))
    assert part.due_on == p.case.clocks.get(name="finish").due_on  # never later than the case itself
    for i in range(2):
        engine.case_log_contact(actor=people["head"], case=p.case, channel="phone", outcome="沟通", at=at("2024-05-07", 9 + i))
    with pytest.raises(ValidationFailed, match="尚未答复"):
        actions.petition_close(actor=people["head"], petition=p, result="已处理", at=at("2024-05-07", 12))
    with pytest.raises(PermissionDenied):
        engine.case_answer_part(actor=people["handler"], part=part, answer="代答")
    engine.case_answer_part(actor=school_admin, part=part, answer="已核实，退还资料费", at=at("2024-05-07", 11))
    part.refresh_from_db()
    assert part.met is True
    actions.petition_close(actor=people["head"], petition=p, result="已处理", at=at("2024-05-07", 12))
    assert p.case.__class__.objects.get(pk=p.case_id).state == "closed"


def test_the_monthly_recontact_sample_is_a_published_draw_and_finds_false_closures(
        tree, hotline, people, school_admin):  # noqa: F811
    office, basic = people["operator"], tree.sibling_dept
    ps = []
    for d in range(6, 13):
        if dt.date(2024, 5, d).weekday() >= 5:
            continue
        p = valid_case(tree, hotline, people, day=f"2024-05-{d:02d}")
        routing.petition_route(actor=office, petition=p, unit=basic, at=at(f"2024-05-{d:02d}", 12))
        close(p, people["head"], f"2024-05-{d:02d}")
        ps.append(p)
    with pytest.raises(PermissionDenied):
        closure.recontact_sample_commit(actor=people["head"], bureau=tree.bureau, year=2024, month=5)
    with pytest.raises(ValidationFailed, match="没有办结的投诉"):
        closure.recontact_sample_commit(actor=office, bureau=tree.bureau, year=2024, month=2)
    with pytest.raises(ValidationFailed, match="承诺"):  # the draw never comes before its commitment
        closure.draw_recontact_sample(actor=office, bureau=tree.bureau, year=2024, month=5)
    closure.recontact_sample_commit(actor=office, bureau=tree.bureau, year=2024, month=5, at=at("2024-06-02", 16))
    draw = closure.draw_recontact_sample(actor=office, bureau=tree.bureau, year=2024, month=5,
                                         public_value="2024-06-02 福彩 123", at=at("2024-06-03", 9))
    assert len(ps) == 5 and draw.k == 5 and sorted(draw.selected) == sorted(p.case.reference for p in ps)
    assert algorithm.verify_bundle(bundle(draw)) == []  # anyone can re-run it
    with pytest.raises(Conflict, match="不能重新抽取"):
        closure.draw_recontact_sample(actor=office, bureau=tree.bureau, year=2024, month=5)
    checks = list(RecontactCheck.objects.filter(draw=draw).order_by("id"))
    closure.record_recontact(actor=office, check=checks[0], closure_true=True, note="问题已解决")
    closure.record_recontact(actor=office, check=checks[1], closure_true=False, note="学校并未退费")
    with pytest.raises(Conflict):
        closure.record_recontact(actor=office, check=checks[1], closure_true=True, note="再登记")
    reopened = checks[1].petition
    reopened.refresh_from_db()
    assert reopened.case.state == "handling" and reopened.reopened == 1
    # the sample is the office's duty until its last complainant is re-contacted
    from edugov.cases.models import Duty
    from edugov.cases.selectors import workbench

    duty = Duty.objects.get(key=f"complaint.recontact:{draw.draw_id}").case
    assert duty.is_open and duty in workbench(office, "todo") and duty.department is not None
    for check in checks[2:]:
        closure.record_recontact(actor=office, check=check, closure_true=True, note="已解决")
    duty.refresh_from_db()
    assert duty.state == "done"
    b = bulletin.monthly(tree.bureau, 2024, 5)
    assert [c.petition for c in b.false_closures] == [reopened]
    assert {r.unit: r.false_closures for r in b.rows}[basic] == 1


def test_an_unreasonable_mark_counts_only_when_the_office_agrees(tree, hotline, people, school_admin):  # noqa: F811
    office, basic = people["operator"], tree.sibling_dept
    p = valid_case(tree, hotline, people)
    routing.petition_route(actor=office, petition=p, unit=basic, at=at("2024-05-06", 12))
    close(p, people["head"], "2024-05-06", rating=1, resolution="unsolved")

    def satisfaction():
        return {r.unit: r for r in bulletin.monthly(tree.bureau, 2024, 5).rows}[basic].satisfaction_rate
    assert satisfaction() == 0.0
    with pytest.raises(ValidationFailed, match="理由"):
        closure.mark_unreasonable(actor=people["head"], petition=p, reason=" ")
    closure.mark_unreasonable(actor=people["head"], petition=p, reason="要求学校开除涉事教师并公开道歉")
    assert satisfaction() == 0.0  # a mark alone changes nothing
    with pytest.raises(PermissionDenied):
        closure.review_unreasonable(actor=people["head"], petition=p, agree=True, note="自己同意")
    closure.review_unreasonable(actor=office, petition=p, agree=True, note="诉求超出法定处理范围")
    assert satisfaction() is None  # the only rating left the figure
    assert Entry.objects.filter(action="complaint.review_mark", target_id=str(p.case.pk)).exists()


def test_the_tracking_page_shows_every_hop_and_deadline_in_plain_words(client, tree, hotline, people, school_admin):  # noqa: F811
    office, basic, school = people["operator"], tree.sibling_dept, tree.school_org
    intake = actions.petition_intake(actor=None, organisation=tree.bureau, channel="web", category=hotline["乱收费"],
                                     description="学校收取资料费", school=tree.other_school,
                                     complainant_phone="13812345678")
    p = intake.petition
    actions.petition_triage(actor=office, petition=p, decision="valid")
    routing.petition_route(actor=office, petition=p, unit=basic)
    routing.petition_send_back(actor=people["handler"], petition=p, reason=str(routing.SEND_BACK_REASONS[1]),
                               better_unit=school)
    routing.petition_route(actor=office, petition=p, unit=school)
    routing.add_assisting_unit(actor=office, petition=p, unit=basic, task="提供收费政策依据", working_days=2)
    page = client.post(reverse("petitions:track"), {"code": intake.query_code}).content.decode()
    assert f"转交 {basic.name} 办理" in page and f"转交 {school.name} 办理" in page
    assert f"{basic.name} 退回督导室（所涉学校或机构不归本单位管理），办理时限继续计算" in page
    assert "当前承办" in page and school.name in page and f"{basic.name} 协办" in page and "尚未答复" in page
    assert str(people["handler"]) not in page and people["handler"].full_name not in page  # units, never staff


def test_staff_pages_dispute_decide_and_draw(client, tree, hotline, people, school_admin):  # noqa: F811
    office, basic, school = people["operator"], tree.sibling_dept, tree.school_org
    p = valid_case(tree, hotline, people, day=timezone.localdate().isoformat())
    routing.petition_route(actor=office, petition=p, unit=basic)
    step = lambda name: reverse("petitions:step", args=[p.case_id, name])  # noqa: E731
    client.force_login(people["handler"])
    page = client.get(p.case.get_absolute_url()).content.decode()
    assert "每件限退回一次" in page and "仍不属本单位" not in page
    client.post(step("send_back"), {"reason": str(routing.SEND_BACK_REASONS[0]),
                       "better_unit": school.pk, "version": p.case.version + 0})
    p.refresh_from_db()
    assert p.send_backs == 1
    client.force_login(office)
    page = client.get(p.case.get_absolute_url()).content.decode()
    assert "流转记录" in page and str(routing.SEND_BACK_REASONS[0]) in page and school.name in page
    routing.petition_route(actor=office, petition=p, unit=basic)
    client.force_login(people["handler"])
    page = client.get(p.case.get_absolute_url()).content.decode()
    assert "仍不属本单位：提请督导室审定" in page and "每件限退回一次" not in page
    response = client.post(step("dispute"), {"reason": "属学校自主管理事项", "better_unit": school.pk},
                           follow=True)
    assert "异议已提交督导室审定" in response.content.decode()
    client.force_login(office)
    assert "审定承办单位（最终决定）" in client.get(p.case.get_absolute_url()).content.decode()
    response = client.post(step("rule"), {"unit": school.pk, "reason": ""}, follow=True)
    assert "请写明审定理由" in response.content.decode()
    client.post(step("rule"), {"unit": school.pk, "reason": "学校自主管理事项"})
    p.refresh_from_db()
    assert p.ruled and p.case.department == school
    assert "首次派单后流转次数" in client.get(p.case.get_absolute_url()).content.decode()


def test_the_recontact_page_draws_and_records_through_its_forms(client, tree, hotline, people):
    """Issue 24: the page's two writes read their forms; a missing confirmation or verdict is said,
    and nothing is written."""
    from django.urls import reverse

    office, basic = people["operator"], tree.sibling_dept
    for d in (6, 7):
        p = valid_case(tree, hotline, people, day=f"2024-05-{d:02d}")
        routing.petition_route(actor=office, petition=p, unit=basic, at=at(f"2024-05-{d:02d}", 12))
        close(p, people["head"], f"2024-05-{d:02d}")
    client.force_login(office)
    url = reverse("petitions:recontact") + "?year=2024&month=5"
    page = client.post(url, {"public_value": "福彩 123"}, follow=True).content.decode()
    assert "请勾选确认" in page and not RecontactCheck.objects.exists()
    page = client.post(url, {"confirmed": "on"}, follow=True).content.decode()  # step 1: the commitment
    assert "第二步" in page and not RecontactCheck.objects.exists()
    client.post(url, {"public_value": "福彩 123", "confirmed": "on"})  # step 2: the draw
    check = RecontactCheck.objects.order_by("id").first()
    page = client.post(url, {"check": check.pk, "closure_true": ""}, follow=True).content.decode()
    assert "请选择办结是否属实" in page and RecontactCheck.objects.get(pk=check.pk).closure_true is None
    client.post(url, {"check": check.pk, "closure_true": "yes", "note": "问题已解决"})
    check.refresh_from_db()
    assert check.closure_true is True


def test_the_unit_a_complaint_is_about_may_supply_facts_but_never_handles_or_closes_it(tree, hotline, people,  # noqa: F811
                                                                                       school_admin):
    """Issue 27, 回避: the school complained of is recused when the complaint names it; a department
    is recused when the complaint concerns its own staff. A recused unit is not given the case and
    nobody in it closes it; it answers a part (facts) like any assisting unit."""
    office, basic = people["operator"], tree.sibling_dept
    p = valid_case(tree, hotline, people, school=tree.school)
    assert [r.organisation for r in p.case.recusals.all()] == [tree.school_org]
    with pytest.raises(ValidationFailed, match="回避"):
        routing.petition_route(actor=office, petition=p, unit=tree.school_org, at=at("2024-05-06", 12))
    routing.petition_route(actor=office, petition=p, unit=basic, at=at("2024-05-06", 12))
    routing.add_assisting_unit(actor=office, petition=p, unit=tree.school_org, task="说明情况", working_days=2,
                               at=at("2024-05-06", 13))
    engine.case_answer_part(actor=school_admin, part=p.case.parts.get(), answer="已说明收费依据。",
                            at=at("2024-05-06", 15))  # the facts, from the school itself
    # the complaint turns out to concern basic's own staff: basic is recused too, and cannot close
    engine.case_recuse(actor=office, case=p.case, organisation=basic, reason="反映本科室工作人员", at=at("2024-05-07"))
    p.refresh_from_db()
    with pytest.raises(PermissionDenied, match="回避"):
        close(p, people["handler"], "2024-05-08")
    assert p.case.state == "handling"
    assert Entry.objects.filter(action="complaint.recuse", body__contains=basic.code).exists()


def test_the_case_page_names_the_recused_unit(client, tree, hotline, people):  # noqa: F811
    p = valid_case(tree, hotline, people, school=tree.school)
    client.force_login(people["operator"])
    page = client.get(p.case.get_absolute_url()).content.decode()
    assert "回避单位" in page and f"{tree.school_org.name}（被反映的学校）" in page
