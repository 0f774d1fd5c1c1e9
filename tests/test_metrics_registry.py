import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from edugov.accounts.models import Role
from edugov.cases import actions
from edugov.cases.models import Case
from edugov.metrics import registry
from edugov.metrics.registry import Metric, Period
from tests.workflow_fixture import TEST_WORKFLOW  # noqa: F401


def _cases(period, org):
    return Case.objects.filter(kind="testcase", organisation__path__startswith=org.path,
                               opened_at__date__gte=period.start, opened_at__date__lte=period.end)


@pytest.fixture
def figures():
    metrics = [
        Metric(key="test.received", title="收件", definition="期间内收到的测试办件", measure_word="件",
               count=lambda p, o: _cases(p, o).count(), records=_cases),
        Metric(key="test.completion_rate", title="办结率", definition="办结 ÷ 受理", decimals=1, empty="无办件",
               rate=lambda p, o: (_cases(p, o).filter(state="done").count(),
                                  _cases(p, o).filter(state__in=["accepted", "done"]).count())),
        Metric(key="test.published", title="公开", definition="约数", measure_word="条", approximate=True,
               count=lambda p, o: _cases(p, o).count() * 61),
        Metric(key="test.rule", title="课时要求", definition="规则", measure_word="课时", rule=4),
    ]
    for m in metrics:
        registry.register(m)
    yield metrics
    for m in metrics:
        registry.unregister(m.key)


def _open(tree, staff, day="2024-05-06", n=1):
    at = timezone.make_aware(dt.datetime.fromisoformat(day).replace(hour=9))
    return [actions.case_open(actor=staff, kind="testcase", organisation=tree.bureau, department=tree.dept,
                              title=f"事项{i}", at=at) for i in range(n)]


def test_adding_a_record_moves_the_figure_and_formats_follow_the_report(tree, make_user, figures):
    staff = make_user(Role.DEPARTMENT_STAFF, tree.dept)
    year = Period.year(2024)
    empty = registry.compute(registry.get("test.completion_rate"), year, tree.bureau)
    assert empty.value is None and empty.display == "无办件" and empty.as_json()["value"] is None
    cases = _open(tree, staff, n=3)
    _open(tree, staff, day="2023-12-31")  # outside the period
    assert registry.compute(registry.get("test.received"), year, tree.bureau).display == "3件"
    assert registry.compute(registry.get("test.published"), year, tree.bureau).display == "180余条"  # 183
    for c in cases:
        c = actions.case_transition(actor=staff, case=c, transition="accept")
    actions.case_transition(actor=staff, case=cases[0], transition="complete", data={"result": "已办结"})
    rate = registry.compute(registry.get("test.completion_rate"), year, tree.bureau)
    assert (rate.numerator, rate.denominator, rate.display) == (1, 3, "33.3%")
    assert rate.as_json() == {"value": 0.33333, "numerator": 1, "denominator": 3, "display": "33.3%"}
    assert registry.compute(registry.get("test.rule"), year, tree.bureau).display == "4课时"
    assert registry.compute(registry.get("test.received"), year, tree.other_bureau).value == 0


def test_the_metrics_json_of_the_interfaces_from_the_command_and_the_api(tree, make_user, figures, client, capsys):
    staff = make_user(Role.DEPARTMENT_STAFF, tree.dept)
    _open(tree, staff, n=2)
    call_command("report", "metrics", "--year", "2024", "--org", tree.bureau.code, "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert data["period"] == {"start": "2024-01-01", "end": "2024-12-31"} and data["org"] == tree.bureau.code
    assert data["metrics"]["test.received"] == {"value": 2, "display": "2件"}
    assert data["metrics"]["test.completion_rate"] == {"value": None, "numerator": 0, "denominator": 0,
                                                       "display": "无办件"}
    url = f"/api/v1/metrics?year=2024&org={tree.bureau.code}"
    assert client.get(url).status_code == 401
    client.force_login(make_user(Role.BUREAU_LEADER, tree.other_bureau))
    assert client.get(url).status_code == 403
    client.force_login(make_user(Role.BUREAU_LEADER, tree.bureau))
    assert client.get(url).json() == data


def test_bad_arguments_exit_2_with_one_line(tree, figures):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as exc:
        call_command("report", "metrics", "--year", "2024", "--org", "NOPE")
    assert exc.value.returncode == 2


def test_the_drilldown_lists_the_records_counted(tree, make_user, figures, client):
    staff = make_user(Role.DEPARTMENT_STAFF, tree.dept)
    cases = _open(tree, staff, n=2)
    client.force_login(make_user(Role.BUREAU_LEADER, tree.bureau))
    board = client.get(f"/figures/?year=2024&org={tree.bureau.code}").content.decode()
    assert "收件" in board and "2件" in board
    page = client.get(f"/figures/test.received/?year=2024&org={tree.bureau.code}").content.decode()
    assert all(c.reference in page for c in cases)
    client.force_login(make_user(Role.BUREAU_LEADER, tree.other_bureau))
    # another district's code is answered as an unknown one (accounts.selectors.access_organisation)
    assert client.get(f"/figures/test.received/?year=2024&org={tree.bureau.code}").status_code == 404
    assert client.get("/figures/test.received/?year=2024&org=NO-SUCH").status_code == 404


def test_a_metric_is_defined_once():
    m = Metric(key="test.once", title="x", definition="x", rule=1)
    registry.register(m)
    try:
        with pytest.raises(ValueError, match="registered twice"):
            registry.register(Metric(key="test.once", title="y", definition="y", rule=2))
    finally:
        registry.unregister("test.once")
    with pytest.raises(ValueError, match="exactly one"):
        Metric(key="test.bad", title="x", definition="x")


def test_periods_split_into_months():
    months = Period.year(2024).months()
    assert len(months) == 12 and months[1] == Period(dt.date(2024, 2, 1), dt.date(2024, 2, 29))


def test_a_monthly_series_counts_each_month(tree, make_user, figures):
    staff = make_user(Role.DEPARTMENT_STAFF, tree.dept)
    _open(tree, staff, day="2024-02-05", n=2)
    _open(tree, staff, day="2024-07-01")
    months = registry.series(registry.get("test.received"), 2024, tree.bureau)
    assert [v.value for _, v in months] == [0, 2, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0]
