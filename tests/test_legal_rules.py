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


def at(day: str) -> dt.datetime:
    """10:00 on a day, Beijing time."""
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.fromisoformat(day).replace(hour=10))


def _claimed_item(tree, code: str = "X1"):
    """An enforcement item of the bureau, claimed, with a fine of 100 to 1,000 yuan."""
    from decimal import Decimal

    from edugov.enforcement import actions
    from edugov.enforcement.models import EnforcementItem

    item = EnforcementItem.objects.create(organisation=tree.bureau, code=code, name="处罚", legal_basis="依据",
                                          fine_min=Decimal(100), fine_max=Decimal(1000), department=tree.dept)
    actions.item_claim(actor=None, item=item)
    return item


def _oracle(event: dt.date, count: int, unit: str, term: bool = False) -> dt.date:
    """An independent count over chinese_calendar, written from INTERFACES.md's wording. A term does
    not move off a rest day."""
    def is_workday(day: dt.date) -> bool:
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:  # a year without holiday data: Monday to Friday, as the calendar assumes
            return day.weekday() < 5

    def next_workday(day: dt.date) -> dt.date:
        while not term and not is_workday(day):
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
        if rule.term:
            assert rule.ends(event) == _oracle(event, rule.count, rule.unit, term=True), (rule_id, event)
        else:
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


    from edugov.accounts.models import Role
    from edugov.cases import actions as engine
    from edugov.enforcement import actions

    officer = make_user(Role.ENFORCEMENT_OFFICER, tree.dept)
    head = make_user(Role.DEPARTMENT_HEAD, tree.dept)
    item = _claimed_item(tree)

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


def test_a_term_ends_on_the_corresponding_day_even_a_rest_day():
    """A publication's term is how long it stays up, not a time to act: it does not move to Monday."""
    assert rules.get("publication.penalty_term").ends(dt.date(2024, 4, 19)) == dt.date(2025, 4, 19)  # a Saturday
    assert rules.get("publication.penalty_term_serious").ends(dt.date(2024, 2, 29)) == dt.date(2027, 2, 28)
    assert all(r.unit in ("months", "years") for r in rules.all_rules() if r.term)


def test_a_published_penalty_hides_a_persons_name_and_stays_up_as_the_credit_repair_measures_say(tree, make_user):
    """Item 7: natural persons are anonymised; general information stays up at most 1 year, serious (a
    permit revoked, a person barred from the trade) at most 3 years (信用修复管理办法, in force 2026-04-01)."""


    from edugov.accounts.models import Role
    from edugov.cases import actions as engine
    from edugov.enforcement import actions
    from edugov.enforcement.models import Publication

    officer = make_user(Role.ENFORCEMENT_OFFICER, tree.dept)
    head = make_user(Role.DEPARTMENT_HEAD, tree.dept)
    item = _claimed_item(tree)

    def decided(party: str, person: bool, types: list[str], day: str = "2024-09-02"):
        p = actions.penalty_open(actor=officer, inspection=None, organisation=tree.bureau, item=item, is_major=False,
                                 party_name=party, party_is_person=person, facts=f"{party}未经审批举办培训。", at=at(day))
        engine.case_transition(actor=officer, case=p.case, transition="investigate", at=at(day))
        engine.case_transition(actor=officer, case=p.case, transition="notify", data={"intended": "处罚"}, at=at(day))
        actions.penalty_record_waiver(actor=officer, penalty=p, waiver="当事人书面放弃陈述申辩和听证", at=at(day))
        actions.penalty_decide(actor=head, penalty=p, types=types, decision_text="决定", at=at(day),
                               fine="500" if "fine" in types else None, collective_discussion="局长办公会集体讨论")
        return Publication.objects.get(penalty=p)

    person = decided("王小明", True, ["fine"])
    assert "王小明" not in person.body and "王**" in person.body
    assert person.take_down_on == dt.date(2025, 9, 2)
    company = decided("某某培训有限公司", False, ["warning"])
    assert "某某培训有限公司" in company.body
    serious = decided("某某艺术学校", False, ["revoke_permit"])
    assert serious.take_down_on == dt.date(2027, 9, 2)
    assert actions.publication_take_down_expired(dt.date(2025, 9, 2)) == 2
    person.refresh_from_db(), serious.refresh_from_db()
    assert person.taken_down_at is not None and serious.taken_down_at is None


