"""Query-string values outside what the platform accepts are a 400 that says what is accepted,
never a 500 (the hotfix issue found year=0 on /figures/ and 0001-01-01 on Open311 crashing)."""

import datetime as dt

import pytest
from django.test import RequestFactory

from edugov.accounts.models import Role
from edugov.kernel import query


@pytest.mark.parametrize(("raw", "ok"), [
    ("2024", 2024), ("1970", 1970), ("2100", 2100), ("", None), ("0", False), ("-2024", False), ("2101", False),
    ("１２３４", False), ("99999999999999999999999", False), ("20 24", False), ("2024.0", False)])
def test_year_accepts_four_digits_within_the_platforms_years(raw, ok):
    request = RequestFactory().get("/", {"year": raw})
    if ok is False:
        with pytest.raises(query.BadQuery) as refused:
            query.year(request)
        assert "1970" in refused.value.message and "2100" in refused.value.message
    else:
        assert query.year(request, default=2030) == (ok or 2030)


@pytest.mark.parametrize("raw", ["0001-01-01T00:00:00", "9999-12-31T23:59:59", "1969-12-31", "2024-02-30T00:00",
                                 "not a date", "2024-05-06T25:00:00"])
def test_a_moment_outside_the_platforms_years_or_malformed_is_refused(raw):
    with pytest.raises(query.BadQuery):
        query.moment(RequestFactory().get("/", {"end_date": raw}), "end_date", None)


def test_a_moment_without_an_offset_is_in_the_platforms_zone():
    got = query.moment(RequestFactory().get("/", {"d": "2024-05-06T09:00:00"}), "d", None)
    assert got is not None and got.utcoffset() == dt.timedelta(hours=8)


def test_open311_refuses_a_date_before_the_platforms_years_with_a_400(client, tree, hotline):  # noqa: F811
    for raw in ("0001-01-01T00:00:00", "9999-12-31T23:59:59"):
        r = client.get("/open311/v2/requests.json", {"end_date": raw})
        assert r.status_code == 400
        assert "2024-05-06T09:00:00+08:00" in r.json()[0]["description"]
    assert client.get("/open311/v2/requests.json", {"end_date": "2024-12-31T00:00:00"}).status_code == 200


def test_figures_refuse_year_zero_with_a_chinese_400(client, tree, make_user):
    client.force_login(make_user(Role.BUREAU_LEADER, tree.bureau))
    for raw in ("0", "99999999999999999999999", "abc"):
        r = client.get("/figures/", {"year": raw})
        assert r.status_code == 400
        assert "参数 year 无效" in r.content.decode() and "1970" in r.content.decode()
    assert client.get("/figures/", {"year": "2024"}).status_code == 200


def test_a_lecture_audience_beyond_any_column_is_refused_and_nothing_is_written(client, tree, make_user):
    from edugov.leadership.models import Lecture

    client.force_login(make_user(Role.DEPARTMENT_STAFF, tree.dept))
    page = client.post("/leadership/lecture/add/", {
        "lecture-held_on": "2024-05-01", "lecture-title": "宪法宣讲", "lecture-school": tree.school.pk,
        "lecture-audience": "99999999999999999999999"})
    assert page.status_code == 400 and "0到100000" in page.content.decode().replace(" ", "")
    assert not Lecture.objects.exists()
