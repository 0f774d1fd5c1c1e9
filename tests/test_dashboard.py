"""Issue 9's dashboard: this year against last year, the breakdown per unit, the drill-down limited
to what the viewer may open, and the overdue panel."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from edugov.accounts.models import Role
from edugov.petitions import actions, routing


def at(day, hour=10):
    return timezone.make_aware(dt.datetime.fromisoformat(day).replace(hour=hour))


def _valid(tree, hotline, people, day, unit):  # noqa: F811
    p = actions.petition_intake(actor=people["operator"], organisation=tree.bureau, channel="hotline",
                                category=hotline["乱收费"], description=f"事项{day}{unit.pk}", school=tree.other_school,
                                at=at(day)).petition
    actions.petition_triage(actor=people["operator"], petition=p, decision="valid", at=at(day, 11))
    routing.petition_route(actor=people["operator"], petition=p, unit=unit, at=at(day, 12))
    return p


def test_a_leader_compares_years_breaks_down_by_unit_and_drills_to_records(client, tree, hotline, people, make_user):  # noqa: F811
    _valid(tree, hotline, people, "2023-05-08", tree.sibling_dept)
    for day in ("2024-05-06", "2024-05-07"):
        _valid(tree, hotline, people, day, tree.sibling_dept)
    other = _valid(tree, hotline, people, "2024-06-03", tree.school_org)
    leader = make_user(Role.BUREAU_LEADER, tree.bureau)
    client.force_login(leader)
    page = client.get(reverse("metrics:dashboard") + "?year=2024").content.decode()
    assert "去年" in page and "+2" in page  # 3 valid in 2024 against 1 in 2023
    assert "今日已超期办件" in page  # the overdue panel from the case engine
    page = client.get(reverse("metrics:drilldown", args=["petitions.valid"]) + "?year=2024").content.decode()
    assert "按科室或学校" in page and tree.sibling_dept.name in page and tree.school_org.name in page
    assert page.count("<meter") >= 24 + 2  # 12 months × this year and last, and the two units
    # a department's staff see the figure but open only their own unit's records
    staff = make_user(Role.DEPARTMENT_STAFF, tree.sibling_dept)
    client.force_login(staff)
    page = client.get(reverse("metrics:drilldown", args=["petitions.valid"]) + "?year=2024").content.decode()
    assert "3件" in page and other.case.reference not in page and "以下2条记录" in page


def test_the_figures_page_groups_under_chinese_headings_without_internal_keys(client, tree, make_user):
    """Issue 27: staff read 行政执法 and 投诉举报与信访, not `enforcement` and `petitions.valid`."""
    client.force_login(make_user(Role.BUREAU_LEADER, tree.bureau))
    page = client.get(reverse("metrics:dashboard") + "?year=2024").content.decode()
    assert "<h2>行政执法</h2>" in page and "<h2>投诉举报与信访</h2>" in page
    shown = page.replace("/petitions.valid/", "")  # the drill-down link may carry the key
    assert "petitions.valid" not in shown and ">enforcement<" not in page
