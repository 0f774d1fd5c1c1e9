"""Issue 25: every time limit once, in the rules registry, with its article; workflows take their
clocks from it; the CLI and docs/legal-rules.md answer from it; and the penalty's windows for the
party (statement, hearing) are working days that a decision must wait for."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import chinese_calendar
import pytest

from edugov.cases.workflow import all_workflows
from edugov.kernel import rules
from edugov.kernel.calendar import LegalCalendar
from edugov.kernel.errors import ValidationFailed

ROOT = Path(__file__).resolve().parents[1]
REQUIRED = [
    "licensing.acceptance",
    "licensing.decision",
    "licensing.decision_extension",
    "licensing.hearing_request",
    "licensing.hearing_hold",
    "penalty.statement",
    "penalty.hearing_request",
    "penalty.hearing_notice",
    "penalty.decision",
    "penalty.service",
    "penalty.payment",
    "penalty.reminder_wait",
    "penalty.court_enforcement",
    "penalty.limitation",
    "petition.acceptance",
    "petition.handling",
    "petition.handling_extension",
    "petition.review_request",
    "petition.review",
    "petition.recheck_request",
    "petition.recheck",
    "ogi.correction_notice",
    "ogi.reply",
    "ogi.reply_extension",
    "reconsideration.application",
    "reconsideration.answer",
    "litigation.filing",
    "litigation.defence",
    "publication.penalty",
    "publication.licensing",
]


def test_the_registry_holds_every_rule_the_issue_names_each_with_its_basis():
    ids = {r.id for r in rules.all_rules()}
    assert set(REQUIRED) <= ids, set(REQUIRED) - ids
    for r in rules.all_rules():
        assert str(r.basis).strip() and str(r.title).strip() and str(r.starts_on).strip(), r.id
        if not r.local:  # a statute's rule names the statute and an article
            assert "《" in str(r.basis) and ("第" in str(r.basis) or "（" in str(r.basis)), r.id


def test_every_workflow_clock_comes_from_the_registry():
    for wf in all_workflows():
        specs = [*wf.open_clocks, *(s for t in wf.transitions for s in t.start_clocks)]
        for spec in specs:
            if wf.kind == "testcase":
                continue
            assert spec.rule, f"{wf.kind}.{spec.name} counts its own days"
            rule = rules.get(spec.rule)
            assert (spec.amount, spec.unit) == (rule.calendar_count, rule.calendar_unit), (wf.kind, spec.name)


def test_no_module_declares_a_clock_with_a_count_of_its_own():
    """A workflow's clock is `ClockSpec.of(rule_id, …)`: no module calls the constructor with a count."""
    found = [str(p.relative_to(ROOT)) for p in (ROOT / "edugov").rglob("*.py")
             if "tests" not in p.parts and re.search(r"\bClockSpec\(", p.read_text(encoding="utf-8"))]
    assert found == [], found


def _oracle(event: dt.date, count: int, unit: str) -> dt.date:
    """An independent count over chinese_calendar, written from INTERFACES.md's wording."""
    def next_workday(day: dt.date) -> dt.date:
        while not chinese_calendar.is_workday(day):
            day += dt.timedelta(days=1)
        return day

    if unit == "working_days":
        day, n = event, 0
        while n < count:
            day += dt.timedelta(days=1)
            n += chinese_calendar.is_workday(day)
        return day
    if unit == "natural_days":
        return next_workday(event + dt.timedelta(days=count))
    months = count * (12 if unit == "years" else 1)
    y, m = divmod(event.month - 1 + months, 12)
    year, month = event.year + y, m + 1
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return next_workday(dt.date(year, month, min(event.day, last)))


# around National Day 2024 (with 调休 Sundays), Spring Festival 2024, a month's end and 29 February
EVENTS = [dt.date(2024, 9, 27), dt.date(2024, 2, 8), dt.date(2024, 1, 31), dt.date(2024, 2, 29), dt.date(2024, 4, 30)]


@pytest.mark.parametrize("rule_id", sorted(r.id for r in rules.all_rules()))
def test_each_rule_counts_as_the_law_says_near_holidays_and_month_ends(rule_id):
    rule = rules.get(rule_id)
    cal = LegalCalendar()
    for event in EVENTS:
        assert rule.deadline(event, cal).date == _oracle(event, rule.count, rule.unit), (rule_id, event)


def test_the_oracle_itself_agrees_with_dates_counted_by_hand():
    cal = LegalCalendar()
    # 5 working days from Friday 27 Sep 2024: Sun 29 Sep (调休), Mon 30 Sep, then 8, 9, 10 Oct
    assert rules.get("penalty.hearing_request").deadline(dt.date(2024, 9, 27), cal).date == dt.date(2024, 10, 10)
    # 15 days from 27 Sep end on Sat 12 Oct 2024, a 调休 working day: it stays there
    assert rules.get("penalty.payment").deadline(dt.date(2024, 9, 27), cal).date == dt.date(2024, 10, 12)
    # 3 months from 31 Dec: 31 March; 6 months from 31 Aug 2024: 28 Feb 2025 (no 31st), a Friday
    assert rules.get("report.publication").deadline(dt.date(2024, 12, 31), cal).date == dt.date(2025, 3, 31)
    assert rules.get("litigation.filing").deadline(dt.date(2024, 8, 31), cal).date == dt.date(2025, 2, 28)


