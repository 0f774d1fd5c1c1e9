import datetime as dt

import pytest
from django.urls import reverse

from edugov.accounts.models import Role
from edugov.kernel.errors import PermissionDenied, ValidationFailed
from edugov.leadership import actions
from edugov.leadership.models import Lecture, StudySession
from edugov.metrics import registry

YEAR = registry.Period.year(2024)


def fig(key, org):
    return registry.compute(registry.get(key), YEAR, org).display


def test_each_record_moves_its_figure_and_a_record_entered_twice_is_refused(tree, make_user):
    staff = make_user(Role.DEPARTMENT_STAFF, tree.dept)
    session = {"actor": staff, "organisation": tree.bureau, "kind": "central_group", "held_on": dt.date(2024, 3, 5),
                   "topic": "习近平法治思想专题学习", "chaired_by": "主任", "expected": 10, "attended": 9, "first_topic": True}
    actions.session_add(**session)
    actions.session_add(**{**session, "kind": "committee", "topic": "会前学法", "first_topic": False, "on_law": True,
                           "attended": 10})
    assert fig("leadership.study_sessions", tree.bureau) == "2次"
    assert (fig("leadership.central_group_sessions", tree.bureau), fig("leadership.first_topic_sessions", tree.bureau),
            fig("leadership.law_study_sessions", tree.bureau)) == ("1次", "1次", "1次")
    assert fig("leadership.attendance_rate", tree.bureau) == "95.0%"  # 19 of 20
    with pytest.raises(ValidationFailed) as twice:
        actions.session_add(**session)
    assert twice.value.field == "topic" and StudySession.objects.count() == 2
    with pytest.raises(ValidationFailed) as more:
        actions.session_add(**{**session, "topic": "另一次", "attended": 11})
    assert more.value.field == "attended"
    with pytest.raises(ValidationFailed):
        actions.session_add(**{**session, "topic": "将来", "held_on": dt.date.today() + dt.timedelta(days=2)})
    with pytest.raises(PermissionDenied):
        actions.session_add(**{**session, "actor": make_user(Role.SCHOOL_ADMIN, tree.school_org), "topic": "学校"})

    # 述法 counts for the year it accounts for, given early in the next
    actions.account_add(actor=staff, organisation=tree.bureau, year=2024, person="主任", delivered_on=dt.date(2025, 1, 20),
                        before="区委依法治区委员会", summary="履行第一责任人职责情况")
    assert fig("leadership.legal_accounts", tree.bureau) == "1次"
    with pytest.raises(ValidationFailed):
        actions.account_add(actor=staff, organisation=tree.bureau, year=2024, person="主任",
                            delivered_on=dt.date(2025, 1, 21), before="工委会", summary="again")
    with pytest.raises(ValidationFailed):  # a year not yet over cannot be accounted for before it began
        actions.account_add(actor=staff, organisation=tree.bureau, year=2026, person="副主任",
                            delivered_on=dt.date(2025, 1, 21), before="工委会", summary="s")

    # the committee's hearings: the quarter is the day's
    for day in (dt.date(2024, 2, 20), dt.date(2024, 5, 20), dt.date(2024, 5, 28)):
        actions.report_heard(actor=staff, organisation=tree.bureau, heard_on=day, subject=f"执法工作{day.day}",
                             reporter="科长")
    assert (fig("leadership.quarterly_reports", tree.bureau), fig("leadership.quarters_heard", tree.bureau)) \
        == ("3次", "2个季度")
    with pytest.raises(ValidationFailed):
        actions.report_heard(actor=staff, organisation=tree.bureau, heard_on=dt.date(2024, 6, 1),
                             subject="执法工作20", reporter="科长")

    # a lecture in a school of the district, not of another
    actions.lecture_add(actor=staff, organisation=tree.bureau, held_on=dt.date(2024, 5, 1), title="宪法宣讲",
                        school=tree.school, audience=300)
    assert fig("study.lectures", tree.bureau) == "1场次"
    with pytest.raises(ValidationFailed):
        actions.lecture_add(actor=staff, organisation=tree.bureau, held_on=dt.date(2024, 5, 1), title="宣讲",
                            school=tree.other_district_school, audience=300)
    assert fig("study.lectures", tree.other_bureau) == "0场次"


def test_the_page_adds_lists_and_exports_and_keeps_what_was_typed(client, tree, make_user):
    client.force_login(make_user(Role.DEPARTMENT_STAFF, tree.dept))
    add = reverse("leadership:add", args=["lecture"])
    page = client.post(add, {"lecture-held_on": "2024-05-01", "lecture-title": "", "lecture-school": tree.school.pk,
                             "lecture-audience": "80", "lecture-given_by": "主任"})
    assert page.status_code == 400 and not Lecture.objects.exists()
    assert "这个字段是必填项" in page.content.decode() and 'value="主任"' in page.content.decode()
    other = client.post(add, {"lecture-held_on": "2024-05-01", "lecture-title": "宣讲",
                              "lecture-school": tree.other_district_school.pk, "lecture-audience": "80"})
    assert other.status_code == 400 and not Lecture.objects.exists()  # another district's school is not offered
    client.post(add, {"lecture-held_on": "2024-05-01", "lecture-title": "宪法宣讲", "lecture-school": tree.school.pk,
                      "lecture-audience": "80"})
    html = client.get(reverse("leadership:home") + "?kind=lecture&year=2024").content.decode()
    assert "宪法宣讲" in html and tree.school.name in html
    export = client.get(reverse("leadership:home") + "?kind=lecture&year=2024&export=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")
    session = {"session-kind": "committee", "session-held_on": "2024-03-01", "session-topic": "会前学法",
               "session-chaired_by": "主任", "session-expected": "9", "session-attended": "9"}
    assert client.post(reverse("leadership:add", args=["session"]), session).status_code == 302
    again = client.post(reverse("leadership:add", args=["session"]), session)
    assert again.status_code == 400 and "不重复计算" in again.content.decode()
    assert StudySession.objects.count() == 1
    assert client.post(reverse("leadership:add", args=["nothing"]), {}).status_code == 404
    client.force_login(make_user(Role.SCHOOL_ADMIN, tree.school_org))
    assert client.get(reverse("leadership:home")).status_code == 403
