import pytest
from django.urls import reverse

from edugov.accounts.models import Role
from edugov.cases import actions
from edugov.cases.models import Case
from tests.workflow_fixture import TEST_WORKFLOW  # noqa: F401


@pytest.fixture
def case_and_staff(tree, make_user):
    staff = make_user(Role.DEPARTMENT_STAFF, tree.dept)
    case = actions.case_open(actor=staff, kind="testcase", organisation=tree.bureau, department=tree.dept,
                             title="食堂卫生问题", contact_phone="13912345678", contact_name="李四")
    return case, staff


def test_workbench_lists_searches_and_exports(client, case_and_staff):
    case, staff = case_and_staff
    client.force_login(staff)
    page = client.get(reverse("cases:workbench") + "?view=department")
    assert case.reference in page.content.decode()
    assert case.reference in client.get(reverse("cases:workbench") + "?view=open&q=13912345678").content.decode()
    export = client.get(reverse("cases:workbench") + "?view=open&export=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    import io

    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(export.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1][0] == case.reference and rows[1][-1] == "139****5678"


def test_case_page_shows_masked_contact_and_performs_a_step(client, case_and_staff):
    case, staff = case_and_staff
    client.force_login(staff)
    html = client.get(case.get_absolute_url()).content.decode()
    assert "139****5678" in html and "13912345678" not in html
    r = client.post(reverse("cases:transition", args=[case.pk, "accept"]), {"accept-version": 0}, follow=True)
    assert r.status_code == 200
    case.refresh_from_db()
    assert case.state == "accepted"
    # the same form posted again (double submit / stale page) is refused with a message, not a second change
    r = client.post(reverse("cases:transition", args=[case.pk, "accept"]), {"accept-version": 0})
    assert r.status_code == 400 and "刚刚已由他人处理" in r.content.decode()
    case.refresh_from_db()
    assert case.version == 1


def test_a_confirmed_step_needs_the_box_ticked(client, case_and_staff):
    case, staff = case_and_staff
    client.force_login(staff)
    page = client.post(reverse("cases:transition", args=[case.pk, "reject"]), {"reject-version": 0, "reject-reason": "重复"})
    assert page.status_code == 400 and 'value="重复"' in page.content.decode()  # what was typed stays
    assert Case.objects.get(pk=case.pk).state == "new"
    client.post(reverse("cases:transition", args=[case.pk, "reject"]),
                {"reject-version": 0, "reject-reason": "重复", "reject-confirmed": "on"})
    assert Case.objects.get(pk=case.pk).state == "rejected"


def test_other_units_and_other_districts_cannot_see_the_case(client, tree, make_user, case_and_staff):
    case, _ = case_and_staff
    for role, org in [(Role.DEPARTMENT_STAFF, tree.sibling_dept), (Role.BUREAU_LEADER, tree.other_bureau),
                      (Role.SCHOOL_ADMIN, tree.school_org)]:
        client.force_login(make_user(role, org))
        assert client.get(case.get_absolute_url()).status_code == 403
    client.force_login(make_user(Role.BUREAU_LEADER, tree.bureau))
    assert client.get(case.get_absolute_url()).status_code == 200


def test_an_auditor_reaches_the_cases_ledger_entries_with_proofs(client, tree, make_user, case_and_staff):
    from edugov.audit.ledger import integrate

    case, _ = case_and_staff
    integrate()
    client.force_login(make_user(Role.AUDITOR, tree.bureau))
    page = client.get(case.get_absolute_url()).content.decode()
    link = f"?target=cases.case:{case.pk}&amp;proofs=1"
    assert link in page
    ledger = client.get(reverse("audit:home") + link.replace("&amp;", "&")).content.decode()
    assert "testcase.open" in ledger and "<details><summary>" in ledger