def _edugov(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "edugov", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"})


def test_the_command_lists_the_rules_and_counts_a_deadline():
    listed = _edugov("rules", "list", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    data = json.loads(listed.stdout)["rules"]
    hearing = next(r for r in data if r["id"] == "penalty.hearing_request")
    assert hearing == {"id": "penalty.hearing_request", "title": hearing["title"], "count": 5, "unit": "working_days",
                       "starts_on": hearing["starts_on"], "basis": "《中华人民共和国行政处罚法》第六十四条、第八十五条",
                       "local": False}
    assert {r["id"] for r in data} >= set(REQUIRED)


@pytest.mark.django_db
def test_the_deadline_command_and_its_refusals(capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    call_command("rules", "deadline", "penalty.hearing_request", "2024-09-27")
    assert capsys.readouterr().out.strip() == "2024-10-10"
    with pytest.raises(CommandError, match="no.such"):
        call_command("rules", "deadline", "no.such", "2024-09-27")
    with pytest.raises(CommandError, match="ISO date"):
        call_command("rules", "deadline", "penalty.decision", "27/09/2024")


def test_docs_legal_rules_is_the_registry():
    result = _edugov("rules", "docs", "--check")
    assert result.returncode == 0, result.stderr + result.stdout
    text = (ROOT / "docs" / "legal-rules.md").read_text(encoding="utf-8")
    for r in rules.all_rules():
        assert f"`{r.id}`" in text


def test_a_local_rule_is_set_per_installation_and_a_statutes_is_not(settings):
    settings.EDUGOV = {**settings.EDUGOV, "LOCAL_RULES": {"penalty.statement": 3, "penalty.hearing_request": 1}}
    assert rules.get("penalty.statement").count == 3
    assert rules.get("penalty.hearing_request").count == 5  # the law's, whatever the setting says
    with pytest.raises(ValidationFailed):
        rules.get("penalty.nothing")


@pytest.mark.django_db
def test_a_penalty_waits_for_the_partys_windows_in_working_days_or_their_written_waiver(tree, make_user):
    """Item 1: the hearing request window is 5 working days (art. 64 with art. 85); item 2: no
    decision before the windows end unless the party waived them in writing (arts. 44, 45, 62, 64)."""
    from decimal import Decimal

    from django.utils import timezone

    from edugov.accounts.models import Role
    from edugov.cases import actions as engine
    from edugov.enforcement import actions
    from edugov.enforcement.models import EnforcementItem

    def at(day: str) -> dt.datetime:
        return timezone.make_aware(dt.datetime.fromisoformat(day).replace(hour=10))

    officer = make_user(Role.ENFORCEMENT_OFFICER, tree.dept)
    head = make_user(Role.DEPARTMENT_HEAD, tree.dept)
    item = EnforcementItem.objects.create(organisation=tree.bureau, code="X1", name="处罚", legal_basis="依据",
                                          fine_min=Decimal(100), fine_max=Decimal(1000), department=tree.dept)
    actions.item_claim(actor=None, item=item)

    def notified(day: str):
        p = actions.penalty_open(actor=officer, inspection=None, organisation=tree.bureau, item=item,
                                 party_name="某培训点", facts="事实", is_major=False, at=at(day))
        engine.case_transition(actor=officer, case=p.case, transition="investigate", at=at(day))
        engine.case_transition(actor=officer, case=p.case, transition="notify", data={"intended": "警告"}, at=at(day))
        return p

    p = notified("2024-09-27")
    windows = {c.name: c.due_on for c in p.case.clocks.filter(name__in=("statement", "hearing_request"))}
    assert windows == {"statement": dt.date(2024, 10, 10), "hearing_request": dt.date(2024, 10, 10)}
    with pytest.raises(ValidationFailed, match="2024-10-10"):
        actions.penalty_decide(actor=head, penalty=p, types=["warning"], decision_text="警告", at=at("2024-10-09"))
    p.case.refresh_from_db()
    assert p.case.state == "notified"
    actions.penalty_decide(actor=head, penalty=p, types=["warning"], decision_text="警告", at=at("2024-10-11"))
    p.case.refresh_from_db()
    assert p.case.state == "decided"

    waived = notified("2024-09-27")
    with pytest.raises(ValidationFailed):  # a waiver says what was waived
        actions.penalty_record_waiver(actor=officer, penalty=waived, waiver=" ", at=at("2024-09-29"))
    actions.penalty_record_waiver(actor=officer, penalty=waived, at=at("2024-09-29"),
                                  waiver="当事人于2024-09-29书面声明放弃陈述、申辩和听证，签字：某某")
    actions.penalty_decide(actor=head, penalty=waived, types=["warning"], decision_text="警告", at=at("2024-09-30"))
    waived.case.refresh_from_db()
    assert waived.case.state == "decided"
