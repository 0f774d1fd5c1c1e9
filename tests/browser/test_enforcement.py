"""Issue 6, end to end in Chromium: plan a 双减 campaign, draw, inspect on a phone, issue a notice,
escalate to a penalty that passes legal review, see it published with the draw's bundle, and
verify that bundle with the command and with an implementation written from INTERFACES.md alone."""

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from edugov.accounts.models import Role
from edugov.draws.tests import independent
from edugov.enforcement.models import Campaign, EnforcementItem, Inspection, InspectionMatter, Publication
from edugov.registries.models import Institution, Person

from .conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Pass-word-2024"


def test_a_double_reduction_campaign_from_plan_to_published_penalty(browser, live_server, tree, make_user, tmp_path,
                                                                    capsys):
    from edugov.enforcement import actions

    InspectionMatter.objects.create(
        organisation=tree.bureau, name="校外培训机构“双减”落实情况检查", content="学科类培训、收费", legal_basis="《校外培训行政处罚暂行办法》",
        method="现场检查", frequency="全覆盖", publication="网站公示", checklist=["收费公示", "消防安全"])
    item = EnforcementItem.objects.create(organisation=tree.bureau, code="SF-001", name="对擅自举办校外培训机构的处罚",
                                          legal_basis="《校外培训行政处罚暂行办法》第十四条", penalty_range="罚款5000元以上50000元以下",
                                          fine_min=Decimal(5000), fine_max=Decimal(50000), department=tree.dept)
    actions.item_claim(actor=None, item=item)
    for i in range(4):
        Institution.objects.create(organisation=tree.bureau, name=f"甲区培训机构{i}", credit_code=f"52500000MJ{i:08d}",
                                   kind="academic", address=f"甲区路{i}号")
    for i in range(2):  # a team of two: both officers are drawn, so "officer0" is on the team
        user = make_user(Role.ENFORCEMENT_OFFICER, tree.dept, username=f"officer{i}", password=PASSWORD)
        Person.objects.create(organisation=tree.dept, kind="enforcement_officer", name=f"执法员{i}", user=user,
                              identity_number=f"50010119800101{i:03d}X", gender="M", birth_date=dt.date(1980, 1, 1),
                              certificate_number=f"JZ{i:04d}", certificate_valid_until=dt.date(2030, 1, 1))
    make_user(Role.LEGAL_REVIEWER, tree.sibling_dept, username="reviewer", password=PASSWORD)
    make_user(Role.DEPARTMENT_HEAD, tree.dept, username="head", password=PASSWORD)

    def page_as(user, width=1280):
        p = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900}).new_page()
        p.set_default_timeout(15000)
        p.base = live_server.url
        login(p, user, PASSWORD)
        return p

    today = dt.date.today()
    desk = page_as("officer0")
    desk.goto(live_server.url + "/enforcement/campaigns/new/")
    desk.get_by_label("类型").select_option(label="专项督查")
    desk.get_by_label("标题").fill("“双减”专项督查")
    desk.get_by_label("开始日期").fill(today.isoformat())
    desk.get_by_label("结束日期").fill((today + dt.timedelta(days=14)).isoformat())
    desk.get_by_label("全覆盖检查（如“双减”专项督查）").check()
    desk.get_by_label("每次出动检查对象数").fill("4")
    desk.get_by_role("button", name="保存计划").click()
    expect(desk.get_by_text("下一步：公开抽取承诺，然后抽取检查对象和执法人员")).to_be_visible()
    desk.get_by_label("确认：检查对象名录和执法人员名单即时锁定，抽取承诺随即公开。").check()
    desk.get_by_role("button", name="公开抽取承诺").click()
    expect(desk.get_by_text("承诺已公开")).to_be_visible()
    desk.get_by_label("确认抽取：结果即时公开，不能重抽。").check()
    desk.get_by_role("button", name="立即抽取").click()
    expect(desk.get_by_text("检查对象和执法人员已抽取并公开")).to_be_visible()
    shot(desk, "enforcement-1-drawn")
    campaign = Campaign.objects.get()
    visit = Inspection.objects.filter(campaign=campaign).order_by("id").first()

    phone = page_as("officer0", width=390)
    phone.goto(live_server.url + visit.get_absolute_url())
    phone.get_by_label("已向现场人员出示执法证").check()
    phone.get_by_role("button", name="登记到达").click()
    shot(phone, "enforcement-1b-arrived")
    for legend in ("收费公示", "消防安全"):
        phone.get_by_role("group", name=legend).get_by_label("合规", exact=True).check()
    phone.get_by_role("group", name="收费公示").get_by_label("不符合").check()
    phone.get_by_label("现场人员（姓名、职务）").fill("负责人 王某")
    phone.get_by_role("button", name="保存记录").click()
    phone.get_by_role("button", name="签字确认现场记录").click()
    phone.get_by_label("责令整改通知书", exact=True).check()
    phone.get_by_label("整改期限", exact=True).fill((today + dt.timedelta(days=10)).isoformat())
    phone.get_by_label("整改事项").fill("收费项目未公示")
    phone.get_by_role("button", name="登记检查结果").click()
    expect(phone.get_by_text(re.compile(r"责改〔\d{4}〕0001号")).first).to_be_visible()
    shot(phone, "enforcement-2-notice-on-phone")
    phone.get_by_role("button", name="通知书已送达（已签收）").click()
    phone.get_by_text("依据本次检查立案查处").click()
    phone.get_by_label("查明的事实").fill("未取得办学许可证开展学科类培训。")
    phone.get_by_role("button", name="立案").click()
    expect(phone.get_by_text("已立案").first).to_be_visible()
    case_url = phone.url

    # investigation and prior notice, then the legal review and the decision, each in its own session
    for step, field in (("开始调查", None), ("事先告知", "拟作出的处罚及理由"), ("提交法制审核", None)):
        desk.goto(case_url)
        form = desk.locator("form", has=desk.get_by_role("button", name=step))
        if field:
            form.get_by_label(field).fill("拟罚款20000元")
        form.get_by_role("button", name=step).click()
        expect(desk.get_by_text("已登记。")).to_be_visible()
    reviewer = page_as("reviewer")
    reviewer.goto(case_url)
    for legend in ("执法主体合法", "事实清楚", "证据确凿充分", "适用法律正确", "裁量适当", "程序合法", "文书规范齐备"):
        reviewer.get_by_role("group", name=legend).get_by_label("符合", exact=True).check()
    reviewer.get_by_label("审核意见", exact=True).fill("事实清楚，证据充分，程序合法，同意。")
    reviewer.get_by_role("button", name="登记审核结果").click()
    expect(reviewer.get_by_text("已审核，待决定").first).to_be_visible()
    head = page_as("head")
    head.goto(case_url)
    head.get_by_label("警告或通报批评").check()
    head.get_by_label("罚款", exact=True).check()
    head.get_by_label("罚款（元）").fill("80000")
    head.get_by_label("处罚决定内容", exact=True).fill("给予警告，罚款。")
    head.get_by_role("button", name="作出处罚决定").click()
    expect(head.get_by_text("罚款金额须在该执法事项的处罚幅度内")).to_be_visible()
    head.get_by_label("警告或通报批评").check()
    head.get_by_label("罚款", exact=True).check()
    head.get_by_label("罚款（元）").fill("20000")
    head.get_by_label("处罚决定内容", exact=True).fill("给予警告，罚款20000元。")
    head.get_by_role("button", name="作出处罚决定").click()
    # the party may still state a case or ask for a hearing: the decision waits, or the waiver comes first
    expect(head.get_by_text("当事人在").first).to_be_visible()
    desk.goto(case_url)
    desk.get_by_label("书面放弃声明：日期、放弃的权利、签字人").fill("当事人当日书面声明放弃陈述、申辩和听证，签字：王某")
    desk.get_by_role("button", name="登记当事人书面放弃声明").click()
    expect(desk.get_by_text("已登记。")).to_be_visible()
    head.goto(case_url)
    head.get_by_label("警告或通报批评").check()
    head.get_by_label("罚款", exact=True).check()
    head.get_by_label("罚款（元）").fill("20000")
    head.get_by_label("处罚决定内容", exact=True).fill("给予警告，罚款20000元。")
    head.get_by_role("button", name="作出处罚决定").click()
    expect(head.get_by_text("已决定").first).to_be_visible()

    # the public site: the decision and the inspection result, with the draw
    public = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}).new_page()
    public.goto(live_server.url + "/enforcement/results/")
    expect(public.get_by_text(re.compile("行政处罚决定")).first).to_be_visible()
    public.get_by_text(f"检查结果：{visit.target_name}").click()
    public.get_by_role("link", name=campaign.target_draw.draw_id).click()
    shot(public, "enforcement-3-public-draw")
    with public.expect_download() as download:
        public.get_by_role("link", name=re.compile("下载")).first.click()
    path = tmp_path / "bundle.json"
    download.value.save_as(path)
    call_command("draw", "verify", str(path))
    assert capsys.readouterr().out.strip() == "OK"
    bundle = json.loads(path.read_text(encoding="utf-8"))
    assert independent.selection_of(bundle)[0] == bundle["selected"]
    teams = campaign.team_draw
    from edugov.draws.actions import bundle as bundle_of

    team_bundle = bundle_of(teams)
    assert independent.selection_of(team_bundle)[1] == team_bundle["assignments"]
    assert Publication.objects.filter(penalty__isnull=False).count() == 1
