"""Enrollment on the real database: the checks a parent meets, the review with a return, the
lottery, the assignment by category and lottery, results, accepting, appealing, the survey."""

from __future__ import annotations

import datetime as dt
import json
import random
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from edugov.accounts.models import Role, User, UserKind
from edugov.cases.models import Case
from edugov.draws import algorithm
from edugov.draws.actions import bundle
from edugov.enrollment import actions
from edugov.enrollment import selectors as enrollment_selectors
from edugov.enrollment.engine import assign as engine_assign
from edugov.enrollment.models import Application, Category, Intake, IntakeState, Plan, Zone
from edugov.enrollment.tests.support import PDF, _page_picture, born, docs, form, ident, pdf  # noqa: F401
from edugov.kernel.errors import Conflict, PermissionDenied, ValidationFailed
from edugov.metrics.registry import Period, compute, get
from edugov.registries.models import School, SchoolLevel


@pytest.fixture
def staff(tree, make_user):
    return (make_user(Role.DEPARTMENT_STAFF, tree.sibling_dept, username="reviewer"),
            make_user(Role.DEPARTMENT_HEAD, tree.sibling_dept, username="head"))


@pytest.fixture
def intake(tree, staff):
    from edugov.accounts.models import Organisation, OrgKind

    org = Organisation.objects.create(code="P1S", name="甲区民办实验小学", kind=OrgKind.SCHOOL, parent=tree.bureau)
    private = School.objects.create(organisation=org, name="甲区民办实验小学", code="P1S", level=SchoolLevel.PRIMARY,
                                    is_private=True)
    now = timezone.now()
    i = Intake.objects.create(
        organisation=tree.bureau, department=tree.sibling_dept, year=now.year, title=f"{now.year}年小学一年级招生",
        born_from=dt.date(now.year - 7, 9, 1), born_until=dt.date(now.year - 6, 8, 31),
        opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=5),
        lottery_on=(now + dt.timedelta(days=7)).date(), results_on=(now + dt.timedelta(days=9)).date())
    Plan.objects.create(intake=i, school=tree.school, places=2)
    Plan.objects.create(intake=i, school=tree.other_school, places=2)
    Plan.objects.create(intake=i, school=private, places=1)
    za = Zone.objects.create(intake=i, name="一小学区", communities=["幸福小区", "和平街道"], order=1)
    za.schools.add(tree.school)
    zb = Zone.objects.create(intake=i, name="二小学区", communities=["阳光花园"], order=2)
    zb.schools.add(tree.other_school)
    actions.intake_publish(actor=staff[1], intake=i)
    i.refresh_from_db()
    i.private = private  # type: ignore[attr-defined]
    return i


_n = {"n": 0}


def parent(phone: str | None = None) -> User:
    _n["n"] += 1
    phone = phone or f"1390000{_n['n']:04d}"
    return User.objects.create_user(username=f"p{phone}", kind=UserKind.PUBLIC, phone=phone)


pytestmark = pytest.mark.django_db


def test_a_parent_meets_a_clear_message_for_each_mistake_and_nothing_is_saved(intake):
    p = parent()
    with pytest.raises(ValidationFailed, match="第18位"):
        actions.application_submit(actor=p, intake=intake, form=form(intake, 1, child_id_number=ident(born(intake), 1)[:17] + "0"
                       if ident(born(intake), 1)[17] != "0" else ident(born(intake), 1)[:17] + "1"), uploads=docs())
    with pytest.raises(ValidationFailed, match="本次招生面向"):
        actions.application_submit(actor=p, intake=intake, form=form(intake, 1, child_id_number=ident("20100301", 1)),
                       uploads=docs())
    with pytest.raises(ValidationFailed, match="不在本次招生的任何学区") as err:
        actions.application_submit(actor=p, intake=intake, form=form(intake, 1, community="月亮湾"), uploads=docs())
    assert err.value.field == "community"
    with pytest.raises(ValidationFailed, match="不动产权证"):
        actions.application_submit(actor=p, intake=intake, form=form(intake, 1), uploads={"household": pdf()})
    with pytest.raises(ValidationFailed, match="户口簿"):
        actions.application_submit(actor=p, intake=intake, form=form(intake, 1),
                       uploads={"household": SimpleUploadedFile("a.pdf", b"MZ\x90 not a pdf"), "property": pdf()})
    assert not Application.objects.exists() and not Case.objects.exists()


