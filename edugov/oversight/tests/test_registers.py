import datetime as dt

import pytest
from django.urls import reverse

from edugov.accounts.models import Role
from edugov.kernel.errors import ValidationFailed
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


def test_the_page_adds_lists_and_exports(client, tree, make_user):
    from edugov.oversight.models import PublicationItem

    client.force_login(make_user(Role.DEPARTMENT_STAFF, tree.dept))
    url = reverse("oversight:registers") + "?kind=publication"
    add = reverse("oversight:register_add", args=["publication"])
    page = client.post(add, {"publication-published_on": "2024-05-01", "publication-title": "",
                             "publication-category": "通知公告", "publication-channel": "website"})
    assert page.status_code == 400 and not PublicationItem.objects.exists()
    html = page.content.decode()
    assert "这个字段是必填项" in html and 'value="通知公告"' in html  # the error, and what was typed kept
    client.post(add, {"publication-published_on": "2024-05-01", "publication-title": "招生政策解读",
                      "publication-category": "通知公告", "publication-channel": "website"})
    page = client.get(url + "&year=2024").content.decode()
    assert "招生政策解读" in page
    assert client.get(url + "&year=2024&export=xlsx").status_code == 200
    assert client.post(reverse("oversight:register_add", args=["lecture"]), {}).status_code == 404  # moved


def test_an_inquiry_answered_before_it_came_is_refused_on_its_field(client, tree, make_user):
    from edugov.oversight.models import Inquiry

    client.force_login(make_user(Role.DEPARTMENT_STAFF, tree.dept))
    page = client.post(reverse("oversight:register_add", args=["inquiry"]), {
        "inquiry-received_on": "2024-05-03", "inquiry-summary": "入学政策", "inquiry-answered_on": "2024-05-01",
        "inquiry-channel": "hotline"})
    assert page.status_code == 400 and not Inquiry.objects.exists()
    html = page.content.decode()
    assert "答复日期不能早于受理日期" in html and 'value="入学政策"' in html
