"""Real-browser tests: Playwright driving Debian's Chromium (`playwright install` cannot download here)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _chromium() -> str | None:
    return os.environ.get("EDUGOV_BROWSER") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    exe = _chromium()
    if not exe:
        if os.environ.get("EDUGOV_REQUIRE_BROWSER"):
            pytest.fail("browser tests are required here but Chromium is missing (apt-get install chromium)")
        pytest.skip("no Chromium on this machine (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    pg = context.new_page()
    pg.set_default_timeout(15000)
    pg.base = live_server.url  # type: ignore[attr-defined]
    yield pg
    context.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def login(page, username: str, password: str) -> None:
    page.goto(page.base + "/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state("networkidle")


@pytest.fixture
def new_page(browser, live_server):
    """Open a page in a fresh browser context (one person's session), desktop-sized by default or
    phone-sized with `new_page(390)`; closed after the test."""
    contexts = []

    def make(width: int = 1280):
        ctx = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
        contexts.append(ctx)
        pg = ctx.new_page()
        pg.set_default_timeout(15000)
        pg.base = live_server.url  # type: ignore[attr-defined]
        return pg

    yield make
    for ctx in contexts:
        ctx.close()


def file_complaint(page, phone: str, school: str, text: str, category: str = "乱收费") -> str:
    """Fill the public complaint form already open on `page`, send it, and return the query code
    the receipt shows."""
    import re

    page.get_by_label("投诉人手机号").fill(phone)
    page.get_by_label("被反映的学校或机构").fill(school)
    page.get_by_label("问题类别").select_option(label=category)
    page.get_by_label("反映内容").fill(text)
    page.get_by_role("button", name="提交").click()
    return re.search(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", page.locator("strong").first.inner_text()).group(0)


# axe-core, injected by Playwright (the accessibility checks of every browser test module)
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def axe_page(browser):
    if not AXE.exists():
        if os.environ.get("EDUGOV_REQUIRE_BROWSER"):
            pytest.fail("axe-core is required here: npm install axe-core")
        pytest.skip("no axe-core (npm install axe-core)")
    # the site's CSP rightly refuses inline scripts; the checker is injected with CSP bypassed
    ctx = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, bypass_csp=True)
    page = ctx.new_page()
    page.set_default_timeout(15000)
    yield page
    ctx.close()


def axe_violations(page, script):
    page.add_script_tag(content=script)
    return page.evaluate(
        "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', "
        "'best-practice']})).violations.filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => v.id + ' ' + v.nodes[0].target.join(' '))")
