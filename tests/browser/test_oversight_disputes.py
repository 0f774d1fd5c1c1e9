"""Issue 32 in Chromium: the legal office enters a report of misconduct and tells the reporter the
result while the squad reported cannot open it; a school records its lessons and its charter, which
it can publish only after the bureau approves it; the new pages pass axe at phone width."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from edugov.accounts.models import Organisation, OrgKind, Role

from .conftest import AXE, axe_violations, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Pass-word-2024"


@pytest.fixture
def units(tree, make_user):
    from edugov.oversight import misconduct

    legal = Organisation.objects.create(code="B1-legal", name="政策法规科", kind=OrgKind.DEPARTMENT, parent=tree.bureau)
    squad = Organisation.objects.create(code="B1-enf", name="综合执法支队", kind=OrgKind.DEPARTMENT, parent=tree.bureau)
    leader = make_user(Role.BUREAU_LEADER, tree.bureau, username="leader", password=PASSWORD)
    misconduct.channel_set(actor=leader, organisation=tree.bureau, phone="023-12345678", address="甲区教委政策法规科",
                           receivers=[legal], supervisor="甲区司法局", published_on=dt.date(2024, 1, 2))
    make_user(Role.DEPARTMENT_STAFF, legal, username="legal", password=PASSWORD)
    make_user(Role.DEPARTMENT_HEAD, squad, username="squad", password=PASSWORD)
    return legal, squad


def _page(browser, live_server, user, width=1280):
    p = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900}).new_page()
    p.set_default_timeout(15000)
    p.base = live_server.url
    if user:
        login(p, user, PASSWORD)
    return p


def test_a_report_goes_to_the_legal_office_and_never_to_the_squad_reported(browser, live_server, tree, units):
    legal, squad = units
    office = _page(browser, live_server, "legal")
    office.goto(live_server.url + "/oversight/accountability/")
    office.get_by_label("举报方式").select_option("letter")
    office.get_by_label("受理单位").select_option(label="政策法规科")
    office.get_by_label("被举报人所在单位").select_option(label="综合执法支队")
    office.get_by_label("执法人员的行为").fill("检查时未出示执法证件")
    office.get_by_label("举报人手机号（用于反馈结果）").fill("13800138000")
    office.get_by_role("button", name="登记").click()
    expect(office.get_by_text("被举报单位已回避")).to_be_visible()
    case_url = office.url
    office.get_by_role("button", name="受理", exact=True).click()
    office.get_by_label("告知举报人的结果（对执法人员的处理）").fill("已批评教育并责令整改")
    office.locator("#id_close_upheld-confirmed").check()
    office.get_by_role("button", name="属实：向举报人反馈结果", exact=True).click()
    expect(office.get_by_text("已向举报人反馈结果").first).to_be_visible()

    squad_head = _page(browser, live_server, "squad")
    response = squad_head.goto(case_url)
    assert response.status in (403, 404)
    squad_head.goto(live_server.url + "/cases/")
    expect(squad_head.get_by_text("检查时未出示执法证件")).to_have_count(0)


def test_a_school_records_lessons_and_publishes_its_charter_after_approval(browser, live_server, tree, make_user):
    make_user(Role.SCHOOL_ADMIN, tree.school_org, username="school", password=PASSWORD)
    make_user(Role.DEPARTMENT_STAFF, tree.sibling_dept, username="dept", password=PASSWORD)
    today = timezone.localdate().isoformat()
    school = _page(browser, live_server, "school", 390)
    school.goto(live_server.url + "/schools/rule-of-law/?kind=lesson")
    for _ in range(2):
        school.get_by_label("学校").select_option(label=tree.school.name)
        school.get_by_label("班级或年级").fill("五年级")
        school.get_by_label("主题").fill("预防校园欺凌")
        school.get_by_label("授课人").fill("李老师")
        school.get_by_label("日期").fill(today)
        school.get_by_role("button", name="登记").click()
    expect(school.get_by_text("已经登记过，不重复计算。").first).to_be_visible()
    assert school.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    school.goto(live_server.url + "/schools/rule-of-law/?kind=charter")
    school.locator("#id_charter-school").select_option(label=tree.school.name)
    school.get_by_label("修订内容").fill("增设家长委员会章节")
    school.get_by_role("button", name="登记").click()
    expect(school.get_by_text("已登记。")).to_be_visible()
    expect(school.get_by_role("heading", name="公布已核准的修订稿")).to_have_count(0)  # nothing approved yet

    dept = _page(browser, live_server, "dept")
    dept.goto(live_server.url + "/schools/rule-of-law/?kind=charter")
    dept.locator("#id_decide-revision").select_option(index=1)
    dept.get_by_label("审核结论").select_option(label="核准")
    dept.get_by_role("button", name="登记").nth(1).click()
    expect(dept.get_by_text("已登记。")).to_be_visible()

    school.reload()
    school.locator("#id_publish-revision").select_option(index=1)
    school.get_by_role("button", name="登记").nth(1).click()
    expect(school.get_by_text("已核准并公布")).to_be_visible()


def test_the_new_pages_are_clean_at_phone_width(axe_page, live_server, tree, units):
    script = AXE.read_text()
    page = axe_page
    page.base = live_server.url
    found = {}
    for user, paths in ((None, ["/oversight/public/misconduct/"]),
                        ("legal", ["/oversight/accountability/", "/oversight/accountability/?tab=mediation",
                                   "/oversight/accountability/?tab=discipline"]),
                        ("leader", ["/schools/rule-of-law/?kind=charter", "/schools/rule-of-law/?kind=opinion"])):
        page.context.clear_cookies()
        if user:
            login(page, user, PASSWORD)
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response.ok and "/accounts/login/" not in page.url, path
            if violations := axe_violations(page, script):
                found[path] = violations
    assert found == {}
