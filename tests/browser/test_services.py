"""Issue 5, done-when: in a real browser an institution applies online for a training licence, the
window sends a one-time notice of a missing material, the applicant supplies it on a phone-sized
page, the department head approves, the decision is published and the applicant rates the service."""

import re

import pytest
from playwright.sync_api import expect

from edugov.accounts.models import Role
from edugov.kernel import sms
from edugov.kernel.validators import credit_check_char
from edugov.services import catalogue
from edugov.services.models import Application

from .conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Pass-word-2024"
PDF = {"name": "材料.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"}


def test_a_training_licence_from_the_online_application_to_the_rating(new_page, live_server, tree, make_user):
    head = make_user(Role.DEPARTMENT_HEAD, tree.sibling_dept, username="head", password=PASSWORD)
    make_user(Role.WINDOW_CLERK, tree.sibling_dept, username="clerk", password=PASSWORD)
    item = catalogue.item_save(actor=head, bureau=tree.bureau, materials=[
        {"name": "设立申请表"}, {"name": "培训场所证明"}, {"name": "培训人员资格证明"}], values={
        "code": "JY-XK-007", "name": "校外培训机构设立审批", "item_type": "licence", "legal_basis": "民办教育促进法",
        "department": tree.sibling_dept, "address": "区政务服务中心", "phone": "023-1", "complaint_phone": "023-2",
        "conditions": "有符合规定的场所与师资", "statutory_days": 20, "promised_days": 10, "permit_years": 3})
    catalogue.item_publish(actor=head, item=item, note="首次发布")

    page_as = new_page

    # the institution's contact, on a phone: finds the guide, signs in by SMS, applies with uploads
    phone = page_as(390)
    phone.goto(live_server.url + "/services/")
    phone.get_by_label("搜索").fill("培训")
    phone.get_by_role("button", name="搜索").click()
    phone.get_by_role("link", name="校外培训机构设立审批").click()
    expect(phone.get_by_text("20个工作日", exact=True)).to_be_visible()
    phone.get_by_role("link", name="网上申请").click()
    phone.get_by_label("手机号码").fill("13812340000")
    phone.get_by_role("button", name="获取验证码").click()
    code = re.search(r"\d{6}", sms.outbox[-1][1]).group(0)
    phone.get_by_label("短信验证码").fill(code)
    phone.get_by_role("button", name="登录", exact=True).click()
    phone.get_by_label("机构名称（登记全称）").fill("江州区启航艺术培训中心")
    first = "52500101MJ0000017"
    phone.get_by_label("统一社会信用代码").fill(first + ("0" if credit_check_char(first) != "0" else "1"))
    phone.get_by_label("申请人或联系人姓名").fill("王芳")
    phone.get_by_label("手机号码").fill("13812340000")
    for name in ("设立申请表", "培训场所证明", "培训人员资格证明"):
        phone.get_by_label(name).set_input_files(PDF)
    phone.get_by_role("button", name="提交申请").click()
    expect(phone.locator(".error-summary").get_by_text("第18位")).to_be_visible()  # a wrong check character
    shot(phone, "services-1-wrong-credit-code")
    phone.get_by_label("统一社会信用代码").fill(first + credit_check_char(first))
    for name in ("设立申请表", "培训场所证明", "培训人员资格证明"):  # a refused form keeps no files
        phone.get_by_label(name).set_input_files(PDF)
    phone.get_by_role("button", name="提交申请").click()
    expect(phone.get_by_text("已提交，待受理", exact=True)).to_be_visible()
    app = Application.objects.get()
    shot(phone, "services-2-submitted")

    # the window: one notice listing what is wrong
    clerk = page_as()
    login(clerk, "clerk", PASSWORD)
    clerk.goto(live_server.url + app.case.get_absolute_url())
    clerk.get_by_label("培训场所证明", exact=True).check()
    clerk.get_by_label("缺少或不符合要求之处：培训场所证明").fill("租赁合同已过期，请提供有效期内的合同")
    clerk.get_by_role("button", name="发出告知").click()
    expect(clerk.get_by_text("已完成：一次性告知补正材料")).to_be_visible()
    assert "请补正" in sms.outbox[-1][1]

    # the applicant supplies it; the clock runs again
    phone.reload()
    expect(phone.get_by_text("租赁合同已过期").first).to_be_visible()
    phone.get_by_label("培训场所证明").set_input_files(PDF)
    phone.get_by_role("button", name="提交补正材料").click()
    expect(phone.get_by_text("办理时限恢复计算")).to_be_visible()
    shot(phone, "services-3-supplied")

    clerk.reload()
    clerk.get_by_role("button", name="受理", exact=True).click()
    expect(clerk.get_by_text("已完成：受理")).to_be_visible()

    # the department head approves with the certificate; a permit longer than 3 years is refused
    decider = page_as()
    login(decider, "head", PASSWORD)
    decider.goto(live_server.url + app.case.get_absolute_url())
    decider.get_by_label("证书编号").fill("教民150010126000001号")
    decider.get_by_label("有效期至（不填则为最长期限）").fill("2035-01-01")
    decider.get_by_label("我确认准予办理及证书信息无误。").check()
    decider.get_by_role("button", name="准予办理").click()
    expect(decider.locator(".msg-error").get_by_text("最长3年")).to_be_visible()
    decider.get_by_label("证书编号").fill("教民150010126000001号")
    decider.get_by_label("我确认准予办理及证书信息无误。").check()
    decider.get_by_role("button", name="准予办理").click()
    expect(decider.get_by_text("已完成：准予办理")).to_be_visible()
    shot(decider, "services-4-approved")

    # published at once, for anyone
    public = page_as(390)
    public.goto(live_server.url + "/services/decisions/")
    expect(public.get_by_text("教民150010126000001号")).to_be_visible()

    # the applicant rates the service
    phone.reload()
    phone.locator("fieldset").first.get_by_label("非常满意").check()
    phone.get_by_role("button", name="提交评价").click()
    expect(phone.get_by_text("感谢您的评价")).to_be_visible()
    shot(phone, "services-5-rated")
    assert Application.objects.get().rating.level == 5
