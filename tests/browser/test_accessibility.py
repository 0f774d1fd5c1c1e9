"""Issue 10 (a first step): axe-core, injected by Playwright, reports no serious or critical
accessibility violation on the public pages at phone width (WCAG 2.1 AA rules)."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from edugov.accounts.models import Role

from .conftest import AXE, axe_violations, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_pages_have_no_serious_accessibility_violations(axe_page, live_server, tree, make_user):
    from edugov.enrollment import actions as enrollment
    from edugov.enrollment.models import Intake, Plan, Zone
    from edugov.services import catalogue

    head = make_user(Role.DEPARTMENT_HEAD, tree.sibling_dept)
    item = catalogue.item_save(actor=head, bureau=tree.bureau, materials=[{"name": "申请书", "commitment_allowed": True}],
                               values={"code": "X1", "name": "校外培训机构设立审批", "item_type": "licence",
                                       "legal_basis": "依据", "department": tree.sibling_dept, "address": "中心",
                                       "phone": "1", "complaint_phone": "2", "conditions": "条件", "statutory_days": 20,
                                       "promised_days": 10, "faq": "问\n答"})
    catalogue.item_publish(actor=head, item=item, note="发布")
    now = timezone.now()
    intake = Intake.objects.create(
        organisation=tree.bureau, department=tree.sibling_dept, year=now.year + 1, title="小学一年级招生",
        born_from=dt.date(now.year - 6, 9, 1), born_until=dt.date(now.year - 5, 8, 31),
        opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=5), lottery_on=now.date(),
        results_on=now.date())
    Plan.objects.create(intake=intake, school=tree.school, places=30)
    Zone.objects.create(intake=intake, name="一小学区", communities=["幸福小区"]).schools.add(tree.school)
    enrollment.intake_publish(actor=None, intake=intake)
    script = AXE.read_text()
    found = {}
    for path in ("/", "/services/", f"/services/items/{item.pk}/", "/services/decisions/", "/services/rate/",
                 "/enrollment/", f"/enrollment/{intake.pk}/", "/enrollment/track/", "/complaints/new/",
                 "/complaints/track/", "/draws/", "/enforcement/results/", "/reports/public/", "/accounts/phone/",
                 "/accounts/login/", "/open/", "/open/data/", "/search/?q=培训", "/search/?q=bjlxx",
                 "care:/", "care:/services/", "care:/open/"):
        care = path.startswith("care:")  # the same page in the large-text, high-contrast mode
        path = path.removeprefix("care:")
        axe_page.context.clear_cookies()
        if care:
            axe_page.context.add_cookies([{"name": "edugov_care", "value": "1", "url": live_server.url}])
        axe_page.goto(live_server.url + path)
        axe_page.add_script_tag(content=script)
        violations = axe_page.evaluate(
            "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', "
            "'best-practice']})).violations.filter(v => ['serious', 'critical'].includes(v.impact))"
            ".map(v => v.id + ' ' + v.nodes[0].target.join(' '))")
        if violations:
            found[("care " if care else "") + path] = violations
    assert found == {}


def test_the_keyboard_reaches_the_content_and_every_public_link(new_page, live_server):
    page = new_page(360)
    page.goto(live_server.url + "/")
    page.wait_for_load_state("load")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    # waiting assertions: on a loaded machine the focus style applies a moment after the key press
    expect(skip).to_have_text("跳到正文")
    expect(skip).to_be_visible()  # shown when focused
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    reached = set()
    for _ in range(30):  # every entry of the public navigation is reachable by Tab alone
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement.textContent.trim()"))
    assert {"办事服务", "入学一件事", "投诉建议", "政务公开", "数据开放", "搜索", "大字模式"} <= reached


def test_the_pages_this_walk_changed_stay_clean_at_phone_width(axe_page, live_server, tree, make_user):
    """Issue 27's 390 px walk: the ledger in sentences, the figures under Chinese headings, the
    workflows in words, a commitment waiting for its draw, the counter's printable receipt."""
    from edugov.accounts.models import User, UserKind
    from edugov.draws.actions import draw_commit
    from edugov.services import catalogue
    from edugov.services.tests.support import MATERIALS, item_values, submit

    make_user(Role.AUDITOR, tree.bureau, username="auditor", password="Pass-word-2024")
    clerk = make_user(Role.WINDOW_CLERK, tree.sibling_dept, username="clerk", password="Pass-word-2024")
    make_user(Role.BUREAU_LEADER, tree.bureau, username="leader", password="Pass-word-2024")
    draw_commit(actor=None, draw_id="B1-ENF-2026-0001-T", purpose="春季抽查对象", organisation=tree.bureau,
                candidates=["C1", "C2", "C3"], k=1, labels={"C1": "星光培训学校"})
    head = make_user(Role.DEPARTMENT_HEAD, tree.sibling_dept)
    item = catalogue.item_save(actor=head, bureau=tree.bureau, values=item_values(tree), materials=MATERIALS)
    catalogue.item_publish(actor=head, item=item, note="发布")
    item.refresh_from_db()
    citizen = User.objects.create_user(username="p13800000009", kind=UserKind.PUBLIC, phone="13800000009")
    app = submit(item, citizen, channel="counter", actor=clerk)
    script = AXE.read_text()
    found = {}
    axe_page.base = live_server.url
    for user, paths in (("auditor", ["/audit/", "/audit/?reference=甲教"]),
                        ("leader", ["/figures/?year=2024", "/cases/workflows/"]),
                        ("clerk", [f"/services/cases/{app.case_id}/receipt/"]),
                        (None, ["/draws/", "/draws/B1-ENF-2026-0001-T/"])):
        axe_page.context.clear_cookies()
        if user:
            login(axe_page, user, "Pass-word-2024")
        for path in paths:
            response = axe_page.goto(live_server.url + path)
            assert response.ok and "/accounts/login/" not in axe_page.url, path  # the page itself, signed in
            if violations := axe_violations(axe_page, script):
                found[path] = violations
    assert found == {}


