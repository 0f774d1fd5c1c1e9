"""Issue 29 in Chromium: a clerk registers a disclosure request, is told a reply needs a form of
art. 36, replies; the legal office registers the requester's reconsideration against that reply by
its 文号, answers it, and downloads the evidence bundle, which checks."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from edugov.accounts.models import Role
from edugov.audit import evidence

from .conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Pass-word-2024"


def test_a_disclosure_reply_challenged_and_answered_with_its_evidence(new_page, tree, make_user):
    make_user(Role.DEPARTMENT_STAFF, tree.dept, username="clerk", password=PASSWORD)
    make_user(Role.LEGAL_REVIEWER, tree.dept, username="legal", password=PASSWORD)

    clerk = new_page()
    login(clerk, "clerk", PASSWORD)
    clerk.goto(clerk.base + "/disclosure/")
    clerk.get_by_label("申请人类型").select_option(label="自然人")
    clerk.get_by_label("申请人姓名或名称").fill("张三")
    clerk.get_by_label("申请公开的信息").fill("2023年校舍维修经费使用情况")
    clerk.get_by_role("button", name="登记").click()
    expect(clerk.get_by_text("已登记：应于")).to_be_visible()
    clerk.get_by_label("答复内容").fill("经费使用情况见附件")
    clerk.get_by_role("button", name="答复", exact=True).click()  # no form of art. 36 chosen: refused, nothing answered
    expect(clerk.get_by_text("第三十六条").first).to_be_visible()
    expect(clerk.get_by_text("待答复", exact=True)).to_be_visible()
    clerk.get_by_label("答复形式（《政府信息公开条例》第三十六条）").select_option(label="予以公开（第三十六条第二项）")
    clerk.get_by_label("答复内容").fill("经费使用情况见附件")
    clerk.get_by_role("button", name="答复", exact=True).click()
    expect(clerk.get_by_role("link", name="答复书（Word）")).to_be_visible()
    reference = clerk.locator(".mono").first.inner_text().strip()

    legal = new_page()
    login(legal, "legal", PASSWORD)
    legal.goto(legal.base + "/remedies/")
    legal.get_by_label("被申请的行政行为文号（在本系统中作出的）").fill(reference)
    legal.get_by_label("被申请的行政行为（按申请书表述）").fill("政府信息公开申请答复")
    legal.get_by_label("申请人或原告").fill("张三")
    legal.get_by_label("行政复议机关或人民法院").fill("甲区人民政府")
    legal.get_by_role("button", name="登记").click()
    expect(legal.get_by_text("已收到副本：待答复", exact=True)).to_be_visible()
    legal.get_by_label("书面答复或答辩：事实、证据、依据").fill("答复事实清楚，依据充分。")
    legal.get_by_role("button", name="提交答复和证据").click()
    with legal.expect_download() as download:
        legal.get_by_role("link", name="下载（ZIP）").click()
    data = Path(download.value.path()).read_bytes()
    checked = evidence.check(data)
    assert checked.ok and checked.entries >= 2, checked.problems
    shot(legal, "remedies-1-answered")
