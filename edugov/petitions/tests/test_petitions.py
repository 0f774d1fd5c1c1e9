import datetime as dt

import pytest
from django.utils import timezone

from edugov.accounts.models import Role
from edugov.audit.models import Entry
from edugov.cases import actions as engine
from edugov.kernel import sms
from edugov.kernel.errors import PermissionDenied, ValidationFailed
from edugov.metrics import registry
from edugov.petitions import actions, routing
from edugov.petitions.models import Petition


def at(day, hour=10):
    return timezone.make_aware(dt.datetime.fromisoformat(day).replace(hour=hour))


def intake(tree, hotline, people, **kw):
    args = {"actor": people["operator"], "organisation": tree.bureau, "channel": "hotline",
            "category": hotline["违规补课"], "description": "周末在校外培训机构补课", "school": tree.school,
            "complainant_name": "张三", "complainant_phone": "13812345678", "at": at("2024-05-06")}
    args.update(kw)
    return actions.petition_intake(**args)


def test_intake_opens_a_case_with_the_3233_clock_and_a_query_code(tree, hotline, people):
    got = intake(tree, hotline, people)
    case = got.petition.case
    assert case.kind == "complaint" and case.state == "received" and case.department == tree.dept
    assert case.reference.startswith("甲教督〔2024〕")
    assert case.clocks.get(name="finish").due_on == dt.date(2024, 5, 9)  # 3 working days
    assert actions.find_by_query_code(got.query_code.lower()) == got.petition
    assert "13812345678" not in Entry.objects.get(action="complaint.intake").body


def test_a_double_submit_creates_one_case(tree, hotline, people):
    a = intake(tree, hotline, people, idempotency_key="k-1")
    b = intake(tree, hotline, people, idempotency_key="k-1")
    c = intake(tree, hotline, people)  # same content within a minute, no key
    assert b.replayed and c.replayed and b.petition == a.petition == c.petition and b.query_code == a.query_code
    assert Petition.objects.count() == 1


def test_possible_duplicates_are_linked_not_merged(tree, hotline, people):
    first = intake(tree, hotline, people).petition
    second = intake(tree, hotline, people, description="又补课了", at=at("2024-05-20")).petition
    third = intake(tree, hotline, people, description="换了手机号", complainant_phone="13900000000",
                   at=at("2024-05-21")).petition
    assert second.duplicate_of == first and third.duplicate_of is None and Petition.objects.count() == 3


def test_bad_intake_gets_a_reason_and_writes_nothing(tree, hotline, people, make_user):
    with pytest.raises(ValidationFailed, match="请描述反映的问题"):
        intake(tree, hotline, people, description="  ")
    with pytest.raises(ValidationFailed, match="11位"):
        intake(tree, hotline, people, complainant_phone="12345")
    with pytest.raises(ValidationFailed, match="请填写被反映的学校或机构"):
        intake(tree, hotline, people, school=None)
    with pytest.raises(PermissionDenied):
        intake(tree, hotline, people, actor=make_user(Role.SCHOOL_ADMIN, tree.school_org))
    assert not Petition.objects.exists()


def test_the_whole_handling_with_the_3233_rule(tree, hotline, people):
    p = intake(tree, hotline, people, is_key=True).petition
    actions.petition_triage(actor=people["operator"], petition=p, decision="valid", at=at("2024-05-06", 11))
    routing.petition_route(actor=people["operator"], petition=p, unit=tree.sibling_dept, at=at("2024-05-06", 12))
    p.refresh_from_db()
    assert p.case.state == "handling" and p.case.department == tree.sibling_dept
    with pytest.raises(ValidationFailed, match="3233"):
        actions.petition_close(actor=people["handler"], petition=p, result="已责令停止补课", at=at("2024-05-07"))
    with pytest.raises(PermissionDenied):
        actions.petition_close(actor=people["handler"], petition=p, result="已责令停止补课", override_reason="无法联系",
                               at=at("2024-05-07"))
    for channel in ("phone", "phone", "visit"):
        engine.case_log_contact(actor=people["handler"], case=p.case, channel=channel, outcome="已沟通", at=at("2024-05-07"))
    actions.petition_close(actor=people["handler"], petition=p, result="已责令停止补课", at=at("2024-05-08"))
    p.refresh_from_db()
    assert p.case.state == "closed" and p.case.clocks.get(name="finish").met
    assert all(part["met"] for part in actions.rule_3233(p))


