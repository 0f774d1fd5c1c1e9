"""Issue 10 in a real browser: draws checked by the visitor's own browser (a second implementation of
the draw algorithm, in JavaScript, that must agree with the Python one), and the done-when walk:
on a phone a newcomer finds a guide, applies, files a complaint, tracks both, reads a published
penalty and verifies a draw, with no serious accessibility violation on any page on the way."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from edugov.accounts.models import Role
from edugov.draws import actions as draws
from edugov.enforcement.models import Publication
from edugov.kernel import sms
from edugov.kernel.validators import credit_check_char
from edugov.petitions.models import Category, Hotline, Petition
from edugov.services import catalogue
from edugov.services.models import Application

from .conftest import file_complaint, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PDF = {"name": "材料.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"}


def drawn(tree, draw_id, candidates, k=0, constraints=None, public_value=""):
    draw = draws.draw_commit(actor=None, draw_id=draw_id, purpose=f"抽取 {draw_id}", organisation=tree.bureau,
                             candidates=candidates, k=k, constraints=constraints,
                             at=timezone.now() - dt.timedelta(hours=1))  # published before the draw
    return draws.draw_reveal(actor=None, draw=draw, public_value=public_value)


def verdict(page):
    page.get_by_role("button", name="核验本次抽取").click()
    status = page.locator(".verify-verdict")
    status.filter(has_not_text="正在核验").wait_for()
    return status.inner_text(), page.locator(".verify-steps li").all_inner_texts()


def test_the_browser_recomputes_every_kind_of_draw_as_the_server_does(new_page, live_server, tree):
    """Plain, stratified, with exclusions, inspector teams with recusal and caps, a public value,
    non-ASCII and awkward ids: the JavaScript check agrees with the Python draw on each."""
    ids = [f"机构-{n:03d}" for n in range(40)] + ["a\"b", "x\\y", "éclair", "🙂"]
    cases = [
        drawn(tree, "BV-PLAIN", ids, k=7),
        drawn(tree, "BV-EXCL", ids, k=5, constraints={"exclude": ids[:3]}, public_value="3D 2024-05-01 417"),
        drawn(tree, "BV-STRATA", ids, constraints={"strata": {"学科类": {"k": 3, "members": ids[:20]},
                                                             "非学科类": {"k": 2, "members": ids[20:]}}}),
        drawn(tree, "BV-TEAMS", [f"执法{n}" for n in range(9)], constraints={"teams": {
            "size": 2, "cap": 1, "targets": ["甲校", "乙校", "丙校"], "recusal": {"甲校": ["执法0", "执法1"]}}}),
    ]
    page = new_page(360)
    for draw in cases:
        page.goto(live_server.url + f"/draws/{draw.draw_id}/")
        text, steps = verdict(page)
        assert text.startswith("核验通过"), (draw.draw_id, steps)
        assert len(steps) == 4 and all(s.startswith("✓") for s in steps)
    shot(page, "public-1-draw-verified")


def test_a_tampered_bundle_is_caught_in_the_browser(new_page, live_server, tree, tmp_path):
    draw = drawn(tree, "BV-TAMPER", [f"校{n}" for n in range(30)], k=3)
    page = new_page(360)
    page.goto(live_server.url + f"/draws/{draw.draw_id}/")
    bundle = json.loads(page.request.get(live_server.url + f"/api/v1/public/draws/{draw.draw_id}/bundle").text())
    outsider = next(c for c in bundle["order"] if c not in bundle["selected"])
    for name, change in (("selected", lambda b: b["selected"].__setitem__(0, outsider)),
                         ("secret", lambda b: b.__setitem__("secret", "0" * 64)),
                         ("candidates", lambda b: b["candidates"].append("校99"))):
        forged = json.loads(json.dumps(bundle))
        change(forged)
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(forged, ensure_ascii=False), encoding="utf-8")
        page.get_by_label("或核验您已下载的数据包文件").set_input_files(str(path))
        status = page.locator(".verify-verdict")
        status.filter(has_text="核验未通过").wait_for()
        assert any(s.startswith("✗") for s in page.locator(".verify-steps li").all_inner_texts()), name
    shot(page, "public-2-draw-tampered")


def _axe(page, script, seen):
    """Serious and critical violations on the page now shown (recorded by path)."""
    page.add_script_tag(content=script)
    found = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa']}});
        return r.violations.filter(v => ['serious', 'critical'].includes(v.impact)).map(v => v.id + ': ' + v.help);
    }""")
    if found:
        seen[page.url] = found


