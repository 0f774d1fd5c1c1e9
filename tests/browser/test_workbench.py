"""Issue 26 in the browser: a unit's head ticks two cases of the unit's queue and assigns them;
the handler records leave with a colleague as stand-in, who then finds both cases as their own."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from edugov.accounts.models import Role
from edugov.cases.models import Case
from edugov.enforcement import actions
from edugov.enforcement.models import EnforcementItem

from .conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Pass-word-2024"


def test_a_head_assigns_from_the_list_and_a_stand_in_takes_over(new_page, live_server, tree, make_user):
    make_user(Role.DEPARTMENT_HEAD, tree.dept, username="head", password=PASSWORD)
    officer = make_user(Role.ENFORCEMENT_OFFICER, tree.dept, username="officer", password=PASSWORD)
    colleague = make_user(Role.ENFORCEMENT_OFFICER, tree.dept, username="colleague", password=PASSWORD)
    item = EnforcementItem.objects.create(organisation=tree.bureau, code="X1", name="处罚", legal_basis="依据",
                                          fine_min=Decimal(100), fine_max=Decimal(1000), department=tree.dept)
    actions.item_claim(actor=None, item=item)
    cases = [actions.penalty_open(actor=officer, inspection=None, organisation=tree.bureau, item=item,
                                  party_name=name, facts="事实").case for name in ("甲培训点", "乙培训点")]
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(assignee=None)

    head = new_page()
    login(head, "head", PASSWORD)
    head.goto(live_server.url + "/cases/?view=department")
    for case in cases:
        head.get_by_label(f"选择 {case.reference}").check()
    head.get_by_label("分派给").select_option(label=str(officer))
    head.get_by_role("button", name="分派", exact=True).click()
    expect(head.get_by_text("已处理 2 件。")).to_be_visible()
    shot(head, "workbench-1-assigned")
    assert set(Case.objects.filter(assignee=officer).values_list("pk", flat=True)) == {c.pk for c in cases}

    away = new_page()
    login(away, "officer", PASSWORD)
    away.goto(live_server.url + "/accounts/away/")
    today = dt.date.today()
    away.get_by_label("代理人").select_option(label=str(colleague))
    away.get_by_label("请假首日").fill(today.isoformat())
    away.get_by_label("请假末日（含当日）").fill((today + dt.timedelta(days=5)).isoformat())
    away.get_by_label("原因").fill("年休假")
    away.get_by_role("button", name="登记").click()
    expect(away.get_by_text("由" + str(colleague) + "代理")).to_be_visible()

    stand_in = new_page()
    login(stand_in, "colleague", PASSWORD)
    stand_in.goto(live_server.url + "/cases/?view=mine")
    for case in cases:
        expect(stand_in.get_by_role("link", name=case.reference)).to_be_visible()
    shot(stand_in, "workbench-2-stand-in")