def test_one_application_per_child_and_a_double_submit_makes_one(intake):
    p = parent()
    first = actions.application_submit(actor=p, intake=intake, form=form(intake, 2), uploads=docs(), idempotency_key="k" * 32)
    again = actions.application_submit(actor=p, intake=intake, form=form(intake, 2), uploads=docs(), idempotency_key="k" * 32)
    assert first.pk == again.pk
    with pytest.raises(Conflict, match="每名儿童"):
        actions.application_submit(actor=parent(), intake=intake, form=form(intake, 2), uploads=docs())
    assert Application.objects.count() == 1


def test_after_the_deadline_nothing_is_submitted(intake):
    intake.closes_at = timezone.now() - dt.timedelta(minutes=1)
    intake.save()
    with pytest.raises(ValidationFailed, match="报名已于"):
        actions.application_submit(actor=parent(), intake=intake, form=form(intake, 3), uploads=docs())


def test_a_draft_is_kept_and_finished_later(intake):
    p = parent()
    actions.application_draft_save(actor=p, intake=intake, form=form(intake, 4, community=""))
    app = actions.application_submit(actor=p, intake=intake, form=form(intake, 4), uploads=docs())
    assert Application.objects.get().pk == app.pk and app.case.state == "submitted"


def test_returned_for_a_document_corrected_and_verified_by_two_people(intake, staff):
    reviewer, head = staff
    p = parent()
    app = actions.application_submit(actor=p, intake=intake, form=form(intake, 5), uploads=docs())
    actions.application_review(actor=reviewer, application=app, passed=False, problems={"property": "购房合同缺少签字页"})
    app.refresh_from_db()
    assert app.case.state == "returned" and "购房合同缺少签字页" in app.return_reasons[0]
    with pytest.raises(ValidationFailed, match="不动产权证"):
        actions.application_resubmit(actor=p, application=app, uploads={})
    actions.application_resubmit(actor=p, application=app, uploads={"property": pdf("合同.pdf")})
    actions.application_review(actor=reviewer, application=app, passed=True)
    with pytest.raises(PermissionDenied):
        actions.application_review(actor=reviewer, application=app, passed=True)  # the second review is the head's
    actions.application_review(actor=head, application=app, passed=True)
    app.case.refresh_from_db()
    assert app.case.state == "verified"


def _verified(intake, staff, seq, **over):
    reviewer, head = staff
    p = parent()
    f = form(intake, seq, **over)
    app = actions.application_submit(actor=p, intake=intake, form=f, uploads=docs(f.category))
    actions.application_review(actor=reviewer, application=app, passed=True)
    actions.application_review(actor=head, application=app, passed=True)
    return app, p