def test_a_district_sets_its_own_local_counts_and_not_a_statutes(tree, make_user, client):
    """Item 8: the legal review's 10 (+3) working days are the bureau's rule, set per district in its
    legal settings; one district's count does not move another's; a statute's count is refused."""
    from decimal import Decimal

    from edugov.accounts.actions import legal_settings_set
    from edugov.accounts.models import LegalSettings, Role
    from edugov.cases import actions as engine
    from edugov.enforcement import actions
    from edugov.enforcement.models import EnforcementItem
    from edugov.kernel.errors import PermissionDenied

    def review_due(bureau, dept, code):
        officer = make_user(Role.ENFORCEMENT_OFFICER, dept)
        item = EnforcementItem.objects.create(organisation=bureau, code=code, name="处罚", legal_basis="依据",
                                              fine_min=Decimal(100), fine_max=Decimal(1000), department=dept)
        actions.item_claim(actor=None, item=item)
        p = actions.penalty_open(actor=officer, inspection=None, organisation=bureau, item=item, party_name="某培训点",
                                 facts="事实", at=at("2024-09-02"))
        engine.case_transition(actor=officer, case=p.case, transition="investigate", at=at("2024-09-02"))
        engine.case_transition(actor=officer, case=p.case, transition="notify", data={"intended": "警告"},
                               at=at("2024-09-02"))
        actions.penalty_record_waiver(actor=officer, penalty=p, waiver="书面放弃", at=at("2024-09-02"))
        engine.case_transition(actor=officer, case=p.case, transition="submit_review", at=at("2024-09-02"))
        return p.case.clocks.get(name="review").due_on

    leader = make_user(Role.BUREAU_LEADER, tree.bureau)
    officer = make_user(Role.ENFORCEMENT_OFFICER, tree.dept)
    with pytest.raises(PermissionDenied):
        legal_settings_set(actor=officer, organisation=tree.bureau, reconsideration_body="", court="", review_body="",
                           recheck_body="", local_rules={"penalty.legal_review": 7})
    with pytest.raises(ValidationFailed, match="行政处罚法|cannot change"):
        legal_settings_set(actor=leader, organisation=tree.bureau, reconsideration_body="", court="", review_body="",
                           recheck_body="", local_rules={"penalty.hearing_request": 3})
    with pytest.raises(ValidationFailed, match="1至366|1 to 366"):
        legal_settings_set(actor=leader, organisation=tree.bureau, reconsideration_body="", court="", review_body="",
                           recheck_body="", local_rules={"penalty.legal_review": 0})
    assert not LegalSettings.objects.exists()  # every refusal wrote nothing
    legal_settings_set(actor=leader, organisation=tree.bureau, reconsideration_body="甲区人民政府", court="甲区人民法院",
                       review_body="", recheck_body="", local_rules={"penalty.legal_review": 7})
    # Monday 2 September 2024: 7 working days end on Wednesday 11 September; 10 on Saturday 14 September,
    # a 调休 working day before the Mid-Autumn holiday
    assert review_due(tree.bureau, tree.dept, "A1") == dt.date(2024, 9, 11)
    assert review_due(tree.other_bureau, tree.other_bureau, "B1") == dt.date(2024, 9, 14)

    # the page: read by the district's staff, changed by its leader, another district's 404
    client.force_login(officer)
    page = client.get("/accounts/legal-settings/")
    assert page.status_code == 200 and "甲区人民政府" in page.content.decode()
    assert client.post("/accounts/legal-settings/", {"court": "别的法院"}).status_code == 403
    assert client.get(f"/accounts/legal-settings/?org={tree.other_bureau.code}").status_code == 404
    client.force_login(leader)
    form = {"reconsideration_body": "甲区人民政府", "court": "甲区人民法院", "review_body": "甲区信访局",
            "recheck_body": "市信访局", "local__penalty__legal_review": "abc"}
    refused = client.post("/accounts/legal-settings/", form)
    assert refused.status_code == 400 and "甲区信访局" in refused.content.decode()
    assert LegalSettings.objects.get().review_body == ""
    client.post("/accounts/legal-settings/", form | {"local__penalty__legal_review": "8"})
    saved = LegalSettings.objects.get()
    assert saved.review_body == "甲区信访局" and saved.local_rules == {"penalty.legal_review": 8}


