import datetime as dt
import io

from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from edugov.cases import actions as engine
from edugov.petitions import actions, bulletin, routing


def at(day, hour=10):
    return timezone.make_aware(dt.datetime.fromisoformat(day).replace(hour=hour))


def _handled(tree, hotline, people, unit, day, close=True, calls=2):  # noqa: F811
    p = actions.petition_intake(actor=people["operator"], organisation=tree.bureau, channel="hotline",
                                category=hotline["乱收费"], description=f"事项{day}{unit.pk}{calls}{close}",
                                school=tree.school, at=at(day)).petition
    actions.petition_triage(actor=people["operator"], petition=p, decision="valid", at=at(day, 11))
    routing.petition_route(actor=people["operator"], petition=p, unit=unit, at=at(day, 12))
    handler = people["head"] if unit == tree.sibling_dept else people["operator"]
    for i in range(calls):
        engine.case_log_contact(actor=handler, case=p.case, channel="phone", outcome="沟通", at=at(day, 13 + i))
    if close:
        actions.petition_close(actor=handler, petition=p, result="已处理", override_reason="" if calls >= 2 else "联系不上",
                               at=at(day, 16))
        actions.petition_rate(petition=p, rating=5 if calls >= 2 else 2, at=at(day, 17))
    return p


def test_units_are_ranked_with_rates_and_the_change_against_last_month(tree, hotline, people):  # noqa: F811
    basic, office = tree.sibling_dept, tree.dept
    _handled(tree, hotline, people, basic, "2024-04-08", close=False)
    _handled(tree, hotline, people, basic, "2024-05-06")
    _handled(tree, hotline, people, basic, "2024-05-07", calls=1)
    _handled(tree, hotline, people, office, "2024-05-08", close=False)
    b = bulletin.monthly(tree.bureau, 2024, 5)
    assert [r.unit for r in b.rows] == [basic, office]
    top = b.rows[0]
    assert (top.routed, top.completed, top.on_time, top.completion_rate, top.compliance_rate, top.satisfaction_rate) == (
        2, 2, 2, 100.0, 50.0, 50.0)
    assert top.previous_completion == 0.0 and top.change == 100.0 and top.average_days == 0
    assert (b.received, b.valid) == (3, 3)


def test_the_page_and_its_word_and_excel_exports(client, tree, hotline, people):  # noqa: F811
    _handled(tree, hotline, people, tree.sibling_dept, "2024-05-06")
    client.force_login(people["operator"])
    url = reverse("petitions:bulletin") + "?year=2024&month=5"
    page = client.get(url).content.decode()
    assert "能效通报" in page and tree.sibling_dept.name in page and "100.0%" in page and "data:image/svg+xml" in page
    word = Document(io.BytesIO(client.get(url + "&export=docx").content))
    assert word.tables[0].cell(1, 1).text == tree.sibling_dept.name
    assert any("能效通报" in p.text for p in word.paragraphs) and word.inline_shapes  # the chart
    sheet = load_workbook(io.BytesIO(client.get(url + "&export=xlsx").content)).active
    assert sheet.cell(2, 2).value == tree.sibling_dept.name and sheet.cell(2, 6).value == "100.0%"


def test_staff_without_the_role_are_refused(client, tree, make_user):
    from edugov.accounts.models import Role

    client.force_login(make_user(Role.DEPARTMENT_STAFF, tree.sibling_dept))
    assert client.get(reverse("petitions:bulletin")).status_code == 403