def test_lottery_assignment_results_accept_appeal_and_survey(intake, staff):
    reviewer, head = staff
    private = intake.private
    # zone one (2 places): four families; the one with household only comes after the two with both
    a1, p1 = _verified(intake, staff, 11)
    a2, p2 = _verified(intake, staff, 12)
    a3, p3 = _verified(intake, staff, 13, category=Category.HOUSEHOLD_ONLY)
    a4, p4 = _verified(intake, staff, 14, category=Category.MIGRANT, private_choices=[private.pk])
    b1, _pb = _verified(intake, staff, 15, community="阳光花园")
    with pytest.raises(ValidationFailed, match="先抽签"):
        actions.intake_assign(actor=head, intake=intake)
    with pytest.raises(ValidationFailed, match="承诺"):  # the draw never comes in the same step as its commitment
        actions.intake_lottery(actor=head, intake=intake)
    committed = actions.intake_lottery_commit(actor=head, intake=intake,
                                              at=timezone.now() - dt.timedelta(hours=18))
    assert committed.state == "committed" and not Application.objects.filter(lottery_number__isnull=False).exists()
    draw = actions.intake_lottery(actor=head, intake=intake)
    assert algorithm.verify_bundle(bundle(draw)) == []
    with pytest.raises(Conflict):
        actions.intake_lottery(actor=head, intake=intake)
    stats = actions.intake_assign(actor=head, intake=intake)
    placed = {a.pk: a.school_id for a in Application.objects.all()}
    assert placed[a1.pk] == placed[a2.pk] == intake.plans.get(school__code="S1").school_id
    assert placed[a4.pk] == private.pk  # the private school it chose, alone there
    assert placed[a3.pk] == intake.plans.get(school__code="S2").school_id  # second round: the nearby school
    assert placed[b1.pk] == placed[a3.pk] and stats == {**stats, "applicants": 5, "placed": 5}
    assert set(Case.objects.filter(kind="enrollment").values_list("state", flat=True)) == {"placed"}
    from edugov.audit.models import Entry
    from edugov.kernel import sms
    from edugov.notifications import actions as outbox
    from edugov.notifications.models import Message

    sms.outbox.clear()
    actions.intake_publish_results(actor=head, intake=intake)
    # issue 33: the families' SMS are written to the outbox with the results (one each), and sent from there once
    queued = Message.objects.filter(key__startswith=f"enrollment-result-{intake.pk}:")
    assert queued.count() == 5 and sms.outbox == [] and {m.recipient_id for m in queued} == {None}
    assert outbox.messages_send() == {"sent": 5, "failed": 0} and outbox.messages_send() == {"sent": 0, "failed": 0}
    assert len(sms.outbox) == 5 and all("入学结果" in text for _phone, text in sms.outbox)
    assert outbox.messages_queue_texts(texts=[(m.key, m.address, m.body) for m in queued],
                                       what=f"enrollment-result-{intake.pk}") == 0  # the same messages again: none
    ledger = [json.loads(e.body) for e in Entry.objects.filter(action="message.queue_texts").order_by("id")]
    assert [e["after"]["sent"] for e in ledger] == [5, 0]  # how many, never to whom
    assert not any(m.address in json.dumps(ledger, ensure_ascii=False) for m in queued)
    page = __import__("django.test", fromlist=["Client"]).Client().get(f"/enrollment/{intake.pk}/results/")
    text = page.content.decode()
    assert page.status_code == 200 and "孩*" in text and "孩子11" not in text
    # issue 30: each placed child's admission notice, issued with the results in one numbered batch
    from django.test import Client

    from edugov.documents.actions import document_pdf
    from edugov.documents.models import DocumentKind, IssuedDocument

    notices = IssuedDocument.objects.filter(kind=DocumentKind.ADMISSION_NOTICE).order_by("number")
    assert notices.count() == 5 and {n.issued_on for n in notices} == {timezone.localdate()}
    assert len({n.number for n in notices}) == 5 and Entry.objects.filter(action="document.issue_batch").count() == 1
    mine = notices.get(subject=f"case:{a1.case_id}")
    assert mine.recipient.startswith("孩*") and "孩子11" not in mine.recipient + mine.summary
    parent = Client()
    parent.force_login(p1)
    own = parent.get(f"/enrollment/applications/{a1.pk}/").content.decode()
    assert "入学通知书" in own and mine.number in own
    pdf = parent.get(f"/verify/documents/{mine.pk}/")
    assert pdf.status_code == 200 and pdf.content == document_pdf(mine)
    assert parent.get(f"/verify/documents/{notices.exclude(pk=mine.pk).first().pk}/").status_code == 403
    actions.application_accept_place(actor=p1, application=a1)
    with pytest.raises(PermissionDenied):
        actions.application_accept_place(actor=p1, application=a2)
    case = actions.application_appeal(actor=p3, application=a3, reason="户籍在一小学区，希望就近入学")
    assert case.kind == "enrollment_appeal" and case.clocks.get(name="answer").amount == 5
    with pytest.raises(Conflict):
        actions.application_appeal(actor=p3, application=a3, reason="again")
    year = Period.year(timezone.localdate().year)
    assert compute(get("enrollment.applications.total"), year, intake.organisation).value == 5
    actions.application_rate(actor=p1, application=a1, level=5)
    actions.application_rate(actor=p2, application=a2, level=2)
    rate, very = get("enrollment.satisfaction.rate"), get("enrollment.satisfaction.very_satisfied_rate")
    assert (compute(rate, year, intake.organisation).numerator, compute(rate, year, intake.organisation).denominator) \
        == (1, 2)
    assert compute(very, year, intake.organisation).value == 0.5
    with pytest.raises(Conflict):
        actions.application_rate(actor=p1, application=a1, level=4)


