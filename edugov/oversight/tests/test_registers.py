import datetime as dt

import pytest
from django.urls import reverse

from edugov.accounts.models import Role
from edugov.kernel.errors import PermissionDenied, ValidationFailed
from edugov.metrics import registry
from edugov.oversight import actions


def test_each_entry_moves_its_figure_and_bad_entries_are_refused(tree, make_user):
    staff = make_user(Role.DEPARTMENT_STAFF, tree.dept)
    year = registry.Period.year(2024)

    def fig(key):
        return registry.compute(registry.get(key), year, tree.bureau).display
    for i in range(12):
        actions.add_publication(actor=staff, organisation=tree.bureau, title=f"通知{i}", category="通知公告",
                                published_on=dt.date(2024, 3, 1), channel="website")
    assert fig("publication.items") == "10余条"  # the report's way: rounded down to tens, 余
    actions.add_inquiry(actor=staff, organisation=tree.bureau, received_on=dt.date(2024, 5, 1), channel="wechat",
                        summary="入学材料", answered_on=dt.date(2024, 5, 2), problem_solved=True)
    assert (fig("publication.inquiries"), fig("publication.problems_solved")) == ("1人次", "1个")
    with pytest.raises(ValidationFailed):
        actions.add_inquiry(actor=staff, organisation=tree.bureau, received_on=dt.date(2024, 5, 3), channel="wechat",
                            summary="x", answered_on=dt.date(2024, 5, 1), problem_solved=False)
    with pytest.raises(ValidationFailed):
        actions.add_lecture(actor=staff, organisation=tree.bureau, held_on=dt.date.today() + dt.timedelta(days=3),
                            title="宣讲", place="学校", audience=100)
    with pytest.raises(PermissionDenied):
        actions.add_lecture(actor=make_user(Role.SCHOOL_ADMIN, tree.school_org), organisation=tree.bureau,
                            held_on=dt.date(2024, 5, 1), title="宣讲", place="学校", audience=100)
    actions.add_lecture(actor=staff, organisation=tree.bureau, held_on=dt.date(2024, 5, 1), title="宣讲", place="学校",
                        audience=100)
    assert fig("study.lectures") == "1场次"


def test_the_page_adds_lists_and_exports(client, tree, make_user):
    from edugov.oversight.models import Lecture

    client.force_login(make_user(Role.DEPARTMENT_STAFF, tree.dept))
    url = reverse("oversight:registers") + "?kind=lecture"
    add = reverse("oversight:register_add", args=["lecture"])
    page = client.post(add, {"lecture-held_on": "2024-05-01", "lecture-title": "", "lecture-place": "学校",
                             "lecture-audience": "80"})
    assert page.status_code == 400 and not Lecture.objects.exists()
    html = page.content.decode()
    assert "这个字段是必填项" in html and 'value="学校"' in html  # the error, and what was typed kept
    client.post(add, {"lecture-held_on": "2024-05-01", "lecture-title": "宪法宣讲", "lecture-place": "第一小学",
                      "lecture-audience": "80"})
    page = client.get(url + "&year=2024").content.decode()
    assert "宪法宣讲" in page
    assert client.get(url + "&year=2024&export=xlsx").status_code == 200
    assert client.post(reverse("oversight:register_add", args=["nothing"]), {}).status_code == 404


def test_an_inquiry_answered_before_it_came_is_refused_on_its_field(client, tree, make_user):
    from edugov.oversight.models import Inquiry

    client.force_login(make_user(Role.DEPARTMENT_STAFF, tree.dept))
    page = client.post(reverse("oversight:register_add", args=["inquiry"]), {
        "inquiry-received_on": "2024-05-03", "inquiry-summary": "入学政策", "inquiry-answered_on": "2024-05-01",
        "inquiry-channel": "hotline"})
    assert page.status_code == 400 and not Inquiry.objects.exists()
    html = page.content.decode()
    assert "答复日期不能早于受理日期" in html and 'value="入学政策"' in html
