import datetime as dt

import pytest
from django.urls import reverse

from edugov.accounts.models import Role
from edugov.kernel.errors import Conflict, PermissionDenied, ValidationFailed
from edugov.oversight import screening
from edugov.oversight.models import ItemStatus


@pytest.fixture
def people(tree, make_user):
    return {"office": make_user(Role.SUPERVISION_STAFF, tree.dept), "admin": make_user(Role.SCHOOL_ADMIN, tree.school_org),
            "other": make_user(Role.SCHOOL_ADMIN, tree.other_school_org), "head": make_user(Role.DEPARTMENT_HEAD, tree.dept)}


def test_a_patrol_finding_is_tracked_until_the_school_closes_it_and_appears_in_the_bulletin(tree, people, client):
    with pytest.raises(PermissionDenied):
        screening.patrol(actor=people["admin"], school=tree.school, on=dt.date(2024, 5, 6), checked="食堂")
    r = screening.patrol(actor=people["office"], school=tree.school, on=dt.date(2024, 5, 6), checked="校门安保",
                         finding="上学时段无人值守")
    assert r.rectification.deadline == dt.date(2024, 5, 11)  # 5 working days: Saturday 11 May 2024 was one
    b = screening.bulletin(tree.bureau, dt.date(2024, 5, 17))
    assert b["patrols"] == 1 and len(b["findings"]) == 1 and b["overdue"] == [r.rectification]
    with pytest.raises(PermissionDenied):
        screening.close_rectification(actor=people["other"], item=r.rectification, note="已整改")
    screening.close_rectification(actor=people["admin"], item=r.rectification, note="已安排专人值守")
    assert screening.bulletin(tree.bureau, dt.date(2024, 5, 17))["overdue"] == []
    client.force_login(people["office"])
    word = client.get(reverse("oversight:patrol_bulletin") + "?end=2024-05-17&export=docx")
    assert word.status_code == 200 and word["Content-Type"].startswith("application/vnd.openxmlformats")


def test_monthly_ledgers_missing_ones_analysis_and_closure(tree, people, client):
    month = dt.date(2024, 5, 1)
    assert {s.name for s in screening.missing_ledgers(tree.bureau, month)} >= {tree.school.name}
    import django.utils.timezone as tz

    with pytest.raises(ValidationFailed, match="月末"):
        screening.chase(actor=people["office"], bureau=tree.bureau, month=month, at=tz.make_aware(dt.datetime(2024, 5, 20)))
    assert screening.chase(actor=people["office"], bureau=tree.bureau, month=month,
                           at=tz.make_aware(dt.datetime(2024, 6, 3))) >= 1
    client.force_login(people["admin"])
    assert "区教委已于2024-06-03催报" in client.get(reverse("oversight:risks") + "?month=2024-05").content.decode()
    with pytest.raises(ValidationFailed):
        screening.submit_ledger(actor=people["admin"], school=tree.school, month=month,
                                items=[{"category": "校园欺凌", "level": "extreme", "people": "2名学生", "measures": "谈话",
                                        "responsible": "班主任"}])
    ledger = screening.submit_ledger(actor=people["admin"], school=tree.school, month=month, items=[
        {"category": "校园欺凌", "level": "high", "people": "2名学生", "measures": "已约谈家长", "responsible": "德育主任"}])
    with pytest.raises(Conflict):
        screening.submit_ledger(actor=people["admin"], school=tree.school, month=month, items=[])
    assert tree.school not in screening.missing_ledgers(tree.bureau, month)
    item = ledger.items.get()
    screening.analyse(actor=people["office"], bureau=tree.bureau, month=month, countermeasures={item.pk: "法治副校长介入调解"})
    client.force_login(people["admin"])
    page = client.get(reverse("oversight:risks") + "?month=2024-05").content.decode()
    assert "法治副校长介入调解" in page
    screening.close_risk(actor=people["admin"], item=item)
    item.refresh_from_db()
    assert item.status == ItemStatus.CLOSED


def test_a_major_decision_needs_its_reviews(tree, people):
    with pytest.raises(ValidationFailed, match="公平竞争审查"):
        screening.register_decision(actor=people["head"], organisation=tree.bureau, category="funds",
                                    matter="校舍维修500万元", meeting="主任办公会", met_on=dt.date(2024, 4, 2),
                                    legal_opinion="程序合法", decision="同意")
    d = screening.register_decision(actor=people["head"], organisation=tree.bureau, category="funds",
                                    matter="校舍维修500万元", meeting="主任办公会", met_on=dt.date(2024, 4, 2),
                                    legal_opinion="程序合法", decision="同意", fair_competition="不涉及排除限制竞争")
    screening.record_execution(actor=people["head"], item=d, on=dt.date(2024, 8, 30), execution="已完成招标")
    d.refresh_from_db()
    assert d.executed_on == dt.date(2024, 8, 30)