def test_the_command_line_engine_agrees_with_matching(tmp_path, capsys):
    from matching.games import HospitalResident

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10000))
    rng = random.Random(3)
    for _trial in range(25):
        n, m = rng.randint(1, 60), rng.randint(1, 10)
        schools = [{"id": f"S{j}", "capacity": rng.randint(0, 8), "priority": []} for j in range(m)]
        students = [{"id": f"A{i}", "preferences": [f"S{j}" for j in rng.sample(range(m), min(m, rng.randint(0, 5)))]}
                    for i in range(n)]
        order = list(range(n))
        rng.shuffle(order)
        for s in schools:
            s["priority"] = [f"A{i}" for i in order if s["id"] in students[i]["preferences"] and rng.random() < 0.9]
        instance = {"schools": schools, "students": students}
        path = tmp_path / "instance.json"
        path.write_text(json.dumps(instance))
        out = tmp_path / "result.json"
        call_command("enrollment", "assign", "--input", str(path), "--output", str(out))
        mine = json.loads(out.read_text())
        assert mine["stats"]["students"] == n and mine["assignment"] == engine_assign(instance)["assignment"]
        # the reference: `matching` needs every player to rank someone and every hospital a place
        cap = {s["id"]: s["capacity"] for s in schools if s["capacity"] > 0}
        ok = {s["id"]: set(s["priority"]) for s in schools}
        res = {st["id"]: [h for h in st["preferences"] if h in cap and st["id"] in ok[h]] for st in students}
        res = {r: p for r, p in res.items() if p}
        hosp = {h: [r for r in s["priority"] if r in res and h in res[r]] for s in schools for h in [s["id"]] if h in cap}
        hosp = {h: p for h, p in hosp.items() if p}
        res = {r: [h for h in p if h in hosp] for r, p in res.items()}
        res = {r: p for r, p in res.items() if p}
        expected = {st["id"]: None for st in students}
        if res:
            game = HospitalResident.create_from_dictionaries(res, hosp, {h: cap[h] for h in hosp}, clean=True)
            for h, rs in game.solve(optimal="resident").items():
                for r in rs:
                    expected[r.name] = h.name
        assert mine["assignment"] == expected


def test_a_bad_instance_is_refused_with_where(tmp_path):
    from django.core.management.base import CommandError

    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"schools": [{"id": "S1", "capacity": -1}], "students": []}))
    with pytest.raises(CommandError, match="S1"):
        call_command("enrollment", "assign", "--input", str(path))


def test_a_policy_change_after_publication_is_recorded_with_its_reason(intake, staff):
    from edugov.audit.models import Entry

    change = actions.intake_policy_change(actor=staff[1], intake=intake, field="closes_at",
                                   value=intake.closes_at + dt.timedelta(days=2), reason="系统维护，报名顺延两天")
    assert change.reason == "系统维护，报名顺延两天"
    assert Entry.objects.filter(action="enrollment.policy_change").count() == 1
    with pytest.raises(ValidationFailed):
        actions.intake_policy_change(actor=staff[1], intake=intake, field="year", value=2000, reason="x")
    assert Intake.objects.get(pk=intake.pk).state == IntakeState.PUBLISHED


