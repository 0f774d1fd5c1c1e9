"""Any day of the year: the demo's live layer and the main flows at the instants a legal clock
trips over. Each instant gets its own copy of the demo district (the history is built once per run,
tests/demo_db.py), with the live layer generated at that instant; each test travels to the instant
again and its writes are rolled back, so the tests of one instant do not see each other's.

Time enters through Python's clock only (time-machine moves it): the platform dates nothing with
the database's clock, which `test_the_database_dates_nothing` keeps true."""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


# instant → the due date of a complaint received then, under 3233 (3 working days from intake), as
# read off the State Council's holiday notices by hand; 2027 and 2028 have no notice yet, so
# Monday to Friday is assumed and the deadline is marked provisional.
INSTANTS = {
    "2026-02-18 10:00": ("2026-02-26", False),  # Spring Festival holiday (15–23 February)
    "2026-02-28 10:00": ("2026-03-04", False),  # a Saturday worked in exchange (调休)
    "2026-10-03 10:00": ("2026-10-10", False),  # National Day holiday; Saturday 10 October is worked
    "2026-12-01 00:05": ("2026-12-04", False),  # the first of a month, just after midnight
    "2026-12-31 23:59": ("2027-01-05", True),   # the last minute of the year; the deadline falls in 2027
    "2027-01-01 09:00": ("2027-01-06", True),   # a year without holiday data
    "2028-02-29 09:00": ("2028-03-03", True),   # 29 February, no holiday data
}


@pytest.fixture(scope="module", params=list(INSTANTS), ids=lambda k: k.replace(" ", "T"))
def day(request, demo_database):
    """The demo district with its live layer generated at the instant."""
    with demo_database(_at(request.param)) as db:
        yield db


@pytest.fixture
def at(day):
    """This test at the instant (the clock ticking from it), its writes rolled back at the end."""
    with time_machine.travel(day.live_at, tick=True), transaction.atomic():
        yield day
        transaction.set_rollback(True)


def _user(name):
    from edugov.accounts.models import User

    return User.objects.get(username=name)


def test_the_live_layer_is_there_and_never_after_the_instant(at):
    from edugov.audit.models import Entry
    from edugov.cases.models import Case

    # The act's own time (acted_at, the legal clock); `time` is when the database recorded it.
    late = [(e.pk, e.action, e.acted_at) for e in Entry.objects.all().only("body", "action")
            if dt.datetime.fromisoformat(e.acted_at) > at.live_at]
    assert late == [], f"dated after {at.live_at}: {late[:5]}"
    assert not Case.objects.filter(opened_at__gt=at.live_at).exists()
    recent = Case.objects.filter(opened_at__gte=at.live_at - dt.timedelta(days=10))
    assert {"received", "triaged", "handling", "closed", "invalid", "transferred"} <= set(
        recent.filter(kind__in=("complaint", "petition")).values_list("state", flat=True))
    assert {"submitted", "supplementing", "accepted", "expert", "approved"} <= set(
        recent.filter(kind="service").values_list("state", flat=True))
    assert {"submitted", "checked", "returned", "verified"} <= set(
        recent.filter(kind="enrollment").values_list("state", flat=True))