def test_a_refusal_names_where_to_challenge_it(tree, staff, item, citizen):
    """Item 9: 不予受理 and 不予许可 carry the remedy sentence, naming the district's reconsideration body
    and court; an act that must go to reconsideration first says so (行政复议法 art. 23)."""
    from edugov.accounts.actions import legal_settings_set
    from edugov.documents.remedies import remedy_sentence
    from edugov.services import actions
    from edugov.services.tests.support import submit

    head, clerk = staff
    legal_settings_set(actor=None, organisation=tree.bureau, reconsideration_body="甲区人民政府",
                       court="某市铁路运输法院", review_body="", recheck_body="")
    refused = submit(item, citizen)
    actions.application_reject(actor=clerk, application=refused, reason="不属于本机关职权范围")
    refused.refresh_from_db()
    assert "不属于本机关职权范围" in refused.decision_text
    assert "60日内向甲区人民政府申请行政复议" in refused.decision_text and "6个月内向某市铁路运输法院" in refused.decision_text
    denied = submit(item, citizen)
    actions.application_accept(actor=clerk, application=denied)
    actions.application_decide(actor=head, application=denied, approve=False, reason="场所面积不足")
    denied.refresh_from_db()
    assert "甲区人民政府" in denied.decision_text and "某市铁路运输法院" in denied.decision_text
    first = remedy_sentence(tree.bureau, reconsideration_first=True)
    assert "应当" in first and "先向甲区人民政府申请行政复议" in first and "第二十三条" in first
    assert "有管辖权的人民法院" in remedy_sentence(tree.other_bureau)  # a district that set nothing