def test_the_legality_remedies_and_disclosure_pages_are_clean_at_phone_width(axe_page, live_server, tree,
                                                                             make_user):
    """Issues 28, 29 and 30 at 390 px: the legality register and a document's case page, the public list of
    documents, the cases against the bureau, the disclosure register and its case page (with the documents
    it issued), the yearly disclosure report, and the public verification of an issued document."""
    from edugov.disclosure import actions as disclosure
    from edugov.legality import actions as legality
    from edugov.remedies import actions as remedies

    staff = make_user(Role.DEPARTMENT_STAFF, tree.dept, username="staff", password="Pass-word-2024")
    make_user(Role.LEGAL_REVIEWER, tree.dept, username="legal", password="Pass-word-2024")
    doc = legality.normative_draft(actor=staff, organisation=tree.bureau, title="甲区校外培训机构管理办法",
                                   summary="规范校外培训", body="第一条")
    legality.normative_consult(actor=staff, doc=doc, channel="区政府网站")
    request = disclosure.request_receive(actor=staff, organisation=tree.bureau, channel="web", requester_kind="person",
                                         requester="张三", identity="", phone="", description="收费标准",
                                         received_on=timezone.localdate())
    disclosure.request_reply(actor=staff, request=request, form="disclosed", text="见附件")
    challenge = remedies.challenge_register(actor=staff, organisation=tree.bureau, kind="reconsideration",
                                            contested=request.case, contested_text="答复", applicant="张三",
                                            body="甲区人民政府", received_on=timezone.localdate())
    from edugov.documents.models import IssuedDocument

    reply_code = IssuedDocument.objects.get(subject=f"case:{request.case_id}").verify_code  # issue 30
    script = AXE.read_text()
    found = {}
    axe_page.base = live_server.url
    for user, paths in (("legal", ["/legality/", "/legality/?tab=opinions", f"/cases/{doc.case_id}/", "/remedies/",
                                   f"/cases/{challenge.case_id}/", "/disclosure/", f"/cases/{request.case_id}/",
                                   f"/reports/ogi/?year={timezone.localdate().year}"]),
                        (None, ["/legality/public/documents/", "/legality/public/documents/?status=drafts",
                                f"/legality/public/documents/{doc.pk}/", "/verify/", f"/verify/{reply_code}"])):
        axe_page.context.clear_cookies()
        if user:
            login(axe_page, user, "Pass-word-2024")
        for path in paths:
            response = axe_page.goto(live_server.url + path)
            assert response.ok and "/accounts/login/" not in axe_page.url, path
            if violations := axe_violations(axe_page, script):
                found[path] = violations
    assert found == {}