def test_the_pages_write_each_act_through_its_own_form(tree, people, client):
    """The school's ledger (a row set), the bureau's countermeasures and the closures, posted as
    the pages post them: a half-filled row is refused with the ledger kept as typed."""
    from edugov.oversight.models import RiskItem, RiskLedger

    def rows(*filled, total=5):
        data = {"row-TOTAL_FORMS": str(total), "row-INITIAL_FORMS": "0", "row-MIN_NUM_FORMS": "0",
                "row-MAX_NUM_FORMS": "20", "ledger-month": "2024-05"}
        for n, row in enumerate(filled):
            data.update({f"row-{n}-{k}": v for k, v in row.items()})
        return data

    client.force_login(people["admin"])
    url = reverse("oversight:ledger_submit") + "?month=2024-05"
    half = client.post(url, rows({"category": "家校纠纷", "level": "high", "people": "", "measures": "", "responsible": ""}))
    assert half.status_code == 400 and not RiskLedger.objects.exists()
    assert 'value="家校纠纷"' in half.content.decode()
    client.post(url, rows({"category": "家校纠纷", "level": "high", "people": "3名家长", "measures": "已组织沟通",
                           "responsible": "德育主任"}))
    item = RiskItem.objects.get(ledger__school=tree.school)
    assert item.ledger.month == dt.date(2024, 5, 1)

    client.force_login(people["office"])
    analyse = reverse("oversight:risks_analyse") + "?month=2024-05"
    client.post(analyse, {"analyse-month": "2024-05", f"analyse-cm_{item.pk}": "法治副校长参与调解"})
    item.refresh_from_db()
    assert item.countermeasure == "法治副校长参与调解"
    # another district's school cannot close this school's risk; its own administrator can
    client.force_login(people["other"])
    assert client.post(reverse("oversight:risk_close", args=[item.pk]), {}).status_code == 404
    client.force_login(people["admin"])
    client.post(reverse("oversight:risk_close", args=[item.pk]), {})
    item.refresh_from_db()
    assert item.status == ItemStatus.CLOSED


def test_a_decision_refused_by_its_review_keeps_what_was_typed(tree, people, client):
    from edugov.oversight.models import Decision

    client.force_login(people["head"])
    data = {"decision-category": "funds", "decision-matter": "校舍维修", "decision-meeting": "主任办公会",
            "decision-met_on": "2024-04-02", "decision-legal_opinion": "程序合法", "decision-decision": "同意"}
    page = client.post(reverse("oversight:decision_register"), data)
    assert page.status_code == 400 and not Decision.objects.exists()
    assert "公平竞争审查" in page.content.decode() and "校舍维修" in page.content.decode()
    client.post(reverse("oversight:decision_register"), {**data, "decision-fair_competition": "不含排除竞争内容"})
    d = Decision.objects.get()
    bad = client.post(reverse("oversight:decision_execute", args=[d.pk]), {f"exec{d.pk}-on": "2024-05-01"})
    assert bad.status_code == 400
    client.post(reverse("oversight:decision_execute", args=[d.pk]),
                {f"exec{d.pk}-on": "2024-05-01", f"exec{d.pk}-execution": "已完成维修"})
    d.refresh_from_db()
    assert d.executed_on == dt.date(2024, 5, 1) and d.execution == "已完成维修"


def test_a_finding_is_a_case_with_its_clock_on_the_engine(tree, people):
    """Issue 24: a rectification is a case (so it is on the workbench, reminded and counted late)."""
    import django.utils.timezone as tz

    from edugov.cases.selectors import visible_cases

    r = screening.patrol(actor=people["office"], school=tree.school, on=dt.date(2024, 5, 6), checked="食堂",
                         finding="留样记录不全", at=tz.make_aware(dt.datetime(2024, 5, 6, 10))).rectification
    case = r.case
    assert case.kind == "rectification" and case.state == "open" and case.department == tree.school.organisation
    clock = case.clocks.get(name="rectify")
    assert clock.due_on == r.deadline == dt.date(2024, 5, 11)  # Saturday 11 May 2024 was a working day
    assert case in visible_cases(people["admin"]) and case not in visible_cases(people["other"])
    screening.close_rectification(actor=people["admin"], item=r, note="已补齐留样记录", on=dt.date(2024, 5, 13),
                                  at=tz.make_aware(dt.datetime(2024, 5, 13, 16)))
    case.refresh_from_db()
    clock.refresh_from_db()
    assert case.state == "closed" and not case.is_open and clock.met is False  # two days late
