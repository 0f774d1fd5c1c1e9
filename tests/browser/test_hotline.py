import datetime as dt

import pytest
from playwright.sync_api import expect

from edugov.accounts.models import Role
from edugov.petitions.models import Category, Hotline, Petition

from .conftest import file_complaint, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Pass-word-2024"


def test_a_complaint_from_the_public_form_to_the_rating(new_page, live_server, tree, make_user):
    Hotline.objects.create(organisation=tree.bureau, office=tree.dept, opened_on=dt.date(2024, 3, 1))
    Category.objects.create(organisation=tree.bureau, name="乱收费")
    make_user(Role.SUPERVISION_STAFF, tree.dept, username="operator", password=PASSWORD)
    make_user(Role.DEPARTMENT_STAFF, tree.sibling_dept, username="handler", password=PASSWORD)
    make_user(Role.DEPARTMENT_HEAD, tree.sibling_dept, username="head", password=PASSWORD)

    page_as = new_page

    # the complainant, on a phone, without an account
    citizen = page_as(390)
    citizen.goto(live_server.url + "/complaints/new/")
    code = file_complaint(citizen, "13812345678", tree.school.name, "学校以资料费名义收费")
    shot(citizen, "hotline-1-receipt")
    case = Petition.objects.get().case

    # the supervision office: valid, routed
    office = page_as()
    login(office, "operator", PASSWORD)
    office.goto(live_server.url + case.get_absolute_url())
    office.get_by_role("button", name="甄别为有效件").click()
    office.get_by_label("承办单位").select_option(label=tree.sibling_dept.name)
    office.get_by_role("button", name="转办").click()
    expect(office.get_by_text("已完成：转办")).to_be_visible()

    # the handler tries to close without the two calls, is told why; the head closes with a reason
    unit = page_as()
    login(unit, "handler", PASSWORD)
    unit.goto(live_server.url + case.get_absolute_url())
    unit.get_by_label("向投诉人反馈的办理结果").fill("已责令学校退还资料费")
    unit.get_by_label("我确认已向投诉人反馈上述结果。").check()
    unit.get_by_role("button", name="办结").click()
    expect(unit.locator(".msg-error").get_by_text("未满足3233要求")).to_be_visible()
    shot(unit, "hotline-2-3233-refused")
    head = page_as()
    login(head, "head", PASSWORD)
    head.goto(live_server.url + case.get_absolute_url())
    head.get_by_label("向投诉人反馈的办理结果").fill("已责令学校退还资料费")
    head.get_by_label("如未满足3233要求：科室负责人说明理由").fill("投诉人当面来访，已当场答复")
    head.get_by_label("我确认已向投诉人反馈上述结果。").check()
    head.get_by_role("button", name="办结").click()
    expect(head.get_by_text("已完成：办结")).to_be_visible()

    # the complainant reads the reply and rates it
    citizen.goto(live_server.url + "/complaints/track/")
    citizen.get_by_label("查询码").fill(code)
    citizen.get_by_role("button", name="查询").click()
    expect(citizen.get_by_text("已责令学校退还资料费")).to_be_visible()
    citizen.get_by_label("非常满意").check()
    citizen.get_by_label("已解决").check()
    citizen.get_by_role("button", name="提交评价").click()
    expect(citizen.get_by_text("感谢您的评价")).to_be_visible()
    shot(citizen, "hotline-3-rated")
    assert Petition.objects.get().rating == 5


def test_a_case_bounced_between_units_ends_at_the_offices_decision(new_page, live_server, tree, make_user):
    """Issue 12: one send-back, then the supervision office decides; the complainant sees each hop."""
    from edugov.petitions import actions, routing

    Hotline.objects.create(organisation=tree.bureau, office=tree.dept, opened_on=dt.date(2024, 3, 1))
    category = Category.objects.create(organisation=tree.bureau, name="乱收费")
    operator = make_user(Role.SUPERVISION_STAFF, tree.dept, username="operator", password=PASSWORD)
    make_user(Role.DEPARTMENT_STAFF, tree.sibling_dept, username="handler", password=PASSWORD)
    make_user(Role.SCHOOL_ADMIN, tree.school_org, username="school", password=PASSWORD)
    intake = actions.petition_intake(actor=None, organisation=tree.bureau, channel="web", category=category,
                                     description="学校以资料费名义收费", school=tree.other_school,
                                     complainant_phone="13812345678")
    actions.petition_triage(actor=operator, petition=intake.petition, decision="valid")
    case = intake.petition.case

    def page_as(user):
        p = new_page()
        login(p, user, PASSWORD)
        p.goto(live_server.url + case.get_absolute_url())
        return p

    office = page_as("operator")
    office.get_by_label("承办单位").select_option(label=tree.sibling_dept.name)
    office.get_by_role("button", name="转办").click()
    unit = page_as("handler")
    unit.locator("#r-sb").select_option(label="所涉学校或机构不归本单位管理")
    unit.locator("#s-sb").select_option(label=tree.school_org.name)
    unit.get_by_role("button", name="退回：不属本单位").click()
    expect(unit.get_by_text("已完成：退回：不属本单位")).to_be_visible()
    office.reload()
    office.get_by_label("承办单位").select_option(label=tree.school_org.name)
    office.get_by_role("button", name="转办").click()
    school = page_as("school")
    assert school.get_by_role("button", name="退回：不属本单位").count() == 0  # once per case
    school.locator("#dis-r").fill("收费政策属基础教育科职责")
    school.locator("#dis-u").select_option(label=tree.sibling_dept.name)
    school.get_by_role("button", name="提请审定").click()
    expect(school.get_by_text("异议已提交督导室审定")).to_be_visible()
    office.reload()
    office.locator("#rule-u").select_option(label=tree.school_org.name)
    office.locator("#rule-r").fill("属学校自主管理事项，由学校承办")
    office.get_by_role("button", name="登记审定结果").click()
    expect(office.get_by_text("审定结果已登记，为最终决定")).to_be_visible()
    shot(office, "hotline-4-decided")
    expect(office.locator("dd", has_text="承办单位经督导室审定")).to_be_visible()

    citizen = new_page(390)
    citizen.goto(live_server.url + "/complaints/track/")
    citizen.get_by_label("查询码").fill(intake.query_code)
    citizen.get_by_role("button", name="查询").click()
    expect(citizen.get_by_text(f"督导室审定由 {tree.school_org.name} 承办，此为最终决定。")).to_be_visible()
    expect(citizen.get_by_text(f"{tree.sibling_dept.name} 退回督导室")).to_be_visible()
    shot(citizen, "hotline-5-hops")
    assert routing.hop_count(Petition.objects.get()) == 4
