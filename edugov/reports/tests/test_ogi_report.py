"""Issue 29: the yearly report on government information disclosure, counted from the records in the
national template's shape and frozen when published (after the year, once)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from edugov.accounts.models import Role
from edugov.disclosure import actions as a
from edugov.kernel.errors import Conflict, ValidationFailed

CST = ZoneInfo("Asia/Shanghai")


def at(y, m, d, h=10):
    return dt.datetime(y, m, d, h, tzinfo=CST)


@pytest.fixture
def people(tree, make_user):
    return {"staff": make_user(Role.DEPARTMENT_STAFF, tree.dept), "leader": make_user(Role.BUREAU_LEADER, tree.bureau)}


def _request(tree, people, day=dt.date(2024, 4, 1), kind="person", description="某校2023年收费标准"):
    return a.request_receive(actor=people["staff"], organisation=tree.bureau, channel="web", requester_kind=kind,
                             requester="李四", identity="", phone="", description=description, received_on=day,
                             at=at(day.year, day.month, day.day))


def test_the_yearly_report_is_counted_from_the_records_and_frozen_when_published(tree, people, client):
    from edugov.reports import actions as reports
    from edugov.reports import ogi

    first = _request(tree, people)
    a.request_reply(actor=people["staff"], request=first, form="disclosed", text="见附件", at=at(2024, 4, 10))
    firm = _request(tree, people, kind="law_firm", description="行政处罚决定书")
    a.request_reply(actor=people["staff"], request=firm, form="refused", refusal_reason="enforcement_file",
                    text="属于行政执法案卷", at=at(2024, 4, 12))
    _request(tree, people, day=dt.date(2024, 12, 30))  # carried over into 2025
    data = ogi.tables(tree.bureau, 2024)
    assert data["requests"][0][1:] == ["2", "0", "0", "0", "1", "0", "3"]  # new: 2 people, 1 law firm
    total_row = data["requests"][-2]
    assert total_row[-1] == "2"  # two handled
    assert data["requests"][-1][-1] == "1"  # one carried over
    with pytest.raises(ValidationFailed):
        reports.ogi_report_publish(actor=people["leader"], organisation=tree.bureau, year=2024, problems="p", other="",
                                   at=at(2024, 12, 31))
    published = reports.ogi_report_publish(actor=people["leader"], organisation=tree.bureau, year=2024,
                                           problems="答复文书规范性有待提高", other="", at=at(2025, 1, 20))
    _request(tree, people, day=dt.date(2024, 12, 31))  # recorded afterwards: the published tables stay
    published.refresh_from_db()
    assert published.tables["requests"][0][-1] == "3"
    page = client.get(f"/reports/public/ogi/{published.pk}/").content.decode()
    assert "答复文书规范性有待提高" in page
    with pytest.raises(Conflict):
        reports.ogi_report_publish(actor=people["leader"], organisation=tree.bureau, year=2024, problems="p", other="",
                                   at=at(2025, 1, 21))