def test_only_calls_that_reached_the_complainant_count_for_3233(tree, hotline, people):
    """Issue 27: a call to the accused teacher and a call nobody answered do not make "two calls"."""
    p = intake(tree, hotline, people).petition
    actions.petition_triage(actor=people["operator"], petition=p, decision="valid", at=at("2024-05-06", 11))
    routing.petition_route(actor=people["operator"], petition=p, unit=tree.sibling_dept, at=at("2024-05-06", 12))
    handler = people["handler"]
    engine.case_log_contact(actor=handler, case=p.case, channel="phone", outcome="未能接通", reached=False,
                            at=at("2024-05-07", 9))
    engine.case_log_contact(actor=handler, case=p.case, channel="phone", counterpart="被反映教师", with_party=False,
                            outcome="了解情况", at=at("2024-05-07", 10))
    with pytest.raises(ValidationFailed):  # someone other than the complainant must be named
        engine.case_log_contact(actor=handler, case=p.case, channel="phone", with_party=False, outcome="了解情况")
    calls = next(part for part in actions.rule_3233(p) if part["key"] == "calls")
    assert calls["met"] is False and "0" in str(calls["label"]) and "1" in str(calls["label"])  # 0 so far; 1 attempt
    with pytest.raises(ValidationFailed, match="3233"):
        actions.petition_close(actor=handler, petition=p, result="已处理", at=at("2024-05-07", 15))
    for hour in (11, 14):
        engine.case_log_contact(actor=handler, case=p.case, channel="phone", outcome="已沟通", at=at("2024-05-07", hour))
    actions.petition_close(actor=handler, petition=p, result="已处理", at=at("2024-05-07", 15))
    # an anonymous complaint has nobody to call: the part says so and does not pretend, nor block
    anonymous = intake(tree, hotline, people, complainant_phone="", complainant_name="").petition
    calls = next(part for part in actions.rule_3233(anonymous) if part["key"] == "calls")
    assert calls["met"] is None and calls["blocking"] is False


def test_a_unit_sends_back_once_within_a_working_day(tree, hotline, people):
    p = intake(tree, hotline, people).petition
    actions.petition_triage(actor=people["operator"], petition=p, decision="valid")
    routing.petition_route(actor=people["operator"], petition=p, unit=tree.sibling_dept)
    reason = str(routing.SEND_BACK_REASONS[0])
    with pytest.raises(ValidationFailed, match="请从列表中选择"):
        routing.petition_send_back(actor=people["handler"], petition=p, reason="随便写的", better_unit=tree.school_org)
    routing.petition_send_back(actor=people["handler"], petition=p, reason=reason, better_unit=tree.school_org)
    p.refresh_from_db()
    assert p.case.state == "triaged" and p.send_backs == 1 and p.case.clocks.get(name="finish").stopped_on is None
    routing.petition_route(actor=people["operator"], petition=p, unit=tree.sibling_dept)
    with pytest.raises(ValidationFailed, match="已退回过一次"):
        routing.petition_send_back(actor=people["handler"], petition=p, reason=reason, better_unit=tree.school_org)


def test_only_the_complainant_rates_once_after_closing(tree, hotline, people, django_capture_on_commit_callbacks):
    p = intake(tree, hotline, people).petition
    actions.petition_triage(actor=people["operator"], petition=p, decision="valid")
    routing.petition_route(actor=people["operator"], petition=p, unit=tree.sibling_dept)
    for _ in range(2):
        engine.case_log_contact(actor=people["handler"], case=p.case, channel="phone", outcome="已沟通")
    with django_capture_on_commit_callbacks(execute=True):
        actions.petition_close(actor=people["handler"], petition=p, result="已处理")
    assert sms.outbox[-1][0] == "13812345678" and "已处理" in sms.outbox[-1][1]
    actions.petition_rate(petition=p, rating=5)
    with pytest.raises(Exception, match="已评价|rated already"):
        actions.petition_rate(petition=p, rating=1)


def test_the_petitions_figures_are_counted_from_records(tree, hotline, people):
    year = registry.Period.year(2024)

    def fig(key):
        return registry.compute(registry.get(key), year, tree.bureau)

    ps = [intake(tree, hotline, people, description=f"事项{i}", at=at(f"2024-0{4 + i}-10")).petition for i in range(4)]
    for p in ps[:3]:
        actions.petition_triage(actor=people["operator"], petition=p, decision="valid")
    actions.petition_triage(actor=people["operator"], petition=ps[3], decision="invalid", reason="咨询类，已当场答复")
    for p in ps[:2]:
        routing.petition_route(actor=people["operator"], petition=p, unit=tree.sibling_dept, at=at("2024-06-01"))
        actions.petition_close(actor=people["head"], petition=p, result="已处理", override_reason="投诉人拒接电话",
                               at=at("2024-06-02"))
    assert (fig("petitions.received").value, fig("petitions.valid").value, fig("petitions.completed").value,
            fig("petitions.in_progress").value) == (4, 3, 2, 1)
    assert fig("petitions.completion_rate").display == "66.7%"
    assert fig("petitions.resolution_rate").display == "无人回答"  # nobody has answered yet
    actions.petition_rate(petition=ps[0], rating=5, resolution="solved")
    actions.petition_rate(petition=ps[1], rating=3, resolution="unsolved")
    assert fig("petitions.resolution_rate").display == "50.0%"
    intake(tree, hotline, people, description="新的一件", at=at("2024-11-10"))
    assert fig("petitions.received").display == "5件"


