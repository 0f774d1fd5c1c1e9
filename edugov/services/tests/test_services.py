"""Government services end to end on the real database: catalogue versions, applications with a
one-time notice, licensing decisions, commitments and their verification sample, ratings, figures."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.utils import timezone

from edugov.accounts.models import Role, User, UserKind
from edugov.audit.models import Entry as LedgerEntry
from edugov.cases.models import Case
from edugov.draws import algorithm
from edugov.kernel import rules
from edugov.kernel.calendar import get_calendar, years_later
from edugov.kernel.errors import Conflict, PermissionDenied, ValidationFailed
from edugov.metrics.registry import Period, compute, get
from edugov.services import actions, catalogue
from edugov.services.models import (
    Application,
    CreditKind,
    CreditRecord,
    ItemStatus,
    MaterialStatus,
    Rating,
    ServiceItem,
    Verification,
)
from edugov.services.tests.support import MATERIALS, credit, item_values, mids, pdf, submit

pytestmark = pytest.mark.django_db



def test_a_change_reaches_the_guide_only_when_published(client, tree, staff, item):
    head, _clerk = staff
    page = client.get(item.get_absolute_url())
    assert "校外培训机构设立审批" in page.content.decode() and "场所证明" in page.content.decode()
    values = item_values(tree, promised_days=5)
    catalogue.item_save(actor=head, bureau=tree.bureau, values=values, materials=MATERIALS, item=item)
    assert ServiceItem.objects.get(pk=item.pk).current.snapshot["promised_days"] == 10  # the public still sees 10
    shown = client.get(item.get_absolute_url()).content.decode()
    assert "10个工作日" in shown and "5个工作日" not in shown
    v2 = catalogue.item_publish(actor=head, item=item, note="承诺时限压缩为5个工作日")
    assert v2.number == 2 and v2.snapshot["promised_days"] == 5
    with pytest.raises(Conflict, match="自第2版发布以来没有改动"):
        catalogue.item_publish(actor=head, item=item, note="again")
    assert LedgerEntry.objects.filter(action="service_item.publish").count() == 2


def test_publishing_needs_the_department_head(tree, staff, item, make_user):
    clerk = make_user(Role.DEPARTMENT_STAFF, tree.sibling_dept)
    with pytest.raises(PermissionDenied):
        catalogue.item_publish(actor=clerk, item=item, note="x")
    outsider = make_user(Role.DEPARTMENT_HEAD, tree.dept)
    with pytest.raises(PermissionDenied):
        catalogue.item_save(actor=outsider, bureau=tree.bureau, values=item_values(tree), materials=MATERIALS, item=item)


def test_the_catalogue_goes_out_to_excel_and_back(tree, staff, item):
    head, _clerk = staff
    data = catalogue.export_catalogue(tree.bureau)
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(data)).active
    ws.cell(row=2, column=2).value = "校外培训机构设立审批（修订）"
    ws.append(["JY-002", "民办学校章程备案", "其他行政权力", "民办教育促进法实施条例", "基础教育科", "中心", "1", "2",
               "有章程", "", 5, 3, "不收费", "", 1, "", "是", "是", "", "章程|电子件|1|是|否"])
    buf = io.BytesIO()
    ws.parent.save(buf)
    done = catalogue.import_catalogue(actor=head, bureau=tree.bureau, data=buf.getvalue())
    assert done == {"created": 1, "updated": 1}
    assert ServiceItem.objects.get(code="JY-002").status == ItemStatus.DRAFT  # imported, not yet published
    assert ServiceItem.objects.get(code="JY-001").name.endswith("（修订）")
    ws.append(["JY-003", "坏行", "行政许可", "依据", "没有这个科", "中心", "1", "2", "条件", "", 5, 9, "", "", 1, "",
               "是", "否", "", "申请书"])
    buf = io.BytesIO()
    ws.parent.save(buf)
    with pytest.raises(ValidationFailed, match="第4行") as err:
        catalogue.import_catalogue(actor=head, bureau=tree.bureau, data=buf.getvalue())
    assert "第4行" in err.value.message and not ServiceItem.objects.filter(code="JY-003").exists()


def test_an_institution_applies_gets_a_one_time_notice_supplies_and_is_approved(tree, staff, item, citizen):
    head, clerk = staff
    a, b, c = mids(item)
    with pytest.raises(ValidationFailed, match="第18位"):
        submit(item, citizen, credit_code=credit()[:17] + ("1" if credit()[17] != "1" else "2"))
    with pytest.raises(ValidationFailed, match="举办者无犯罪记录证明"):
        submit(item, citizen, uploads={a: pdf(), b: pdf()})
    assert Case.objects.count() == 0  # nothing half-saved
    app = submit(item, citizen)
    case = app.case
    assert case.state == "submitted" and case.applicant == citizen and case.clocks.get(name="accept").amount == 5

    actions.application_notify_missing(actor=clerk, application=app, problems={b: "租赁合同已过期"}, missing=[b])
    case.refresh_from_db()
    assert case.state == "supplementing" and case.clocks.get(name="accept").paused_on is not None
    line = app.materials.get(material_id=b)
    assert line.status == MaterialStatus.DEFECTIVE and line.problem == "租赁合同已过期"
    with pytest.raises(ValidationFailed, match="场所证明"):
        actions.application_supply(actor=citizen, application=app, uploads={})
    actions.application_supply(actor=citizen, application=app, uploads={b: pdf("新合同.pdf")})
    case.refresh_from_db()
    assert case.state == "submitted" and case.clocks.get(name="accept").pauses
    with pytest.raises(Conflict, match="一次"):  # issue 25: the one-time notice is given once (art. 32)
        actions.application_notify_missing(actor=clerk, application=app, problems={a: "签名不清"}, missing=[a])

    actions.application_accept(actor=clerk, application=app)
    clocks = {c.name: c for c in Case.objects.get(pk=case.pk).clocks.all()}
    assert clocks["statutory"].amount == 20 and clocks["promised"].amount == 10
    with pytest.raises(PermissionDenied):
        actions.application_decide(actor=clerk, application=app, approve=True, certificate_number="X")
    with pytest.raises(ValidationFailed, match="最长3年"):
        actions.application_decide(actor=head, application=app, approve=True, certificate_number="教民150010124000001号",
                       valid_from=dt.date(2026, 1, 1), valid_until=dt.date(2029, 6, 1))
    actions.application_decide(actor=head, application=app, approve=True, certificate_number="教民150010124000001号")
    app.refresh_from_db()
    assert app.case.state == "approved" and app.published_at is not None
    assert app.valid_until == years_later(app.valid_from, 3) - dt.timedelta(days=1)  # 29 February included

    rating = actions.application_rate(actor=citizen, application=app, level=5, clerk_level=5)
    assert rating.clerk == clerk  # the clerk who accepted
    with pytest.raises(Conflict):
        actions.application_rate(actor=citizen, application=app, level=1)


def test_staff_cannot_rate_for_the_applicant_and_the_attempt_is_recorded(tree, staff, item, citizen):
    head, clerk = staff
    app = submit(item, citizen)
    actions.application_accept(actor=clerk, application=app)
    actions.application_decide(actor=head, application=app, approve=False, reason="场所面积不足")
    app.refresh_from_db()
    assert "行政复议" in app.decision_text and "行政诉讼" in app.decision_text
    with pytest.raises(PermissionDenied):
        actions.application_rate(actor=clerk, application=app, level=5)
    assert LedgerEntry.objects.filter(action="service.rating_refused").count() == 1
    assert not Rating.objects.exists()


def test_a_negative_rating_opens_a_rectification_that_may_be_appealed(tree, staff, item, citizen, make_user):
    head, clerk = staff
    office = make_user(Role.SUPERVISION_STAFF, tree.dept)
    app = submit(item, citizen)
    actions.application_accept(actor=clerk, application=app)
    actions.application_decide(actor=head, application=app, approve=True, certificate_number="教民1号")
    rating = actions.application_rate(actor=citizen, application=app, level=1, comment="窗口态度差")
    fix = rating.rectification
    assert fix.kind == "rating_fix" and fix.department == tree.sibling_dept
    assert fix.clocks.get(name="rectify").amount == 5
    year = Period.year(timezone.localdate().year)
    good = get("services.reviews.good_rate")
    assert compute(good, year, tree.bureau).numerator == 0
    from edugov.cases.actions import case_transition

    case_transition(actor=head, case=fix, transition="appeal", data={"reason": "评价人误操作，已电话确认"})
    case_transition(actor=office, case=fix, transition="uphold", data={"reason": "经核实为误评"})
    assert compute(good, year, tree.bureau).denominator == 0  # set aside on appeal: out of the figure


def test_a_counter_visit_is_rated_once_with_its_code(tree, staff, item):
    _head, clerk = staff
    visit = actions.visit_record(actor=clerk, item=item)
    actions.visit_rate(code=visit.code.lower(), level=4)
    with pytest.raises(Conflict):
        actions.visit_rate(code=visit.code, level=4)
    with pytest.raises(ValidationFailed, match="回执"):
        actions.visit_rate(code="NOPE1234", level=4)


def test_a_commitment_is_sampled_verified_and_a_false_one_revoked_and_excluded(tree, staff, item, citizen):
    head, clerk = staff
    a, b, c = mids(item)
    with pytest.raises(ValidationFailed, match="签署"):
        submit(item, citizen, uploads={a: pdf()}, commit=[b, c])
    at = timezone.make_aware(dt.datetime(2026, 9, 10, 10))
    apps = [submit(item, citizen, uploads={a: pdf()}, commit=[b, c], signed=True, at=at,
                   credit_code=credit(f"5250010{n:09d}")) for n in range(4)]
    assert apps[0].commitment.materials == ["场所证明", "举办者无犯罪记录证明"]
    for app in apps:
        actions.application_accept(actor=clerk, application=app)
        actions.application_decide(actor=head, application=app, approve=True, certificate_number=f"教民{app.pk}号")
    with pytest.raises(ValidationFailed, match="承诺"):  # never before its commitment
        actions.verification_sample_draw(actor=head, bureau=tree.bureau, year=2026, month=9)
    actions.verification_sample_commit(actor=head, bureau=tree.bureau, year=2026, month=9,
                                       at=timezone.now() - dt.timedelta(hours=17))
    draw = actions.verification_sample_draw(actor=head, bureau=tree.bureau, year=2026, month=9)
    assert len(draw.selected) == 3 and draw.draw_id == "commitment-B1-2026-09"
    bundle = {"draw_id": draw.draw_id, "candidates": draw.candidates, "secret": draw.secret,
              "public_value": draw.public_value, "k": draw.k, "constraints": draw.constraints}
    again = algorithm.run(draw_id=bundle["draw_id"], candidates=bundle["candidates"], secret_hex=bundle["secret"],
                          public_value=bundle["public_value"], k=bundle["k"], constraints=bundle["constraints"])
    assert again.selected == draw.selected and json.dumps(bundle)
    with pytest.raises(Conflict):
        actions.verification_sample_draw(actor=head, bureau=tree.bureau, year=2026, month=9)
    from edugov.cases.models import Duty
    from edugov.cases.selectors import workbench

    duty = Duty.objects.get(key__startswith=f"services.verification:{draw.draw_id}:").case
    assert duty in workbench(head, "todo") and "3" in duty.title
    v = Verification.objects.first()
    actions.verification_record(actor=head, verification=v, method="onsite", truthful=False, note="场所为住宅，与承诺不符")
    duty.refresh_from_db()
    assert duty.is_open  # two of the sample still to verify
    for other in Verification.objects.filter(verified_at__isnull=True):
        actions.verification_record(actor=head, verification=other, method="written", truthful=True, note="属实")
    duty.refresh_from_db()
    assert duty.state == "done"
    app = v.commitment.application
    app.refresh_from_db()
    assert app.case.state == "revoked"
    record = CreditRecord.objects.get()
    assert record.kind == CreditKind.FALSE_COMMITMENT
    with pytest.raises(ValidationFailed, match="不能适用告知承诺制"):
        submit(item, citizen, uploads={a: pdf()}, commit=[b, c], signed=True, credit_code=app.credit_code)


def test_a_late_decision_needs_its_reason(tree, staff, item, citizen):
    head, clerk = staff
    start = timezone.now() - dt.timedelta(days=60)
    app = submit(item, citizen, at=start)
    actions.application_accept(actor=clerk, application=app, at=start)
    with pytest.raises(ValidationFailed, match="没有记录听证、专家评审或延期") as err:
        actions.application_decide(actor=head, application=app, approve=True, certificate_number="教民9号")
    assert err.value.field == "late_reason"
    app.case.refresh_from_db()
    assert app.case.state == "accepted"  # nothing changed
    actions.application_decide(actor=head, application=app, approve=True, certificate_number="教民9号",
                   late_reason="专家评审未按规定登记，已补正")
    assert app.case.clocks.get(name="statutory").met is False


def test_a_double_submit_makes_one_application(tree, staff, item, citizen):
    first = submit(item, citizen, idempotency_key="k" * 32)
    again = submit(item, citizen, idempotency_key="k" * 32)
    assert first.pk == again.pk and Application.objects.count() == 1


def test_an_expired_identity_card_is_refused(tree, staff, item, citizen):
    from edugov.kernel.validators import identity_check_char

    first = "50010119800101123"
    with pytest.raises(ValidationFailed, match="已于2020-01-01过期"):
        submit(item, citizen, applicant_kind="person", id_number=first + identity_check_char(first),
               id_valid_until=dt.date(2020, 1, 1), institution_name="", credit_code="")


def test_the_figures_count_the_records(tree, staff, item, citizen):
    head, clerk = staff
    year = Period.year(timezone.localdate().year)
    total, rate, active = (get(k) for k in ("licensing.cases.total", "licensing.cases.completion_rate",
                                             "services.reviews.active_rate"))
    assert compute(get("services.items.total"), year, tree.bureau).value == 1
    assert compute(total, year, tree.bureau).value == 0
    app = submit(item, citizen)
    assert compute(total, year, tree.bureau).value == 1
    assert compute(rate, year, tree.bureau).denominator == 0  # not yet due, not completed
    actions.application_accept(actor=clerk, application=app)
    actions.application_decide(actor=head, application=app, approve=True, certificate_number="教民2号")
    assert (compute(rate, year, tree.bureau).numerator, compute(rate, year, tree.bureau).denominator) == (1, 1)
    assert compute(active, year, tree.bureau).value == 0
    actions.application_rate(actor=citizen, application=app, level=5)
    assert compute(active, year, tree.bureau).value == 1
    assert compute(get("services.items.total"), year, tree.other_bureau).value == 0


def test_pages_keep_to_their_scope(client, tree, staff, item, citizen, make_user):
    app = submit(item, citizen)
    other = User.objects.create_user(username="p13800000002", kind=UserKind.PUBLIC, phone="13800000002")
    client.force_login(other)
    assert client.get(f"/services/applications/{app.pk}/").status_code == 403
    client.force_login(citizen)
    page = client.get(f"/services/applications/{app.pk}/")
    assert page.status_code == 200 and "待受理" in page.content.decode()
    outsider = make_user(Role.WINDOW_CLERK, tree.other_bureau)
    client.force_login(outsider)
    assert client.get(app.case.get_absolute_url()).status_code == 403
    assert client.post(f"/services/cases/{app.case.pk}/steps/accept/", {}).status_code == 403
    client.force_login(other)  # nor may another citizen supply, rate or withdraw it
    for write in ("supply", "rate", "withdraw"):
        assert client.post(f"/services/applications/{app.pk}/{write}/", {"withdraw-confirmed": "on"}).status_code == 403
    app.case.refresh_from_db()
    assert app.case.state == "submitted"



def test_licensing_terms_and_acceptance_follow_the_law(tree, staff, item, citizen):
    """Issue 25, items 3 and 5: an application nobody answered within 5 working days counts as
    accepted on receipt (行政许可法 art. 32), so its 20 days have been running; a licence whose
    catalogue item sets no term (教师资格) has no end date."""
    import django.utils.timezone as tz

    head, clerk = staff

    def at(day: str) -> dt.datetime:
        return tz.make_aware(dt.datetime.fromisoformat(day).replace(hour=10))

    late = submit(item, citizen, at=at("2024-04-01"))  # Monday; 清明 4-6 April off, Sunday 7 April worked
    assert late.case.clocks.get(name="accept").due_on == dt.date(2024, 4, 9)
    actions.application_accept(actor=clerk, application=late, at=at("2024-04-10"))
    statutory = late.case.clocks.get(name="statutory")
    # 20 working days from receipt on 1 April (7 and 28 April were 调休 working Sundays) end on 29 April
    assert statutory.due_on == rules.get("licensing.decision").deadline(dt.date(2024, 4, 1)).date == dt.date(2024, 4, 29)

    on_time = submit(item, citizen, at=at("2024-04-01"), credit_code=credit("52500101MJ000002"))
    actions.application_accept(actor=clerk, application=on_time, at=at("2024-04-03"))
    assert on_time.case.clocks.get(name="statutory").due_on == rules.get("licensing.decision").deadline(
        dt.date(2024, 4, 3)).date

    no_term = catalogue.item_save(actor=head, bureau=tree.bureau, values=item_values(
        tree, code="JY-012", name="教师资格认定", permit_years=None, private_school=False), materials=MATERIALS)
    catalogue.item_publish(actor=head, item=no_term, note="发布")
    no_term = ServiceItem.objects.get(pk=no_term.pk)
    app = submit(no_term, citizen, credit_code=credit("52500101MJ000003"))
    actions.application_accept(actor=clerk, application=app)
    actions.application_decide(actor=head, application=app, approve=True, certificate_number="20240000001")
    app.refresh_from_db()
    assert app.case.state == "approved" and app.valid_until is None


def test_a_licensing_decision_is_extended_once_with_the_heads_approval_and_a_reason(tree, staff, item, citizen,
                                                                                    client):
    """Issue 25, item 3: 行政许可法 art. 42, +10 working days (rule licensing.decision_extension)."""
    import django.utils.timezone as tz

    head, clerk = staff

    def at(day: str) -> dt.datetime:
        return tz.make_aware(dt.datetime.fromisoformat(day).replace(hour=10))

    app = submit(item, citizen, at=at("2024-09-02"))
    actions.application_accept(actor=clerk, application=app, at=at("2024-09-03"))
    clock = app.case.clocks.get(name="statutory")
    due = clock.due_on
    with pytest.raises(PermissionDenied):
        actions.application_extend(actor=clerk, application=app, reason="需现场核查", at=at("2024-09-20"))
    with pytest.raises(ValidationFailed):
        actions.application_extend(actor=head, application=app, reason=" ", at=at("2024-09-20"))
    client.force_login(head)
    client.post(f"/services/cases/{app.case.pk}/steps/extend/", {"reason": "需组织专家现场核查办学场所"})
    clock.refresh_from_db()
    assert clock.extended_by == 10 and clock.due_on == get_calendar().add_working_days(due, 10).date
    with pytest.raises(Conflict, match="延长过"):
        actions.application_extend(actor=head, application=app, reason="再次延长")
    assert app.case.events.filter(text="需组织专家现场核查办学场所").exists()


def test_the_verification_page_publishes_the_commitment_then_draws(client, tree, staff, item, citizen):
    """Issue 27: the first press publishes the month's commitment (listed while it waits), the
    second draws the sample; the draw is later than the commitment."""
    head, clerk = staff
    a, b, c = mids(item)
    at = timezone.make_aware(dt.datetime(2026, 9, 10, 10))
    for n in range(3):
        app = submit(item, citizen, uploads={a: pdf()}, commit=[b, c], signed=True, at=at,
                     credit_code=credit(f"5250020{n:09d}"))
        actions.application_accept(actor=clerk, application=app)
        actions.application_decide(actor=head, application=app, approve=True, certificate_number=f"教民{app.pk}号")
    client.force_login(head)
    page = client.post("/services/verification/draw/", {"draw-month": "2026-09"}, follow=True).content.decode()
    assert "抽样承诺commitment-B1-2026-09已公开" in page and "已公开承诺、等待抽样" in page
    assert not Verification.objects.exists()
    page = client.post("/services/verification/draw/", {"draw-month": "2026-09", "draw-public_value": "福彩 1"},
                       follow=True).content.decode()
    from edugov.draws.models import Draw

    draw = Draw.objects.get(draw_id="commitment-B1-2026-09")
    assert draw.state == "drawn" and draw.committed_at < draw.drawn_at and draw.public_value == "福彩 1"
    assert Verification.objects.count() == len(draw.selected) and "已公开承诺、等待抽样" not in page
