"""The service pages' writes as the pages post them (issue 24): one URL and one form each; a
refusal comes back on the page with what was typed, and nothing is written."""

from __future__ import annotations

import pytest

from edugov.services.models import Application, CounterVisit, Material, Rating
from edugov.services.tests.support import submit

pytestmark = pytest.mark.django_db


def _rows(materials, extra=0):
    data = {"mat-TOTAL_FORMS": str(len(materials) + extra), "mat-INITIAL_FORMS": str(len(materials)),
            "mat-MIN_NUM_FORMS": "0", "mat-MAX_NUM_FORMS": "100"}
    for n, m in enumerate(materials):
        data.update({f"mat-{n}-{k}": v for k, v in m.items()})
    return data


def _item_fields(tree, item):
    return {"code": item.code, "name": item.name, "item_type": "licence", "department": tree.sibling_dept.code,
            "legal_basis": item.legal_basis, "conditions": item.conditions, "statutory_days": "20",
            "promised_days": "8", "address": item.address, "phone": item.phone, "complaint_phone": item.complaint_phone,
            "fee": "不收费", "visits_needed": "0", "in_center": "on", "edits": str(item.edits)}


def test_an_items_materials_are_edited_as_rows_and_a_bad_row_loses_nothing(client, tree, staff, item):
    head, _clerk = staff
    client.force_login(head)
    rows = [{"id": str(m.pk), "name": m.name, "form": m.form, "copies": str(m.copies), "required": "on"}
            for m in item.materials.order_by("pk")]
    bad = client.post(f"/services/catalogue/{item.pk}/edit/",
                      {**_item_fields(tree, item), **_rows([*rows, {"name": "法人证明", "copies": "99"}])})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "第4项材料：份数须在1至20之间" in html  # the catalogue's own rule, naming the row
    assert 'value="法人证明"' in html and 'value="8"' in html  # the row and the fields as typed
    assert not Material.objects.filter(name="法人证明").exists()
    client.post(f"/services/catalogue/{item.pk}/edit/",
                {**_item_fields(tree, item), **_rows([*rows[:2], {"name": "法人证明", "copies": "2"}])})
    names = set(item.materials.values_list("name", flat=True))
    assert names == {rows[0]["name"], rows[1]["name"], "法人证明"}
    item.refresh_from_db()
    assert item.promised_days == 8


def test_publishing_and_withdrawing_need_their_confirmation(client, tree, staff, item):
    head, _clerk = staff
    client.force_login(head)
    refused = client.post(f"/services/catalogue/{item.pk}/withdraw/", {"withdraw-reason": "合并事项"})
    assert refused.status_code == 400 and "请勾选确认框" in refused.content.decode()
    item.refresh_from_db()
    assert item.status == "published"
    client.post(f"/services/catalogue/{item.pk}/withdraw/", {"withdraw-reason": "合并事项", "withdraw-confirmed": "on"})
    item.refresh_from_db()
    assert item.status == "withdrawn"


def test_the_applicant_rates_once_through_the_rating_form(client, tree, staff, item, citizen):
    app = submit(item, citizen)
    client.force_login(citizen)
    early = client.post(f"/services/applications/{app.pk}/rate/", {"rate-level": "5"})
    assert early.status_code == 400 and not Rating.objects.exists()  # nothing to rate before a decision
    missing = client.post(f"/services/applications/{app.pk}/withdraw/", {})
    assert missing.status_code == 400 and "请勾选确认撤回申请" in missing.content.decode().replace(" ", "")
    client.post(f"/services/applications/{app.pk}/withdraw/", {"withdraw-confirmed": "on"})
    assert Application.objects.get(pk=app.pk).case.state == "withdrawn"


def test_a_counter_visit_and_its_rating_by_code(client, tree, staff, item):
    _head, clerk = staff
    client.force_login(clerk)
    receipt = client.post(f"/services/counter/items/{item.pk}/visit/", {})
    visit = CounterVisit.objects.get()
    assert receipt.status_code == 200 and visit.code in receipt.content.decode().replace(" ", "")
    client.logout()
    wrong = client.post("/services/rate/", {"code": "NOPE1234", "level": "5"})
    assert wrong.status_code == 400 and 'value="NOPE1234"' in wrong.content.decode()
    assert client.post("/services/rate/", {"code": visit.code, "level": "5"}).status_code == 200
    assert Rating.objects.get().level == 5


def test_the_counter_prints_a_receipt_for_a_walk_in_applicant(client, tree, staff, item, citizen):
    """Issue 27: 受理回执, dated by the application, with the 文号, the materials and the due day."""
    import datetime as dt

    from django.utils import timezone

    _head, clerk = staff
    app = submit(item, citizen, channel="counter", actor=clerk,
                 at=timezone.make_aware(dt.datetime(2024, 4, 8, 10)))
    client.force_login(clerk)
    assert f"/services/cases/{app.case_id}/receipt/" in client.get(app.case.get_absolute_url()).content.decode()
    page = client.get(f"/services/cases/{app.case_id}/receipt/").content.decode()
    assert "受理回执" in page and app.case.reference in page and "2024年4月8日" in page
    assert all(line.name in page for line in app.materials.all()) and "经办人" in page and "打印" in page
    due = app.case.clocks.filter(stopped_on__isnull=True).first()
    assert due is not None and f"{due.due_on.year}年{due.due_on.month}月{due.due_on.day}日" in page
    client.force_login(citizen)
    assert client.get(f"/services/cases/{app.case_id}/receipt/").status_code in (403, 404)
