import pytest
from playwright.sync_api import expect

from edugov.accounts.models import Role

from .conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_school_admin_sees_own_school_and_is_refused_another(page, tree, make_user):
    make_user(Role.SCHOOL_ADMIN, tree.school_org, username="school1", password="Pass-word-2024")
    login(page, "school1", "Pass-word-2024")
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    page.get_by_role("link", name="学校").first.click()
    expect(page.get_by_role("link", name=tree.school.name)).to_be_visible()
    assert page.get_by_text(tree.other_school.name).count() == 0
    page.get_by_role("link", name=tree.school.name).click()
    expect(page.get_by_role("heading", name=tree.school.name)).to_be_visible()
    shot(page, "school-admin-own-school")
    response = page.goto(page.base + tree.other_school.get_absolute_url())
    assert response.status == 403
    expect(page.get_by_text("您无权查看该学校")).to_be_visible()
    shot(page, "school-admin-refused")


def test_wrong_password_gets_a_chinese_message_and_no_session(page, tree, make_user):
    make_user(Role.BUREAU_LEADER, tree.bureau, username="leader", password="Pass-word-2024")
    login(page, "leader", "wrong-password")
    expect(page.get_by_text("用户名或密码不正确")).to_be_visible()
    assert "/accounts/login/" in page.url