def test_after_the_decision_service_payment_reminder_and_the_court(tree, make_user):
    """Item 6: the limitation at filing (art. 36), collective discussion for serious penalties (art. 57),
    service within 7 working days (arts. 61, 85), payment within 15 days of receipt (art. 67), 3% a day
    after it capped at the fine (art. 72), the reminder and 10 working days after it (行政强制法 arts. 54,
    69), the court within 3 months of the end of the remedy periods (art. 53)."""
    from decimal import Decimal

    from edugov.accounts.models import Role
    from edugov.cases import actions as engine
    from edugov.enforcement import actions, selectors

    officer = make_user(Role.ENFORCEMENT_OFFICER, tree.dept)
    head = make_user(Role.DEPARTMENT_HEAD, tree.dept)
    item = _claimed_item(tree)

    def opened(day: str, act_on: dt.date, harm: bool = False):
        return actions.penalty_open(actor=officer, inspection=None, organisation=tree.bureau, item=item, is_major=False,
                                    party_name="某培训点", facts="事实", act_on=act_on, harm=harm, at=at(day))

    # an act of 1 March 2022 is beyond 2 years on 4 March 2024 (1 March 2024 was the last day), not beyond 5
    with pytest.raises(ValidationFailed, match="2024-03-01"):
        opened("2024-03-04", dt.date(2022, 3, 1))
    opened("2024-03-04", dt.date(2022, 3, 1), harm=True)

    def decided(types: list[str], fine: str | None, collective: str = ""):
        p = opened("2024-09-02", dt.date(2024, 8, 30))
        engine.case_transition(actor=officer, case=p.case, transition="investigate", at=at("2024-09-02"))
        engine.case_transition(actor=officer, case=p.case, transition="notify", data={"intended": "处罚"},
                               at=at("2024-09-02"))
        actions.penalty_record_waiver(actor=officer, penalty=p, waiver="当事人书面放弃", at=at("2024-09-02"))
        actions.penalty_decide(actor=head, penalty=p, types=types, fine=fine, decision_text="决定",
                               collective_discussion=collective, at=at("2024-09-03"))
        return p

    with pytest.raises(ValidationFailed, match="集体讨论|collectively"):
        decided(["revoke_permit"], None)
    decided(["revoke_permit"], None, collective="2024-09-03 局长办公会，5人参加，同意吊销")

    p = decided(["fine"], "500")
    # decided Tuesday 3 September 2024: served within 7 working days, by Thursday 12 September
    assert p.case.clocks.get(name="service").due_on == dt.date(2024, 9, 12)
    with pytest.raises(ValidationFailed):  # service before the decision
        actions.penalty_serve(actor=officer, penalty=p, served_on=dt.date(2024, 9, 2), at=at("2024-09-05"))
    actions.penalty_serve(actor=officer, penalty=p, served_on=dt.date(2024, 9, 4), at=at("2024-09-05"))
    p.refresh_from_db()
    # 15 days from receipt on 4 September: 19 September (not from the recording on the 5th)
    assert p.case.state == "served" and p.case.clocks.get(name="payment").due_on == dt.date(2024, 9, 19)
    assert p.case.clocks.get(name="service").stopped_on == dt.date(2024, 9, 5)
    with pytest.raises(ValidationFailed, match="2024-09-19"):
        actions.penalty_remind(actor=officer, penalty=p, reminder="催告缴纳罚款", served_on=dt.date(2024, 9, 19),
                               at=at("2024-09-19"))
    assert selectors.late_fee(p, dt.date(2024, 9, 29)) == Decimal("150.00")  # 10 days × 3% × 500
    assert selectors.late_fee(p, dt.date(2024, 12, 1)) == Decimal("500.00")  # never more than the fine
    actions.penalty_remind(actor=officer, penalty=p, reminder="催告缴纳罚款及加处罚款", served_on=dt.date(2024, 9, 23),
                           at=at("2024-09-23"))
    p.refresh_from_db()
    clocks = {c.name: c.due_on for c in p.case.clocks.all() if c.stopped_on is None}
    # 10 working days from Monday 23 September, across National Day (Sunday 29 September a 调休 working day):
    # Friday 11 October; the remedy periods end 4 March 2025 (6 months from receipt, a Tuesday), and the
    # court is applied to by 4 June 2025
    assert clocks == {"reminder_wait": dt.date(2024, 10, 11), "court": dt.date(2025, 6, 4)}
    with pytest.raises(ValidationFailed, match="2024-10-11"):
        actions.penalty_apply_court(actor=head, penalty=p, application="区人民法院", at=at("2024-10-11"))
    with pytest.raises(ValidationFailed, match="2025-03-04"):
        actions.penalty_apply_court(actor=head, penalty=p, application="区人民法院", at=at("2024-10-14"))
    p.case.refresh_from_db()
    assert p.case.state == "reminded"
    actions.penalty_apply_court(actor=head, penalty=p, application="区人民法院，2025-03-05 立案", at=at("2025-03-05"))
    p.case.refresh_from_db()
    assert p.case.state == "court" and p.case.next_due_on is None

    nothing_to_pay = decided(["warning"], None)
    actions.penalty_serve(actor=officer, penalty=nothing_to_pay, served_on=dt.date(2024, 9, 3), at=at("2024-09-03"))
    assert not nothing_to_pay.case.clocks.filter(name="payment", stopped_on__isnull=True).exists()


def test_a_licensing_hearing_right_holds_the_decision_and_a_hearing_has_its_own_clock(tree, staff, item, citizen):
    """Item 3: told of the right to a hearing, the applicant may ask within 5 working days (行政许可法
    art. 47, with art. 82); no decision meanwhile; a hearing asked for is held within 20 working days
    and its time does not count towards the decision (art. 45)."""
    from django.utils import timezone

    from edugov.cases import actions as engine
    from edugov.services import actions
    from edugov.services.tests.support import submit

    head, clerk = staff
    today = timezone.localdate()
    app = submit(item, citizen)
    actions.application_accept(actor=clerk, application=app)
    case = app.case
    with pytest.raises(ValidationFailed):  # the step says who was told, and how
        engine.case_transition(actor=head, case=case, transition="offer_hearing", data={"reason": ""})
    engine.case_transition(actor=head, case=case, transition="offer_hearing",
                           data={"reason": "申请人与相邻住户存在重大利益关系，已书面告知听证权利"})
    right = case.clocks.get(name="hearing_request")
    assert right.due_on == rules.get("licensing.hearing_request").deadline(today).date > today
    with pytest.raises(ValidationFailed, match=right.due_on.isoformat()):
        actions.application_decide(actor=head, application=app, approve=False, reason="不符合条件")
    case.refresh_from_db()
    assert case.state == "accepted"
    engine.case_transition(actor=head, case=case, transition="hearing", data={"reason": "相邻住户申请听证"})
    case.refresh_from_db()
    clocks = {c.name: c for c in case.clocks.all()}
    assert clocks["hearing_request"].stopped_on == today and clocks["statutory"].paused_on == today
    assert clocks["hearing_hold"].due_on == rules.get("licensing.hearing_hold").deadline(today).date
    engine.case_transition(actor=head, case=case, transition="resume", data={"note": "听证已举行"})
    actions.application_decide(actor=head, application=app, approve=False, reason="听证后认定不符合条件")
    case.refresh_from_db()
    assert case.state == "denied" and case.clocks.get(name="hearing_hold").stopped_on == today