def test_a_newcomer_on_a_phone_does_everything_without_help(browser, live_server, tree, make_user):
    if not AXE.exists():
        if os.environ.get("EDUGOV_REQUIRE_BROWSER"):
            pytest.fail("axe-core is required here: npm install axe-core")
        pytest.skip("no axe-core (npm install axe-core)")
    head = make_user(Role.DEPARTMENT_HEAD, tree.sibling_dept)
    item = catalogue.item_save(actor=head, bureau=tree.bureau, materials=[{"name": "设立申请表"}], values={
        "code": "JY-XK-007", "name": "校外培训机构设立审批", "item_type": "licence", "legal_basis": "民办教育促进法",
        "department": tree.sibling_dept, "address": "区政务服务中心", "phone": "023-1", "complaint_phone": "023-2",
        "conditions": "有符合规定的场所与师资", "statutory_days": 20, "promised_days": 10, "permit_years": 3})
    catalogue.item_publish(actor=head, item=item, note="首次发布")
    Hotline.objects.create(organisation=tree.bureau, office=tree.dept, opened_on=dt.date(2024, 3, 1))
    Category.objects.create(organisation=tree.bureau, name="乱收费")
    draw = drawn(tree, "2026-ENF-001", [f"机构{n}" for n in range(12)], k=3)
    now = timezone.now()
    Publication.objects.create(organisation=tree.bureau, kind="penalty", draw=draw,
                               title="关于江州区某培训中心超范围经营的行政处罚决定",
                               body="当事人超出许可范围开展学科类培训，依法给予警告并处罚款。", due_on=now.date(),
                               published_at=now, take_down_on=now.date() + dt.timedelta(days=1825))
    script = AXE.read_text()
    seen: dict[str, list[str]] = {}
    # axe is injected with the site's CSP bypassed (the CSP rightly refuses inline scripts)
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 360, "height": 780}, bypass_csp=True)
    p = ctx.new_page()
    p.set_default_timeout(15000)
    try:
        # finds the guide from the home page's search
        p.goto(live_server.url + "/")
        _axe(p, script, seen)
        p.get_by_label("搜索办事指南、公示结果和学校").fill("怎么办理培训机构设立")
        p.get_by_role("button", name="搜索").click()
        _axe(p, script, seen)
        p.get_by_role("link", name="校外培训机构设立审批").click()
        _axe(p, script, seen)

        # applies: signs in by SMS on the way
        p.get_by_role("link", name="网上申请").click()
        p.get_by_label("手机号码").fill("13812340000")
        p.get_by_role("button", name="获取验证码").click()
        p.get_by_label("短信验证码").fill(re.search(r"\d{6}", sms.outbox[-1][1]).group(0))
        p.get_by_role("button", name="登录", exact=True).click()
        _axe(p, script, seen)
        p.get_by_label("机构名称（登记全称）").fill("江州区启航艺术培训中心")
        first = "52500101MJ0000017"
        p.get_by_label("统一社会信用代码").fill(first + credit_check_char(first))
        p.get_by_label("申请人或联系人姓名").fill("王芳")
        p.get_by_label("手机号码").fill("13812340000")
        p.get_by_label("设立申请表").set_input_files(PDF)
        p.get_by_role("button", name="提交申请").click()
        expect(p.get_by_text("已提交，待受理", exact=True)).to_be_visible()
        reference = Application.objects.get().case.reference

        # issue 27: asks the search how to complain and finds the site's own form; finds the school
        # by the initials of a word of its name (甲区第一小学: "dyxx" from 第一)
        p.goto(live_server.url + "/search/?q=" + "dyxx")
        expect(p.get_by_text(tree.school.name, exact=True)).to_be_visible()
        p.goto(live_server.url + "/")
        p.get_by_label("搜索办事指南、公示结果和学校").fill("怎么投诉")
        p.get_by_role("button", name="搜索").click()
        _axe(p, script, seen)
        p.get_by_role("link", name="我要投诉举报").click()
        _axe(p, script, seen)
        code = file_complaint(p, "13812340000", tree.school.name, "学校以资料费名义向家长收费")
        _axe(p, script, seen)

        # tracks both: the application under 我的办件, the complaint by its code
        p.get_by_role("link", name="我的办件").click()
        expect(p.get_by_text(reference)).to_be_visible()
        _axe(p, script, seen)
        p.goto(live_server.url + "/complaints/track/")
        # typed as a Chinese input method on a phone gives it: full-width, lower case, no dashes
        p.get_by_label("查询码").fill("".join(chr(ord(c) + 0xFEE0) for c in code.replace("-", "").lower()))
        p.get_by_role("button", name="查询").click()
        expect(p.get_by_text(Petition.objects.get().case.reference)).to_be_visible()
        _axe(p, script, seen)

        # reads the published penalty and verifies the draw that chose the inspected institution
        p.get_by_role("navigation", name="公众服务导航").get_by_role("link", name="政务公开").click()
        _axe(p, script, seen)
        p.get_by_role("link", name="关于江州区某培训中心超范围经营的行政处罚决定").click()
        expect(p.get_by_text("依法给予警告并处罚款")).to_be_visible()
        _axe(p, script, seen)
        p.goto(live_server.url + "/draws/2026-ENF-001/")
        text, _steps = verdict(p)
        assert text.startswith("核验通过")
        _axe(p, script, seen)

        # the open data and the large-text mode a grandparent would switch on
        p.goto(live_server.url + "/open/data/")
        _axe(p, script, seen)
        p.get_by_role("button", name="大字模式").click()
        assert "care" in (p.locator("body").get_attribute("class") or "")
        assert p.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)") >= 20
        _axe(p, script, seen)
        shot(p, "public-3-care-mode")
    finally:
        ctx.close()
    assert not seen, seen