def test_a_complaint_is_filed_routed_due_on_the_legal_calendar_and_closed(at, client):
    from edugov.accounts.models import Organisation
    from edugov.cases import actions as engine
    from edugov.petitions import actions, routing
    from edugov.petitions.models import Category
    from edugov.registries.models import School

    due, provisional = INSTANTS[at.live_at.strftime("%Y-%m-%d %H:%M")]
    bureau, office = Organisation.objects.get(code="JZ"), _user("supervision")
    unit, handler = Organisation.objects.get(code="JZ-policy"), _user("head.policy")
    p = actions.petition_intake(actor=office, organisation=bureau, channel="hotline",
                                category=Category.objects.filter(organisation=bureau).first(),
                                description="反映学校以资料费名义收费。", school=School.objects.filter(
                                    organisation__parent=bureau).first(), complainant_name="张三",
                                complainant_phone="13912345678").petition
    actions.petition_triage(actor=office, petition=p, decision="valid")
    routing.petition_route(actor=office, petition=p, unit=unit)
    p.case.refresh_from_db()
    assert str(p.case.next_due_on) == due
    clock = p.case.clocks.get(stopped_on__isnull=True)
    assert clock.provisional is provisional

    # the supervision office's workbench: due this week only when the due date is by Sunday
    client.force_login(office)
    today = at.live_at.date()
    sunday = today + dt.timedelta(days=6 - today.weekday())
    week = client.get("/cases/", {"view": "week", "q": p.case.reference})  # found by its 文号 among the week's
    assert week.status_code == 200
    listed = f">{p.case.reference}</a>"  # its link in the list (the search box repeats the 文号 itself)
    assert (listed in week.content.decode()) is (dt.date.fromisoformat(due) <= sunday)
    with time_machine.travel(_at(due) + dt.timedelta(days=1, hours=10), tick=True):
        client.force_login(office)  # the session of days ago has expired, as it should
        overdue = client.get("/cases/", {"view": "overdue", "q": p.case.reference})
        assert overdue.status_code == 200 and listed in overdue.content.decode()

    for outcome in ("已了解诉求", "已告知核查进展"):
        engine.case_log_contact(actor=handler, case=p.case, channel="phone", counterpart="投诉人", outcome=outcome)
    actions.petition_close(actor=handler, petition=p, result="经核查，已督促学校退还费用并向投诉人反馈。")
    p.case.refresh_from_db()
    assert p.case.state == "closed" and not p.case.is_open


def test_a_deadline_crossing_reminds_once_and_escalates_once(at):
    """Issue 26: a complaint routed at the instant, followed day by day past its due date by the
    reminder job (run twice a day, as a restarted worker would): its handler is reminded once the
    working day before and once on the day, the unit's head once when it is missed, the
    supervision office once after the district's escalation working days; nobody twice."""
    from collections import Counter

    from edugov.accounts.models import Organisation
    from edugov.accounts.selectors import rule_of
    from edugov.cases.models import Reminder
    from edugov.cases.tasks import send_clock_reminders
    from edugov.kernel.calendar import get_calendar
    from edugov.petitions import actions, routing
    from edugov.petitions.models import Category
    from edugov.registries.models import School

    due, _provisional = INSTANTS[at.live_at.strftime("%Y-%m-%d %H:%M")]
    bureau, office = Organisation.objects.get(code="JZ"), _user("supervision")
    unit, handler = Organisation.objects.get(code="JZ-policy"), _user("head.policy")
    p = actions.petition_intake(actor=office, organisation=bureau, channel="hotline",
                                category=Category.objects.filter(organisation=bureau).first(),
                                description="反映课后服务收费不透明。", school=School.objects.filter(
                                    organisation__parent=bureau).last(), complainant_name="李四",
                                complainant_phone="13912345679").petition
    actions.petition_triage(actor=office, petition=p, decision="valid")
    routing.petition_route(actor=office, petition=p, unit=unit)
    from edugov.cases import actions as engine

    engine.case_assign(actor=office, case=p.case, department=None, assignee=handler)
    clock = p.case.clocks.get(stopped_on__isnull=True)
    assert str(clock.due_on) == due
    cal, escalate = get_calendar(), rule_of(bureau, "workbench.escalation").count
    # the job runs every day from two working days before the due date to past the escalation; on
    # the due day and the escalation day twice (a worker restarted)
    first = max(at.live_at.date(), clock.due_on - dt.timedelta(days=4))
    day, last = first, cal.add_working_days(clock.due_on, escalate + 1).date
    while day <= last:
        with time_machine.travel(_at(f"{day} 09:00"), tick=False):
            send_clock_reminders(today=day)
            if day in (clock.due_on, cal.add_working_days(clock.due_on, escalate).date):
                send_clock_reminders(today=day)
        day += dt.timedelta(days=1)
    sent = Counter((r.kind, r.recipient.username) for r in Reminder.objects.filter(clock=clock))
    heads = {r for (kind, r) in sent if kind == "overdue"}
    supervision = {r for (kind, r) in sent if kind == "escalated"}
    assert sent[("due_today", handler.username)] == 1
    assert sent[("due_soon", handler.username)] == 1
    assert heads and supervision and office.username in supervision
    assert all(n == 1 for n in sent.values()), sent
    escalated = Reminder.objects.get(clock=clock, kind="escalated", recipient=office)
    assert cal.working_days_between(clock.due_on, timezone_date(escalated.created_at)) == escalate


