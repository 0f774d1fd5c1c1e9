"""Issue 8 in Chromium, each part by its own user: the supervision office patrols and the school
rectifies; the school submits its risk ledger and the office answers it; a legal vice-principal
records a class; special-school staff admit, release and follow up a student."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from edugov.accounts.models import OrgKind, Role
from edugov.registries.models import Person, School, SchoolLevel

from .conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Pass-word-2024"


def test_each_part_by_its_own_user(browser, live_server, tree, make_user):
    from edugov.schools import actions as lvps

    make_user(Role.SUPERVISION_STAFF, tree.dept, username="office", password=PASSWORD)
    make_user(Role.SCHOOL_ADMIN, tree.school_org, username="school", password=PASSWORD)
    lvp_user = make_user(Role.LEGAL_VP, tree.school_org, username="lvp", password=PASSWORD)
    staff = make_user(Role.DEPARTMENT_STAFF, tree.dept)
    person = Person.objects.create(organisation=tree.bureau, kind="legal_vp", name="何勇", user=lvp_user,
                                   identity_number="500101198001010019", gender="M", birth_date=dt.date(1980, 1, 1),
                                   sending_agency="police", agency_name="甲区公安分局")
    appointment = lvps.appoint(actor=staff, person=person, school=tree.school, starts_on=dt.date.today() - dt.timedelta(
        days=30))
    org = tree.bureau.__class__.objects.create(code="SS1", name="甲区专门学校", kind=OrgKind.SCHOOL, parent=tree.bureau)
    School.objects.create(organisation=org, name="甲区专门学校", code="SS1", level=SchoolLevel.SPECIAL_SCHOOL)
    make_user(Role.SCHOOL_ADMIN, org, username="special", password=PASSWORD)

    def page_as(user, width=1280):
        p = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900}).new_page()
        p.set_default_timeout(15000)
        p.base = live_server.url
        login(p, user, PASSWORD)
        return p

    office = page_as("office")
    office.goto(live_server.url + "/oversight/patrols/")
    office.get_by_label("学校").select_option(label=tree.school.name)
    office.get_by_label("巡查内容").fill("校园安全")
    office.get_by_label("发现问题（无问题留空）").fill("消防通道堆放杂物")
    office.get_by_role("button", name="登记").click()
    expect(office.get_by_text("已登记。")).to_be_visible()

    school = page_as("school", 390)
    school.goto(live_server.url + "/oversight/risks/")
    school.get_by_label("整改情况").fill("已清理并落实专人巡查")
    school.get_by_role("button", name="已整改，办结").click()
    school.locator("#id_row-0-category").fill("家校纠纷")  # the first row of the ledger
    school.locator("#id_row-0-level").select_option(label="高风险")
    school.locator("#id_row-0-people").fill("3名家长")
    school.locator("#id_row-0-measures").fill("已组织沟通")
    school.locator("#id_row-0-responsible").fill("德育主任")
    school.get_by_role("button", name="报送台账").click()
    expect(school.get_by_role("status").get_by_text("已报送。")).to_be_visible()
    shot(school, "schools-1-ledger")

    office.goto(live_server.url + "/oversight/risks/")
    office.get_by_label("区教委应对措施").fill("法治副校长参与调解")
    office.get_by_role("button", name="下发应对措施").click()
    expect(office.get_by_text("已登记。")).to_be_visible()
    school.reload()
    expect(school.get_by_text("法治副校长参与调解")).to_be_visible()

    lvp = page_as("lvp", 390)
    lvp.goto(live_server.url + f"/schools/legal-vps/{appointment.pk}/")
    lvp.get_by_label("主题").fill("预防校园欺凌")
    lvp.get_by_label("班级").fill("五年级二班")
    lvp.get_by_label("课时").fill("2")
    lvp.get_by_role("button", name="登记").click()
    expect(lvp.get_by_text("预防校园欺凌")).to_be_visible()
    shot(lvp, "schools-2-class")

    special = page_as("special")
    special.goto(live_server.url + "/schools/special/")
    special.get_by_label("学生").fill("王小明")
    special.locator("input[name=admit-assigned]").first.check()  # the first colleague
    special.get_by_role("button", name="登记入校").click()
    expect(special.get_by_text("本次查看已记入全过程记录。")).to_be_visible()
    special.get_by_role("button", name="登记离校").click()
    special.get_by_label("方式").fill("家访")
    special.get_by_label("回访情况").fill("学习生活正常")
    special.locator("form", has=special.get_by_role("heading", name="跟踪回访")).get_by_role("button", name="登记").click()
    expect(special.get_by_text("家访：学习生活正常")).to_be_visible()
    shot(special, "schools-3-special")
    # the bureau's leader cannot open the case
    leader_user = make_user(Role.BUREAU_LEADER, tree.bureau, username="leader", password=PASSWORD)
    del leader_user
    leader = page_as("leader")
    response = leader.goto(special.url)
    assert response.status == 403


def test_education_registers_and_decisions_by_their_users(browser, live_server, tree, make_user):
    make_user(Role.SCHOOL_ADMIN, tree.school_org, username="school", password=PASSWORD)
    make_user(Role.DEPARTMENT_STAFF, tree.dept, username="staff", password=PASSWORD)
    make_user(Role.BUREAU_LEADER, tree.bureau, username="leader", password=PASSWORD)
    year = dt.date.today().year

    def page_as(user):
        p = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
        p.set_default_timeout(15000)
        p.base = live_server.url
        login(p, user, PASSWORD)
        return p

    school = page_as("school")
    school.goto(live_server.url + "/schools/education/")
    school.get_by_label("典型案例").fill("学生参与校规修订")
    school.get_by_role("button", name="申报").click()
    expect(school.get_by_text("学生参与校规修订")).to_be_visible()

    staff = page_as("staff")
    staff.goto(live_server.url + f"/schools/education/?year={year}")
    staff.get_by_role("button", name="通过本阶段").click()
    expect(staff.get_by_text("通过资料审查")).to_be_visible()
    staff.get_by_role("button", name="案例被市教委采用").click()
    expect(staff.get_by_text("被市教委采用").first).to_be_visible()
    staff.goto(live_server.url + "/leadership/?kind=lecture")
    staff.get_by_label("标题").fill("宪法宣传周专题讲座")
    staff.get_by_label("学校", exact=True).select_option(label=tree.school.name)
    staff.get_by_label("听众人数").fill("300")
    staff.get_by_role("button", name="登记").click()
    expect(staff.get_by_text("宪法宣传周专题讲座")).to_be_visible()

    leader = page_as("leader")
    leader.goto(live_server.url + "/oversight/decisions/")
    leader.get_by_label("事项类别").select_option(label="大额资金使用")
    leader.locator("#id_decision-matter").fill("教育装备采购")
    leader.locator("#id_decision-meeting").fill("主任办公会")
    leader.get_by_label("法律顾问审查意见").fill("程序合法")
    leader.locator("#id_decision-decision").fill("同意")
    leader.get_by_role("button", name="登记").click()
    # the refusal is shown on the field it concerns, with what was typed kept
    expect(leader.locator(".has-error").get_by_text("重大项目和大额资金事项须经公平竞争审查")).to_be_visible()
    expect(leader.locator("#id_decision-matter")).to_have_value("教育装备采购")
    leader.get_by_label("公平竞争审查（如适用）").fill("不含排除、限制竞争内容")
    leader.get_by_role("button", name="登记").click()
    expect(leader.get_by_role("heading", name="教育装备采购")).to_be_visible()
    shot(leader, "schools-4-decision")
