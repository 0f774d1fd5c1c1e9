"""Leaders' areas and departments' linked schools (issue 31): one leader and one department a school,
a visit only to a school of the area or link, a finding's rectification clock, the schools not visited."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from edugov.accounts.models import Role
from edugov.kernel.calendar import school_term
from edugov.kernel.errors import ValidationFailed
from edugov.metrics import registry
from edugov.oversight import liaison, selectors
from edugov.oversight.models import LiaisonVisit, PatrolSource


def test_areas_links_and_visits_feed_the_rectification_clock(tree, make_user, client):
    staff = make_user(Role.SUPERVISION_STAFF, tree.dept)
    since = dt.date(2024, 1, 2)
    area = liaison.liaison_create(actor=staff, organisation=tree.bureau, kind="area", name="城区片", holder="主任",
                                  schools=[tree.school], since=since)
    with pytest.raises(ValidationFailed) as taken:  # one leader a school
        liaison.liaison_create(actor=staff, organisation=tree.bureau, kind="area", name="北片", holder="副主任",
                               schools=[tree.school, tree.other_school], since=since)
    assert tree.school.name in str(taken.value)
    with pytest.raises(ValidationFailed):  # another district's school
        liaison.liaison_create(actor=staff, organisation=tree.bureau, kind="area", name="外片", holder="副主任",
                               schools=[tree.other_district_school], since=since)
    liaison.liaison_create(actor=staff, organisation=tree.bureau, kind="department", name="督导室联系学校",
                           department=tree.dept, schools=[tree.school, tree.other_school], since=since)

    with pytest.raises(ValidationFailed) as outside:  # a school outside the area's links
        liaison.liaison_visit(actor=staff, liaison=area, school=tree.other_school, visited_on=dt.date(2024, 3, 5),
                              visitors="主任", checked="校园安全")
    assert outside.value.field == "school" and not LiaisonVisit.objects.exists()
    visit = liaison.liaison_visit(actor=staff, liaison=area, school=tree.school, visited_on=dt.date(2024, 3, 5),
                                  visitors="主任", checked="校园安全", found="消防通道堆放杂物")
    assert visit.patrol.source == PatrolSource.VISIT and visit.patrol.rectification.deadline > visit.visited_on
    with pytest.raises(ValidationFailed):
        liaison.liaison_visit(actor=staff, liaison=area, school=tree.school, visited_on=dt.date(2024, 3, 5),
                              visitors="主任", checked="again")

    period = registry.Period.year(2024)

    def fig(key):
        return registry.compute(registry.get(key), period, tree.bureau).display
    assert (fig("liaison.visits"), fig("liaison.schools_visited"), fig("liaison.findings"),
            fig("liaison.findings_rectified")) == ("1次", "1所", "1个", "0个")
    assert fig("liaison.coverage_rate") == "50.0%"  # of two schools, one has both a leader and a department
    start, end = school_term(dt.date(2024, 3, 5))
    assert list(selectors.unvisited_schools(tree.bureau, start, end)) == [tree.other_school]

    client.force_login(staff)
    today = timezone.localdate()
    page = client.post(reverse("oversight:liaison_add", args=["visit"]), {
        "visit-liaison": area.pk, "visit-school": tree.other_school.pk, "visit-visited_on": today.isoformat(),
        "visit-visitors": "主任", "visit-checked": "食堂"})
    assert page.status_code == 400 and "不在城区片的学校范围内" in page.content.decode()
    html = client.get(reverse("oversight:liaison") + "?on=2024-03-05").content.decode()
    assert "本学期未走访的学校" in html and tree.other_school.name in html
    assert client.get(reverse("oversight:liaison") + "?on=2024-03-05&export=unvisited").status_code == 200