def _answered_petition(tree, hotline, people, make_user):
    p = intake(tree, hotline, people, nature="petition").petition
    assert p.case.kind == "petition" and p.case.clocks.get(name="accept").amount == 15
    actions.petition_triage(actor=people["operator"], petition=p, decision="valid", at=at("2024-05-07"))
    finish = p.case.clocks.get(name="finish")
    assert finish.unit == "natural" and finish.amount == 60
    return p


def test_one_extension_of_up_to_30_days_by_a_leader(tree, hotline, people, make_user, django_capture_on_commit_callbacks):
    p = _answered_petition(tree, hotline, people, make_user)
    due = p.case.clocks.get(name="finish").due_on
    with pytest.raises(PermissionDenied):
        actions.petition_extend(actor=people["handler"], petition=p, days=30, reason="需要现场核查")
    with pytest.raises(ValidationFailed, match="1至30|1 to 30"):
        actions.petition_extend(actor=people["head"], petition=p, days=45, reason="需要现场核查")
    with django_capture_on_commit_callbacks(execute=True):
        actions.petition_extend(actor=people["head"], petition=p, days=30, reason="需要现场核查")
    new_due = p.case.clocks.get(name="finish").due_on
    from edugov.kernel.calendar import LegalCalendar

    # 60 + 30 days counted from acceptance (7 May), moved off a rest day, not 30 days after the old due date
    assert due == LegalCalendar().add_natural_days(dt.date(2024, 5, 7), 60).date
    assert new_due == LegalCalendar().add_natural_days(dt.date(2024, 5, 7), 90).date == dt.date(2024, 8, 5)
    assert "需要现场核查" in sms.outbox[-1][1]
    with pytest.raises(ValidationFailed, match="已延期|once already"):
        actions.petition_extend(actor=people["head"], petition=p, days=5, reason="再延")


def test_review_then_rereview_then_nothing_more(tree, hotline, people, make_user):
    """Issue 25 item 4: the 30 days run from the petitioner's receipt of the written answer, not from
    the in-system close; the review and the re-review are answered by the bodies one and two levels
    up that the district's legal settings name, the office recording their answers."""
    from edugov.accounts.actions import legal_settings_set

    leader = make_user(Role.BUREAU_LEADER, tree.bureau)
    p = _answered_petition(tree, hotline, people, make_user)
    routing.petition_route(actor=people["operator"], petition=p, unit=tree.sibling_dept, at=at("2024-05-08"))
    actions.petition_close(actor=people["head"], petition=p, result="答复意见", override_reason="已书面答复",
                           at=at("2024-06-01"))
    with pytest.raises(ValidationFailed, match="复查|review"):  # no body named yet: nothing forwarded
        actions.petition_request_review(petition=p, at=at("2024-06-20"))
    legal_settings_set(actor=None, organisation=tree.bureau, reconsideration_body="某区人民政府", court="某区人民法院",
                       review_body="某区人民政府信访工作机构", recheck_body="某市人民政府信访工作机构")
    with pytest.raises(PermissionDenied):  # receipt is the office's to record
        actions.petition_answer_received(actor=leader, petition=p, received_on=dt.date(2024, 6, 14),
                                         at=at("2024-06-20"))
    with pytest.raises(ValidationFailed, match="2024-06-01"):  # not before the answer
        actions.petition_answer_received(actor=people["operator"], petition=p, received_on=dt.date(2024, 5, 30),
                                         at=at("2024-06-20"))
    # served on 14 June: 30 days end on 14 July, a Sunday, so Monday 15 July is the last day. Counted from
    # the close (1 June) the request on 15 July would have been refused.
    actions.petition_answer_received(actor=people["operator"], petition=p, received_on=dt.date(2024, 6, 14),
                                     at=at("2024-06-20"))
    p.refresh_from_db()
    with pytest.raises(ValidationFailed, match="2024-07-15"):
        actions.petition_request_review(petition=p, at=at("2024-07-16"))
    actions.petition_request_review(petition=p, at=at("2024-07-15"))
    p.refresh_from_db()
    assert p.case.state == "review" and p.case.clocks.get(name="review").amount == 30
    assert p.case.events.filter(transition="request_review", data__body="某区人民政府信访工作机构").exists()
    with pytest.raises(PermissionDenied):  # not the bureau's leaders: the office records the body's answer
        actions.petition_answer_review(actor=leader, petition=p, transition="answer_review", result="维持原意见")
    p = actions.petition_answer_review(actor=people["operator"], petition=p, transition="answer_review",
                                       result="维持原意见")
    assert p.review_stage == "review" and p.answer_received_on is None
    # the review's answer not yet served: the re-review period has not begun
    actions.petition_request_review(petition=p, at=at("2024-09-30"))
    p.refresh_from_db()
    assert p.case.state == "rereview" and p.review_stage == "rereview"
    assert p.case.events.filter(transition="request_rereview", data__body="某市人民政府信访工作机构").exists()
    actions.petition_answer_review(actor=people["operator"], petition=p, transition="answer_rereview", result="维持")
    with pytest.raises(ValidationFailed, match="不再受理|not accepted again"):
        actions.petition_request_review(petition=p, at=at("2024-10-25"))