def timezone_date(value: dt.datetime) -> dt.date:
    from django.utils import timezone

    return timezone.localdate(value)


def test_a_counter_application_is_accepted_and_decided(at):
    from edugov.demo.generator import credit_code
    from edugov.kernel.calendar import years_later
    from edugov.services import actions
    from edugov.services.models import ServiceItem

    item = ServiceItem.objects.get(code__endswith="XK-007")
    materials = [m["id"] for m in item.current.snapshot["materials"]]
    app = actions.application_submit(actor=_user("clerk"), item=item, channel="counter",
                                     applicant_kind="institution", name="联系人", phone="13912345678",
                                     institution_name="江州区时光艺术培训中心",
                                     credit_code=credit_code(random.Random(at.live_at.isoformat()), "500101"),
                                     received=materials)
    app = actions.application_accept(actor=_user("clerk"), application=app)
    app.case.refresh_from_db()
    assert app.case.state == "accepted" and app.case.next_due_on > at.live_at.date()
    today = at.live_at.date()
    app = actions.application_decide(actor=_user("head.approval"), application=app, approve=True,
                         certificate_number=f"教民{today:%Y%m%d}901号", valid_from=today,
                         valid_until=years_later(today, 2))
    app.case.refresh_from_db()
    assert app.case.state == "approved"
    # issue 30: the certificate is dated by the decision, and verifies as valid on that day (its term
    # from the decision, not from the day the demo was made)
    import io

    from pypdf import PdfReader

    from edugov.documents.actions import document_pdf
    from edugov.documents.models import IssuedDocument
    from edugov.documents.signing import validate

    certificate = IssuedDocument.objects.get(subject=f"case:{app.case_id}", kind="licence_certificate")
    assert certificate.issued_on == today and certificate.status == "valid"
    pdf = document_pdf(certificate)
    assert validate(pdf).valid
    assert f"{today.year}年{today.month}月{today.day}日" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_the_officer_signs_off_an_inspection_of_todays_joint_operation(at):
    from edugov.enforcement import actions
    from edugov.enforcement.models import FindingKind, Inspection

    officer = _user("officer")
    visit = (Inspection.objects.filter(outing__on=at.live_at.date(), outing__team__user=officer,
                                       institution__isnull=False).select_related("campaign__matter").first())
    assert visit is not None, "the live layer puts a joint operation with the demo officer on every day"
    actions.inspection_arrive(actor=officer, inspection=visit, place=visit.address, certificates_shown=True)
    actions.inspection_record(actor=officer, inspection=visit, checklist=dict.fromkeys(visit.campaign.matter.checklist,
                                                                                        "yes"), people_met="负责人")
    actions.inspection_sign_off(actor=officer, inspection=visit)
    actions.inspection_decide(actor=officer, inspection=visit, findings=[{"kind": FindingKind.COMPLIANT}])
    visit.refresh_from_db()
    assert visit.signed_off_at is not None


def test_an_enrollment_application_is_reviewed(at):
    from edugov.cases.models import Case
    from edugov.enrollment import actions
    from edugov.enrollment.models import Application

    case = Case.objects.filter(kind="enrollment", state="submitted",
                               opened_at__gte=at.live_at - dt.timedelta(days=3)).first()
    assert case is not None
    actions.application_review(actor=_user("staff.basic"), application=Application.objects.get(case=case), passed=True)
    case.refresh_from_db()
    assert case.state == "checked"