def test_a_blurred_or_tiny_photo_of_a_document_is_refused_with_why(intake):
    p = parent()
    blurred = SimpleUploadedFile("户口簿.jpg", _page_picture(3), content_type="image/jpeg")
    with pytest.raises(ValidationFailed, match="模糊") as err:
        actions.application_submit(actor=p, intake=intake, form=form(intake, 40), uploads={"household": blurred, "property": pdf()})
    assert err.value.field == "doc_household"
    tiny = SimpleUploadedFile("户口簿.jpg", _page_picture(0, (400, 300)), content_type="image/jpeg")
    with pytest.raises(ValidationFailed, match="400×300"):
        actions.application_submit(actor=p, intake=intake, form=form(intake, 40), uploads={"household": tiny, "property": pdf()})
    assert not Application.objects.exists()
    sharp = SimpleUploadedFile("户口簿.jpg", _page_picture(0), content_type="image/jpeg")
    app = actions.application_submit(actor=p, intake=intake, form=form(intake, 40), uploads={"household": sharp, "property": pdf()})
    assert app.documents.count() == 2


def test_the_family_answers_questions_and_the_category_follows():
    assert actions.category_from(True, True, False) == Category.HOUSEHOLD_AND_HOME
    assert actions.category_from(True, False, True) == Category.HOUSEHOLD_ONLY
    assert actions.category_from(False, True, False) == Category.HOME_ONLY
    assert actions.category_from(False, False, True) == Category.MIGRANT
    assert actions.category_from(False, False, False) == Category.OTHER


def test_tracking_needs_both_the_code_and_the_childs_number(intake, client):
    app = actions.application_submit(actor=parent(), intake=intake, form=form(intake, 50), uploads=docs())
    assert enrollment_selectors.application_track(app.query_code, app.child_id_number) == app
    assert enrollment_selectors.application_track(app.query_code, ident("20190301", 999)) is None
    assert enrollment_selectors.application_track("AAAA-BBBB-CCCC", app.child_id_number) is None
    page = client.post("/enrollment/track/", {"code": app.query_code.lower(), "child_id_number": app.child_id_number})
    text = page.content.decode()
    assert "已提交，待审核" in text and "入学报名已收到" in text  # the SMS is kept on the page
    # typed on a phone with a Chinese input method: full-width signs, no dashes, spaces inside the number
    wide = "".join(chr(ord(c) + 0xFEE0) for c in app.query_code.replace("-", "").lower())
    number = app.child_id_number
    spaced = f"{number[:6]}\u3000{number[6:14]} {number[14:].lower()}"
    assert enrollment_selectors.application_track(wide, spaced) == app
    page = client.post("/enrollment/track/", {"code": wide, "child_id_number": spaced})
    assert "已提交，待审核" in page.content.decode()


