"""Issue 13, done-when: in the browser a deferral (缓学) and a disability placement each run from
the parent's request on a phone to the bureau's decision."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from edugov.accounts.models import Role
from edugov.cases.models import Case
from edugov.enrollment import actions
from edugov.enrollment.models import Intake, Plan, SpecialRequest, Zone
from edugov.kernel import sms
from edugov.kernel.validators import identity_check_char

from .conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Pass-word-2024"
PDF = {"name": "诊断证明.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"}


def test_a_deferral_and_a_placement_run_to_a_decision(new_page, live_server, tree, make_user):
    make_user(Role.DEPARTMENT_STAFF, tree.sibling_dept, username="reviewer", password=PASSWORD)
    make_user(Role.DEPARTMENT_HEAD, tree.sibling_dept, username="head", password=PASSWORD)
    now = timezone.now()
    intake = Intake.objects.create(
        organisation=tree.bureau, department=tree.sibling_dept, year=now.year + 1, title="小学一年级招生",
        born_from=dt.date(now.year - 6, 9, 1), born_until=dt.date(now.year - 5, 8, 31),
        opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=5), lottery_on=now.date(),
        results_on=now.date())
    Plan.objects.create(intake=intake, school=tree.school, places=30)
    Zone.objects.create(intake=intake, name="一小学区", communities=["幸福小区"]).schools.add(tree.school)
    actions.intake_publish(actor=None, intake=intake)

    phone = new_page(390)
    phone.goto(live_server.url + f"/enrollment/{intake.pk}/")
    phone.get_by_role("link", name="申请缓学或残疾儿童入学安置").click()
    phone.get_by_label("手机号码").fill("13812340003")
    phone.get_by_role("button", name="获取验证码").click()
    phone.get_by_label("短信验证码").fill(re.search(r"\d{6}", sms.outbox[-1][1]).group(0))
    phone.get_by_role("button", name="登录", exact=True).click()
    for kind, name, seq, why in (("因身体原因申请缓学", "周小", "011", "心脏手术后需休养一年"),
                                 ("残疾儿童入学安置", "吴小", "012", "听力障碍二级，佩戴助听器")):
        phone.goto(live_server.url + f"/enrollment/{intake.pk}/special/")
        phone.get_by_label(kind).check()
        phone.get_by_label("儿童姓名").fill(name)
        first = f"500101{now.year - 6}1101{seq}"
        phone.get_by_label("儿童身份证号码").fill(first + identity_check_char(first))
        phone.get_by_label("孩子的情况").fill(why)
        phone.get_by_label("证明材料").set_input_files(PDF)
        phone.get_by_role("button", name="提交申请").click()
        expect(phone.get_by_text("已收到").first).to_be_visible()
    shot(phone, "enrollment-6-special-requests")

    deferral = Case.objects.get(kind="enrollment_deferral")
    placement = Case.objects.get(kind="enrollment_placement")
    reviewer = new_page()
    login(reviewer, "reviewer", PASSWORD)
    reviewer.goto(live_server.url + placement.get_absolute_url())
    reviewer.get_by_label("评估意见").fill("专家委员会评估：可随班就读，需配助听设备")
    reviewer.get_by_role("button", name="登记专家委员会评估意见").click()
    expect(reviewer.get_by_text("已完成：登记专家委员会评估意见")).to_be_visible()

    head = new_page()
    login(head, "head", PASSWORD)
    head.goto(live_server.url + deferral.get_absolute_url())
    head.get_by_label("决定及缓学期限").fill("同意缓学一年，至下一年度入学")
    head.get_by_role("button", name="准予缓学").click()
    expect(head.get_by_text("已完成：准予缓学")).to_be_visible()
    head.goto(live_server.url + placement.get_absolute_url())
    head.get_by_label("安置方式（随班就读、特殊教育学校或送教上门）").select_option("随班就读")
    head.get_by_label("决定及安置学校").fill("安排在甲区第一小学随班就读")
    head.get_by_role("button", name="作出安置决定").click()
    expect(head.get_by_text("已完成：作出安置决定")).to_be_visible()
    shot(head, "enrollment-7-placement-decided")
    assert SpecialRequest.objects.get(kind="placement").placement == "regular_class"
    assert Case.objects.get(pk=deferral.pk).state == "granted"
