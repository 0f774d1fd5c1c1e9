"""Members of the public see only their own matters, never staff pages; zh-hans is the default
and English is available."""

import pytest
from django.urls import reverse

from edugov.accounts.models import Role, UserKind
from edugov.cases import actions
from tests.workflow_fixture import TEST_WORKFLOW  # noqa: F401


@pytest.fixture
def citizen(make_user):
    user = make_user(username="p_citizen")
    user.kind = UserKind.PUBLIC
    user.phone = "13900001111"
    user.save()
    return user


def test_a_citizen_sees_only_their_own_matters(client, tree, make_user, citizen):
    staff = make_user(Role.DEPARTMENT_STAFF, tree.dept)
    mine = actions.case_open(actor=staff, kind="testcase", organisation=tree.bureau, department=tree.dept,
                             title="我的申请事项", applicant=citizen)
    actions.case_open(actor=staff, kind="testcase", organisation=tree.bureau, department=tree.dept,
                      title="别人的申请事项")
    client.force_login(citizen)
    html = client.get(reverse("portal:my")).content.decode()
    assert mine.reference in html and "我的申请事项" in html and "别人的申请事项" not in html
    assert client.get(mine.get_absolute_url()).status_code == 403  # the staff case page is not theirs


@pytest.mark.parametrize("name", ["cases:workbench", "registries:schools", "registries:people", "audit:home"])
def test_a_citizen_is_refused_every_staff_page(client, citizen, name):
    client.force_login(citizen)
    r = client.get(reverse(name))
    assert r.status_code == 403


def test_home_sends_each_kind_of_user_to_their_own_page(client, tree, make_user, citizen):
    client.force_login(citizen)
    assert client.get(reverse("accounts:home"))["Location"] == reverse("portal:my")
    client.force_login(make_user(Role.SCHOOL_ADMIN, tree.school_org))
    assert client.get(reverse("accounts:home"))["Location"] == reverse("cases:workbench")
    client.force_login(make_user())  # staff account without any role
    assert "尚未分配角色" in client.get(reverse("accounts:home")).content.decode()


def test_chinese_by_default_and_english_on_request(client, tree, make_user):
    client.force_login(make_user(Role.BUREAU_LEADER, tree.bureau))
    assert "工作台" in client.get(reverse("cases:workbench")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/cases/"})
    html = client.get(reverse("cases:workbench")).content.decode()
    assert "Workbench" in html and "To do" in html


def test_every_page_sends_a_content_security_policy_without_inline_script(client):
    r = client.get(reverse("portal:home"))
    csp = r["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "<script>" not in r.content.decode()