def test_a_contract_that_cannot_be_checked_online_goes_to_an_appointment(intake, staff):
    from edugov.enrollment.models import Slot

    reviewer, head = staff
    p = parent()
    app = actions.application_submit(actor=p, intake=intake, form=form(intake, 60, category=Category.MIGRANT), uploads=docs(
        Category.MIGRANT))
    with pytest.raises(ValidationFailed):
        actions.application_move_offline(actor=reviewer, application=app, reason="")
    actions.application_move_offline(actor=reviewer, application=app, reason="租房合同无法网上核验")
    app.case.refresh_from_db()
    assert app.case.state == "offline" and app.case.clocks.get(name="review").paused_on is not None
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    small = actions.slot_add(actor=head, intake=intake, day=tomorrow, time="09:00–10:00", place="区教委一楼", capacity=1)
    other = actions.slot_add(actor=head, intake=intake, day=tomorrow + dt.timedelta(days=1), time="14:00–15:00",
                             place="区教委一楼", capacity=5)
    actions.application_book(actor=p, application=app, slot=small)
    p2 = parent()
    app2 = actions.application_submit(actor=p2, intake=intake, form=form(intake, 61), uploads=docs())
    actions.application_move_offline(actor=reviewer, application=app2, reason="房产信息需核对原件")
    with pytest.raises(Conflict, match="约满"):
        actions.application_book(actor=p2, application=app2, slot=small)
    appointment = actions.application_book(actor=p, application=app, slot=other)  # moved, the day before is allowed
    assert appointment.reschedules == 1 and Slot.objects.get(pk=small.pk).appointments.count() == 0
    assert app.notices.filter(text__contains="预约").exists()
    actions.application_offline_result(actor=reviewer, application=app, passed=True)
    actions.application_review(actor=head, application=app, passed=True)
    app.case.refresh_from_db()
    assert app.case.state == "verified"
    year = Period.year(timezone.localdate().year)
    assert compute(get("enrollment.offline_checks"), year, intake.organisation).value == 2  # both moved


def test_a_child_with_a_student_record_cannot_apply_for_grade_one_again(intake, staff):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["身份证号码", "学校", "年级"])
    f = form(intake, 70)
    ws.append([f.child_id_number, "乙区第一小学", "一年级"])
    import io

    buf = io.BytesIO()
    wb.save(buf)
    assert actions.student_records_import(actor=staff[1], bureau=intake.organisation, data=buf.getvalue()) == 1
    with pytest.raises(ValidationFailed, match="已有学籍（乙区第一小学"):
        actions.application_submit(actor=parent(), intake=intake, form=f, uploads=docs())


def test_returns_are_counted_by_reason(intake, staff):
    from edugov.enrollment.metrics import returns_by_reason

    reviewer, _head = staff
    for n in range(3):
        app = actions.application_submit(actor=parent(), intake=intake, form=form(intake, 80 + n), uploads=docs())
        actions.application_review(actor=reviewer, application=app, passed=False,
                       problems={"household": "缺少户主页"} if n < 2 else {"property": "照片模糊"})
    year = Period.year(timezone.localdate().year)
    assert compute(get("enrollment.returns"), year, intake.organisation).value == 3
    assert returns_by_reason(year, intake.organisation) == [("户口簿", 2), ("不动产权证或购房合同", 1)]


def test_a_deferral_and_a_placement_each_run_to_a_decision(intake, staff):
    reviewer, head = staff
    p = parent()
    with pytest.raises(ValidationFailed, match="诊断"):
        actions.special_request_submit(actor=p, intake=intake, kind="deferral", child_name="王小", uploads=[],
                                child_id_number=ident(born(intake), 90), reason="心脏手术后需休养一年")
    deferral = actions.special_request_submit(actor=p, intake=intake, kind="deferral", child_name="王小", uploads=[pdf()],
                                       child_id_number=ident(born(intake), 90), reason="心脏手术后需休养一年")
    assert deferral.case.kind == "enrollment_deferral" and deferral.case.clocks.get(name="decide").amount == 10
    with pytest.raises(PermissionDenied):
        actions.special_request_decide(actor=reviewer, request=deferral, transition="grant", data={"decision": "同意"})
    actions.special_request_decide(actor=head, request=deferral, transition="grant", data={"decision": "同意缓学一年"})
    placement = actions.special_request_submit(actor=p, intake=intake, kind="placement", child_name="李小", uploads=[pdf()],
                                        child_id_number=ident(born(intake), 91), reason="听力障碍二级")
    actions.special_request_decide(actor=reviewer, request=placement, transition="assess",
                           data={"assessment": "专家委员会评估：可随班就读，需配助听设备"})
    with pytest.raises(ValidationFailed, match="随班就读"):
        actions.special_request_decide(actor=head, request=placement, transition="decide",
                               data={"placement": "回家", "decision": "x"})
    actions.special_request_decide(actor=head, request=placement, transition="decide",
                           data={"placement": "随班就读", "decision": "安排在甲区第一小学随班就读"})
    placement.refresh_from_db()
    assert placement.placement == "regular_class" and placement.case.state == "decided"
    year = Period.year(timezone.localdate().year)
    assert compute(get("enrollment.deferrals"), year, intake.organisation).value == 1
    assert compute(get("enrollment.placements"), year, intake.organisation).value == 1