def test_the_draws_verify(at):
    from edugov.draws import algorithm
    from edugov.draws.actions import bundle
    from edugov.draws.models import Draw

    recent = Draw.objects.filter(drawn_at__gte=at.live_at - dt.timedelta(days=40))
    assert recent.exists(), "the live campaign's draw"
    for d in [*recent, *Draw.objects.filter(draw_id__contains="-ENF-2024-")[:3]]:
        assert algorithm.verify_bundle(bundle(d)) == [], d.draw_id


def test_the_yearly_figures_reproduce_and_this_years_compute(at, client):
    from edugov.accounts.models import Organisation
    from edugov.metrics import registry

    jz = Organisation.objects.get(code="JZ")
    figures = registry.compute_all(registry.Period.year(2024), jz)
    assert {k: figures[k].display for k in ("petitions.received", "petitions.completion_rate",
                                            "enforcement.institution_inspections", "enrollment.applications.total",
                                            "licensing.cases.total", "legal_vp.appointed")} == {
        "petitions.received": "282件", "petitions.completion_rate": "98.4%",
        "enforcement.institution_inspections": "1282家次", "enrollment.applications.total": "26907人",
        "licensing.cases.total": "56件", "legal_vp.appointed": "156名"}
    this_year = registry.compute_all(registry.Period.year(at.live_at.year), jz)
    assert set(this_year) == set(figures)
    client.force_login(_user("leader"))
    assert client.get("/figures/", {"year": at.live_at.year}).status_code == 200


# instant → the years the administrator's workbench must say have no holiday data (this year, and
# next year from 90 days before it); 2026's notice ships with the platform.
MISSING_DATA = {"2026-02-18 10:00": set(), "2026-02-28 10:00": set(), "2026-10-03 10:00": {2027},
                "2026-12-01 00:05": {2027}, "2026-12-31 23:59": {2027}, "2027-01-01 09:00": {2027},
                "2028-02-29 09:00": {2028}}


def test_the_admin_is_told_which_years_lack_holiday_data(at, client):
    client.force_login(_user("admin"))
    page = client.get("/cases/").content.decode()
    named = {int(y) for y in re.findall(r"(\d{4})年节假日安排尚未录入", page)}
    assert MISSING_DATA[at.live_at.strftime("%Y-%m-%d %H:%M")] <= named
    assert 2026 not in named


def test_the_database_dates_nothing():
    """Every time the platform stores comes from Python (timezone.now, the legal calendar): no model
    field takes a default from the database and no code asks the database for the time, so holding
    Python's clock still holds the platform's, on PostgreSQL as on SQLite. The one exception is the
    ledger's own witness time (audit/dbclock.py: when an entry was recorded and a head signed, which
    a caller must not choose); the act's time in the entry (`acted_at`) is Python's, and the
    ledger's checks compare database times with database times only."""
    from django.apps import apps
    from django.db.models.fields import NOT_PROVIDED

    assert [f"{m._meta.label}.{f.name}" for m in apps.get_models() for f in m._meta.concrete_fields
            if f.db_default is not NOT_PROVIDED] == []
    root = Path(__file__).resolve().parents[2] / "edugov"
    database_clock = re.compile(r"\bNow\(\)|(?<![.\w])now\(\)|\b(CURRENT|current)_(TIMESTAMP|timestamp)\b|"
                                r"clock_timestamp|transaction_timestamp|statement_timestamp|localtimestamp")
    asks = [str(p.relative_to(root)) for p in root.rglob("*.py")
            if "tests" not in p.parts and database_clock.search(p.read_text(encoding="utf-8"))]
    assert asks == ["audit/dbclock.py"]


def test_the_readme_names_the_instants():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert [i for i in INSTANTS if i.split()[0] not in readme] == []