def test_a_catalogue_item_counts_its_statutory_limit_in_the_statutes_unit(tree, staff, citizen):
    """Item 3: 民办学校正式设立 is decided within three months (民办教育促进法 art. 17), not 60 working days:
    the item says so, the guide shows it and the application's clock runs to the corresponding day."""
    from django.utils import timezone

    from edugov.kernel.calendar import LegalCalendar
    from edugov.services import actions, catalogue
    from edugov.services.tests.support import MATERIALS, item_values, submit

    head, clerk = staff
    with pytest.raises(ValidationFailed, match="工作日、日或月|working days, days or months"):
        catalogue.item_save(actor=head, bureau=tree.bureau, materials=MATERIALS,
                            values=item_values(tree, statutory_days=3, statutory_unit="fortnights"))
    item = catalogue.item_save(actor=head, bureau=tree.bureau, materials=MATERIALS,
                               values=item_values(tree, code="JY-002", name="民办学校正式设立审批", statutory_days=3,
                                                  statutory_unit="个月", promised_days=30))
    catalogue.item_publish(actor=head, item=item, note="发布")
    item.refresh_from_db()
    assert item.statutory_unit == "months" and item.current.snapshot["statutory_unit"] == "months"
    app = submit(item, citizen)
    actions.application_accept(actor=clerk, application=app)
    today = timezone.localdate()
    assert app.case.clocks.get(name="statutory").due_on == LegalCalendar().add_months(today, 3).date


def test_the_ninety_days_are_extended_once_by_a_leader_naming_the_rule(tree, make_user):
    """Item 6: art. 60 defers to other laws, regulations and rules: an extension names the one that
    allows it, is a bureau leader's, once, within the district's most (local rule)."""

    from django.utils import timezone

    from edugov.accounts.models import Role
    from edugov.enforcement import actions
    from edugov.kernel.errors import Conflict, PermissionDenied

    officer = make_user(Role.ENFORCEMENT_OFFICER, tree.dept)
    leader = make_user(Role.BUREAU_LEADER, tree.bureau)
    item = _claimed_item(tree)
    p = actions.penalty_open(actor=officer, inspection=None, organisation=tree.bureau, item=item, party_name="某培训点",
                             facts="事实", at=timezone.make_aware(dt.datetime(2024, 3, 1, 10)))
    due = p.case.clocks.get(name="decide").due_on
    assert due == dt.date(2024, 5, 30)  # 90 days from 1 March 2024
    with pytest.raises(PermissionDenied):
        actions.penalty_decision_extend(actor=officer, penalty=p, days=30, basis="某规章第X条", reason="案情复杂")
    with pytest.raises(ValidationFailed, match="1至30|1 to 30"):
        actions.penalty_decision_extend(actor=leader, penalty=p, days=45, basis="某规章第X条", reason="案情复杂")
    with pytest.raises(ValidationFailed, match="第六十条|art. 60"):
        actions.penalty_decision_extend(actor=leader, penalty=p, days=30, basis=" ", reason="案情复杂")
    actions.penalty_decision_extend(actor=leader, penalty=p, days=30, basis="某规章第X条", reason="案情复杂")
    assert p.case.clocks.get(name="decide").due_on == dt.date(2024, 6, 29) + dt.timedelta(days=2)  # a Saturday: Monday
    assert p.case.events.filter(text__contains="某规章第X条").exists()
    with pytest.raises(Conflict):
        actions.penalty_decision_extend(actor=leader, penalty=p, days=10, basis="某规章第X条", reason="再延")