def test_the_special_requests_pages(intake, staff, client):
    _reviewer, head = staff
    p = parent()
    client.force_login(p)
    page = client.post(f"/enrollment/{intake.pk}/special/", {
        "kind": "deferral", "child_name": "赵小", "child_id_number": ident(born(intake), 95), "reason": "术后休养",
        "documents": [pdf()]})
    assert page.status_code == 302
    case = Case.objects.get(kind="enrollment_deferral")
    client.force_login(head)
    detail = client.get(case.get_absolute_url()).content.decode()
    assert "准予缓学" in detail and "术后休养" in detail
    client.post(f"/enrollment/special/{case.pk}/steps/grant/", {"decision": "同意缓学一年",
                                                         "version": case.version})
    case.refresh_from_db()
    assert case.state == "granted"


def test_a_special_case_is_referred_to_the_bureau_and_decided_there(intake, staff, client):
    reviewer, head = staff
    app = actions.application_submit(actor=parent(), intake=intake, form=form(intake, 97, category=Category.OTHER), uploads={})
    client.force_login(reviewer)
    client.post(f"/enrollment/cases/{app.case_id}/steps/refer/", {"reason": "父母均为现役军人，按政策照顾",
                                                            "version": app.case.version})
    app.case.refresh_from_db()
    assert app.case.state == "referred"
    client.force_login(head)
    assert "局里研究同意报名" in client.get(app.case.get_absolute_url()).content.decode()  # the head decides
    client.post(f"/enrollment/cases/{app.case_id}/steps/referral_pass/", {"decision": "同意按军人子女政策安排",
                                                            "version": app.case.version})
    app.case.refresh_from_db()
    assert app.case.state == "checked"


def test_the_appeal_window_ending_in_a_holiday_runs_to_the_next_working_day(intake):
    intake.results_published_at = timezone.make_aware(dt.datetime(2024, 9, 27, 9))  # 5 days → 2 October, a holiday
    intake.appeal_days = 5
    app = Application(intake=intake)
    assert enrollment_selectors.appeal_window_ends(intake) == dt.date(2024, 10, 8)
    assert enrollment_selectors.appeal_window_open(app, timezone.make_aware(dt.datetime(2024, 10, 7, 20)))
    assert not enrollment_selectors.appeal_window_open(app, timezone.make_aware(dt.datetime(2024, 10, 9, 8)))


def test_the_application_page_posts_through_its_form_and_a_refusal_keeps_the_answers(intake, client):
    """Issue 24: the page's own field names, one form; the draft has its own URL."""
    p = parent()
    client.force_login(p)
    typed = {"child_name": "钱小", "child_id_number": ident(born(intake), 41), "household": "甲区",
             "guardian_name": "钱大", "guardian_id_number": ident("19880101", 41), "guardian_phone": p.phone,
             "address": "幸福小区1号", "community": "月亮湾", "q_household": "yes", "q_home": "yes", "q_permit": "no",
             "consent": "on"}
    refused = client.post(f"/enrollment/{intake.pk}/apply/", {**typed, **{f"doc_{k}": pdf() for k in ("household",
                                                                                                 "property")}})
    html = refused.content.decode()
    assert refused.status_code == 400 and "不在本次招生的任何学区" in html
    assert 'value="钱小"' in html and 'value="幸福小区1号"' in html and not Application.objects.exists()
    draft = client.post(f"/enrollment/{intake.pk}/apply/draft/", {**typed, "community": "幸福小区"})
    assert draft.status_code == 302
    assert Application.objects.get(account=p, submitted_at__isnull=True).child_name == "钱小"
    done = client.post(f"/enrollment/{intake.pk}/apply/", {**typed, "community": "幸福小区",
                                                          **{f"doc_{k}": pdf() for k in ("household", "property")}})
    app = Application.objects.get(account=p, submitted_at__isnull=False)
    assert done.status_code == 302 and app.category == Category.HOUSEHOLD_AND_HOME


def test_the_third_question_is_asked_only_when_both_answers_are_no_and_an_error_names_its_question(intake, client):
    """Issue 27: "如以上都不是" applies only when the household and the home are both outside the zone;
    an unanswered question is named in its own words and marked, and the page says the photos must
    be chosen again (a browser without JavaScript cannot keep them)."""
    p = parent()
    client.force_login(p)
    typed = {"child_name": "孙小", "child_id_number": ident(born(intake), 42), "household": "甲区",
             "guardian_name": "孙大", "guardian_id_number": ident("19880101", 42), "guardian_phone": p.phone,
             "address": "幸福小区2号", "community": "幸福小区", "consent": "on"}
    page = client.post(f"/enrollment/{intake.pk}/apply/", {**typed, "q_home": "no", "doc_household": pdf()})
    html = page.content.decode()
    assert page.status_code == 400 and 'href="#q_household"' in html and "请回答第一个问题" in html
    assert '<fieldset id="q_household" class="has-error">' in html and "请重新选择" in html
    page = client.post(f"/enrollment/{intake.pk}/apply/", {**typed, "q_household": "no", "q_home": "no"})
    html = page.content.decode()
    assert page.status_code == 400 and 'href="#q_permit"' in html and "请重新选择" not in html
    assert "类别" not in html.split('class="error-summary"')[1].split("</div>")[0]  # no category the page lacks
    done = client.post(f"/enrollment/{intake.pk}/apply/", {**typed, "q_household": "yes", "q_home": "no",
                                                           "doc_household": pdf()})
    assert done.status_code == 302, done.content.decode()[:2000]
    assert Application.objects.get(account=p, submitted_at__isnull=False).category == Category.HOUSEHOLD_ONLY


def test_an_intake_is_acted_on_only_by_those_who_manage_it(intake, staff, client, tree, make_user):
    from edugov.enrollment.models import Slot

    outsider = make_user(Role.DEPARTMENT_HEAD, tree.other_bureau)
    client.force_login(outsider)
    day = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    page = client.post("/enrollment/manage/slot/", {"intake": intake.pk, "day": day, "time": "09:00", "place": "一小",
                                                    "capacity": "20"}, follow=True)
    assert "您无权管理本次招生" in page.content.decode() and not Slot.objects.exists()
    _reviewer, head = staff
    client.force_login(head)
    client.post("/enrollment/manage/slot/", {"intake": intake.pk, "day": day, "time": "09:00", "place": "一小",
                                             "capacity": "20"})
    assert Slot.objects.get(intake=intake).capacity == 20
    assert client.post("/enrollment/manage/nothing/", {"intake": intake.pk}).status_code == 404
    refused = client.post("/enrollment/manage/lottery/", {"intake": intake.pk}, follow=True)  # no confirmation
    assert "请勾选确认框" in refused.content.decode() and not Intake.objects.get(pk=intake.pk).lottery_id


def test_a_running_step_is_named_in_words_on_the_manage_page(intake, staff, client):
    """Issue 27: "正在进行：摇号", not the job's code "lottery"."""
    from django.utils import timezone as tz

    _reviewer, head = staff
    Intake.objects.filter(pk=intake.pk).update(job={"step": "lottery", "started": tz.localtime().isoformat()})
    client.force_login(head)
    page = client.get("/enrollment/manage/").content.decode()
    assert "摇号" in page and "lottery" not in page.split("<main", 1)[1].split("</main>")[0].replace("lottery_", "")
