"""The demo district, as its users would check it: the counts of its registers, the 2024 figures of
the reference report counted from records, draws that verify, the live layer in every state, and
every documented account landing on its home page. One copy of the demo serves the module
(tests/demo_db.py); each test's writes are rolled back."""

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from edugov.cases.models import Case
from edugov.demo.generator import DEMO_PASSWORD


@pytest.fixture
def jz(demo_rollback):
    from edugov.accounts.models import Organisation

    return Organisation.objects.get(code="JZ")


def _figures(keys, jz, period=None):
    from edugov.metrics import registry

    period = period or registry.Period.year(2024)
    return {k: registry.compute(registry.get(k), period, jz).display for k in keys}


def test_the_registers_hold_the_districts_schools_institutions_and_people(demo_rollback):
    from edugov.registries.models import Institution, Person, School

    counts = demo_rollback.counts
    assert School.objects.filter(organisation__parent__code="JZ").count() == 300
    assert 150000 < sum(School.objects.filter(organisation__parent__code="JZ").values_list(
        "enrolled_students", flat=True)) < 200000
    assert Institution.objects.filter(organisation__code="JZ").count() == 150
    assert Person.objects.filter(kind="legal_vp").count() == 156
    assert counts["hotline_live"] == 8 and counts["enrollment_live"] == 12


def test_the_hotline_and_enforcement_figures_of_2024(jz):
    figures = _figures(("petitions.received", "petitions.valid", "petitions.completed", "petitions.completion_rate",
                        "petitions.in_progress"), jz)
    assert figures == {"petitions.received": "282件", "petitions.valid": "123件", "petitions.completed": "121件",
                       "petitions.completion_rate": "98.4%", "petitions.in_progress": "2件"}
    assert _figures(ENFORCEMENT, jz) == ENFORCEMENT


ENFORCEMENT = {
    "enforcement.items.claimed": "94项", "enforcement.special_campaigns": "8次",
    "enforcement.institution_inspections": "1282家次", "enforcement.joint_operations": "18次",
    "enforcement.personnel_deployed": "346人次", "enforcement.findings.no_permit_no_license": "13家次",
    "enforcement.findings.beyond_permit": "5家次", "enforcement.interviews": "23人次",
    "enforcement.rectification_notices": "105份", "enforcement.penalties": "8件"}


def test_schools_education_and_registers_figures_of_2024(jz):
    assert _figures(("legal_vp.appointed", "legal_vp.public_school_coverage", "legal_vp.class_hours.min_required"),
                    jz) == {"legal_vp.appointed": "156名", "legal_vp.public_school_coverage": "100%",
                            "legal_vp.class_hours.min_required": "4课时"}
    assert _figures(("publication.items", "publication.inquiries", "publication.problems_solved", "study.lectures"),
                    jz) == {"publication.items": "180余条", "publication.inquiries": "300余人次",
                            "publication.problems_solved": "30余个", "study.lectures": "600场次"}
    assert _figures(("special_school.released", "special_school.longest_months_since_release",
                     "special_school.reoffended", "special_school.correction_rate"), jz) == {
        "special_school.released": "58名", "special_school.longest_months_since_release": "7个月",
        "special_school.reoffended": "0名", "special_school.correction_rate": "100%"}
    assert _figures(EDUCATION, jz) == EDUCATION


EDUCATION = {
    "demo_schools.cases_adopted": "3个", "demo_schools.passed_material_review": "3所",
    "legal_education.courses.dual_teacher": "3门", "legal_education.constitution_quiz.participants": "170078人",
    "legal_education.constitution_quiz.participation_rate": "99.98%", "legal_education.contest.city_finalists": "6名",
    "legal_education.contest.first_prizes": "3个", "legal_education.contest.second_prizes": "3个",
    "legal_education.comics.submissions": "1204件", "legal_education.comics.forwarded": "40件",
    "legal_education.comics.second_prizes": "4个", "legal_education.comics.third_prizes": "15个",
    "legal_education.course_competition.teachers": "2名", "legal_education.course_competition.first_prizes": "1个"}


def test_services_and_enrollment_figures_of_2024(jz):
    assert _figures(("services.items.total", "services.items.in_center", "licensing.cases.total",
                     "licensing.cases.completion_rate", "licensing.private_school.completed",
                     "services.reviews.active_rate"), jz) == {
        "services.items.total": "33项", "services.items.in_center": "33项", "licensing.cases.total": "56件",
        "licensing.cases.completion_rate": "100%", "licensing.private_school.completed": "61件",
        "services.reviews.active_rate": "100%"}
    assert _figures(("enrollment.applications.total", "enrollment.satisfaction.rate",
                     "enrollment.satisfaction.very_satisfied_rate"), jz) == {
        "enrollment.applications.total": "26907人", "enrollment.satisfaction.rate": "99.42%",
        "enrollment.satisfaction.very_satisfied_rate": "97.49%"}


def test_every_2024_draw_verifies_from_its_bundle_alone(demo_rollback):
    from edugov.draws import algorithm
    from edugov.draws.actions import bundle
    from edugov.draws.models import Draw
    from edugov.services.models import Verification

    enforcement = Draw.objects.filter(draw_id__contains="-ENF-2024-")
    assert enforcement.exists() and all(algorithm.verify_bundle(bundle(d)) == [] for d in enforcement)
    samples = Draw.objects.filter(draw_id__startswith="commitment-JZ-2024-")
    assert samples.count() >= 10 and all(algorithm.verify_bundle(bundle(d)) == [] for d in samples)
    assert Verification.objects.filter(draw__in=samples, verified_at__isnull=False).count() == sum(
        len(d.selected) for d in samples)
    lotteries = Draw.objects.filter(draw_id__startswith="enroll-JZ-2024-")
    assert lotteries.count() == 2 and all(algorithm.verify_bundle(bundle(d)) == [] for d in lotteries)
    # issue 27: every commitment visibly precedes its draw, and a drawn target is named
    drawn = Draw.objects.filter(state="drawn")
    assert drawn.exists() and not [d.draw_id for d in drawn if not d.committed_at < d.drawn_at]
    assert all(d.labels.get(code) for d in enforcement.filter(draw_id__endswith="-T") for code in d.selected)


def test_the_live_layer_has_work_in_every_state(demo_rollback):
    recent = timezone.now() - dt.timedelta(days=10)  # whatever the date (1 January included)
    states = {kind: set(Case.objects.filter(kind__in=kind.split(","), opened_at__gte=recent)
                        .values_list("state", flat=True)) for kind in ("service", "enrollment", "complaint,petition")}
    assert states["service"] >= {"submitted", "supplementing", "accepted", "expert", "approved"}
    assert states["enrollment"] >= {"submitted", "checked", "returned", "verified"}
    assert states["complaint,petition"] >= {"received", "triaged", "handling", "closed", "invalid", "transferred"}


def test_a_domains_batch_gives_what_each_figures_own_query_gives(jz):
    from edugov.metrics import registry

    for period in (registry.Period.year(2024), registry.Period.month(2024, 12), registry.Period.year(2025)):
        together = registry.compute_all(period, jz)
        for metric in registry.all_metrics():
            if metric.batch is not None:
                assert together[metric.key].as_json() == registry.compute(metric, period, jz).as_json(), metric.key


def test_the_2024_report_says_the_same_figures_in_its_frozen_pdf(jz):
    from edugov.reports.models import AnnualReport

    annual = AnnualReport.objects.get(organisation=jz, year=2024)
    assert annual.state == "published" and annual.frozen_figures["petitions.completion_rate"]["display"] == "98.4%"
    assert {k: v["display"] for k, v in annual.frozen_figures.items() if k in ENFORCEMENT} == ENFORCEMENT


def test_the_hotlines_bounces_decisions_and_a_false_closure_are_there_to_look_at(jz):
    from edugov.petitions import bulletin
    from edugov.petitions.models import HopKind, Petition, RecontactCheck

    assert Petition.objects.filter(send_backs=1).count() >= 5 and Petition.objects.filter(ruled=True).exists()
    assert RecontactCheck.objects.filter(draw__draw_id="recontact-JZ-2024-05", closure_true=False).count() == 1
    may = bulletin.monthly(jz, 2024, 5)
    assert len(may.false_closures) == 1 and sum(r.hops for r in may.rows) == sum(
        1 for p in Petition.objects.filter(hops__kind__in=(HopKind.SEND_BACK, HopKind.DISPUTE),
                                           hops__at__year=2024, hops__at__month=5))


def test_every_demo_account_is_documented_and_lands_on_its_home_page(demo_rollback, client):
    from edugov.accounts.models import User

    readme = Path("README.md").read_text(encoding="utf-8")
    for user in User.objects.filter(kind="staff"):
        assert f"`{user.username}`" in readme, f"{user.username} is not documented in the README"
        client.logout()
        r = client.post(reverse("accounts:login"), {"username": user.username, "password": DEMO_PASSWORD})
        assert r.status_code == 302, user.username
        home = client.get(r["Location"], follow=True)
        assert home.status_code == 200, user.username
        assert home.redirect_chain[-1][0] == reverse("cases:workbench"), user.username



def test_each_demo_account_opens_its_workbench_on_its_own_work(demo_rollback, client):
    """Issue 26: each account's 待办 lists the steps that are its to take, and every tab's count is the
    length of the list the tab shows."""
    from django.utils import timezone

    from edugov.accounts.models import User
    from edugov.cases import selectors
    from edugov.cases.views import COUNTED

    today = timezone.localdate()
    expected = {"leader": "penalty", "reviewer": "penalty", "officer": "inspection", "school1": "rectification",
                "supervision": "complaint", "clerk": "service"}
    for username, kind in expected.items():
        user = User.objects.get(username=username)
        counts = selectors.workbench_counts(user, COUNTED, today)
        todo = list(selectors.workbench(user, "todo", today))
        assert counts["todo"] == len(todo) > 0, username
        assert any(c.kind == kind for c in todo), (username, sorted({c.kind for c in todo}))
        for view in COUNTED:
            assert counts[view] == selectors.workbench(user, view, today).count(), (username, view)
        client.force_login(user)
        page = client.get(reverse("cases:workbench")).content.decode()
        assert f'<span class="count">{counts["todo"]}</span>' in page, username
    staff_basic = User.objects.get(username="staff.basic")
    assert selectors.workbench_counts(staff_basic, ["todo"], today)["todo"] > 0
    # the duties the scheduled jobs opened: the school's ledgers, the leader's report to submit
    school1 = User.objects.get(username="school1")
    assert any(c.kind == "ledger_duty" for c in selectors.workbench(school1, "todo", today))
    supervision = User.objects.get(username="supervision")
    assert any(c.kind == "return_visit_duty" for c in selectors.workbench(supervision, "todo", today))
    leader = User.objects.get(username="leader")
    report = [c for c in selectors.workbench(leader, "todo", today) if c.kind == "report_duty"]
    assert len(report) == 1 and report[0].next_due_on == dt.date(today.year, 3, 1) - dt.timedelta(days=1)


def test_legality_review_in_the_demo_district(jz, client):
    """Issue 28: the demo's legality review, counted from its records: the 2024 documents, the
    clean-up, the decisions, the contracts and the adviser's opinions; the public in-force list; a
    guide citing the repealed 2019 document marks it; the legal reviewer has a draft to review."""
    from django.utils import timezone

    from edugov.accounts.models import User
    from edugov.cases import selectors
    from edugov.legality.models import NormativeDocument

    assert _figures(("normative_docs.issued", "normative_docs.reviewed", "normative_docs.filed_in_time_rate",
                     "normative_docs.repealed", "normative_docs.in_force", "normative_docs.public_comments",
                     "major_decisions.catalogued", "major_decisions.decided", "major_decisions.public_participation",
                     "legal_adviser.opinions", "legal_adviser.followed_rate", "contracts.reviewed", "contracts.signed"),
                    jz) == {
        "normative_docs.issued": "3件", "normative_docs.reviewed": "3件", "normative_docs.filed_in_time_rate": "100%",
        "normative_docs.repealed": "1件", "normative_docs.in_force": "4件", "normative_docs.public_comments": "6条",
        "major_decisions.catalogued": "2项", "major_decisions.decided": "2项",
        "major_decisions.public_participation": "2项", "legal_adviser.opinions": "15份",
        "legal_adviser.followed_rate": "93.3%", "contracts.reviewed": "6份", "contracts.signed": "6份"}
    from edugov.oversight.models import PublicationItem

    # what the portal published itself is in the open-government register: 180余条 counts it
    assert PublicationItem.objects.filter(organisation=jz, published_on__year=2024, recorded_by__isnull=True,
                                          category__in=("规范性文件", "重大行政决策")).count() == 6
    repealed = NormativeDocument.objects.get(number="江教规〔2019〕1号")
    assert repealed.status == "repealed"
    assert NormativeDocument.objects.get(number="江教规〔2021〕1号").status == "amended"
    listed = client.get("/legality/public/documents/").content.decode()
    assert "江教规〔2024〕1号" in listed and "江教规〔2019〕1号" not in listed
    assert "江教规〔2019〕1号" in client.get("/legality/public/documents/?status=repealed").content.decode()
    from edugov.services.models import ServiceItem

    item = ServiceItem.objects.filter(legal_basis__contains="江教规〔2019〕1号").first()
    guide = client.get(f"/services/items/{item.pk}/").content.decode()
    assert 'class="withdrawn"' in guide
    from edugov.reports import render
    from edugov.reports.models import AnnualReport

    annual = AnnualReport.objects.get(organisation=jz, year=2024)  # the published report, its figures frozen
    text = render.fill(annual.body, annual.frozen_figures)
    assert "法律顾问全年出具书面法律意见15份，意见采纳率93.3%" in text
    assert "制定行政规范性文件3件" in text and "年末现行有效规范性文件4件" in text
    reviewer = User.objects.get(username="reviewer")
    todo = selectors.workbench(reviewer, "todo", timezone.localdate())
    assert any(c.kind == "normative_doc" for c in todo) and any(c.kind == "legal_opinion" for c in todo)


def test_remedies_and_disclosure_in_the_demo_district(jz, client):
    """Issue 29: the reconsideration of a 2024 penalty answered in time, its evidence bundle checked
    with the key the site publishes and its head one the ledger signed; the lawsuit with the head in
    court; the request answered in time after a correction and a third party's consultation; the
    2024 disclosure report published from the records; the figures the 2024 report cites."""
    from edugov.audit import evidence
    from edugov.audit.models import TreeHead
    from edugov.disclosure.models import DisclosureRequest
    from edugov.remedies.models import Challenge
    from edugov.reports.models import AnnualReport, OgiReport

    on_penalty = Challenge.objects.get(kind="reconsideration", contested__kind="penalty", received_on__year=2024)
    assert on_penalty.case.clocks.get(name="answer").met and on_penalty.outcome == "upheld"
    data = on_penalty.bundle.read()
    pem = client.get("/api/v1/audit/public-key").content
    checked = evidence.check(data, pem)
    assert checked.ok and checked.entries > 5, checked.problems
    import io
    import json
    import zipfile

    head = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("manifest.json"))["tree_head"]
    assert TreeHead.objects.filter(tree_size=head["tree_size"], root_hash=head["root_hash"]).exists()
    lawsuit = Challenge.objects.get(kind="litigation", received_on__year=2024)
    assert lawsuit.head_appeared and lawsuit.outcome == "dismissed"
    walked = DisclosureRequest.objects.get(correction_asked_on__isnull=False, received_on__year=2024)
    assert walked.third_party and walked.reply_form == "disclosed" and walked.case.clocks.get(name="reply").met
    assert _figures(("reconsideration.cases", "reconsideration.corrected", "reconsideration.answered_in_time_rate",
                     "litigation.cases", "litigation.head_appearance_rate", "ogi.requests",
                     "ogi.replied_in_time_rate"), jz) == {
        "reconsideration.cases": "2件", "reconsideration.corrected": "1件",
        "reconsideration.answered_in_time_rate": "100%", "litigation.cases": "1件",
        "litigation.head_appearance_rate": "100%", "ogi.requests": "9件", "ogi.replied_in_time_rate": "100%"}
    report = OgiReport.objects.get(organisation=jz, year=2024)
    assert report.tables["requests"][0][-1] == "9" and report.tables["requests"][-1][-1] == "1"  # one carried over
    assert "江州区" in client.get(f"/reports/public/ogi/{report.pk}/").content.decode()
    from edugov.reports import render

    annual = AnnualReport.objects.get(organisation=jz, year=2024)
    text = render.fill(annual.body, annual.frozen_figures)
    assert "行政机关负责人出庭应诉率100%" in text and "受理政府信息公开申请9件" in text


def test_every_written_act_of_the_demo_has_its_document(jz, client):
    """Issue 30: the demo's acts issued their documents as they happened: each 2024 licence decided has
    its decision dated by the decision and, when granted, its certificate; each penalty its decision;
    every placed child its admission notice; the licence revoked in the live layer shows revoked to
    whoever scans it, and a certificate in force shows valid."""
    from edugov.demo.generator import verification_examples
    from edugov.documents.actions import document_pdf
    from edugov.documents.models import DocumentKind, IssuedDocument
    from edugov.documents.signing import validate
    from edugov.enforcement.models import Penalty
    from edugov.enrollment.models import Application as Enrollment
    from edugov.services.models import Application

    licences = Application.objects.filter(item__item_type="licence", decided_at__year=2024)
    granted = licences.filter(decision="approved")
    assert granted.count() > 20
    certificates = IssuedDocument.objects.filter(kind=DocumentKind.LICENCE_CERTIFICATE, issued_on__year=2024)
    assert set(certificates.values_list("number", flat=True)) == set(granted.values_list("certificate_number", flat=True))
    one = granted.order_by("pk").first()
    decision = IssuedDocument.objects.get(kind=DocumentKind.LICENSING_GRANT, subject=f"case:{one.case_id}")
    assert decision.issued_on == timezone.localdate(one.decided_at)
    assert IssuedDocument.objects.filter(kind=DocumentKind.LICENSING_REFUSAL, issued_on__year=2024).count() \
        == licences.filter(decision="denied").count() > 0
    assert IssuedDocument.objects.filter(kind=DocumentKind.PENALTY_DECISION, issued_on__year=2024).count() \
        == Penalty.objects.filter(decided_at__year=2024).count() == 8
    placed = Enrollment.objects.filter(intake__year=2024, school__isnull=False).count()
    assert IssuedDocument.objects.filter(kind=DocumentKind.ADMISSION_NOTICE, issued_on__year=2024).count() == placed
    pdf = document_pdf(decision)
    assert validate(pdf).valid and "准予行政许可决定书" in __import__("pypdf").PdfReader(
        __import__("io").BytesIO(pdf)).pages[0].extract_text()
    examples = dict(verification_examples())
    assert client.get(f"/api/v1/public/documents/{examples['A licence in force']}").json()["status"] == "valid"
    revoked = client.get(f"/verify/{examples['A revoked licence']}").content.decode()
    assert "已于" in revoked and "撤销" in revoked and "伪造" in revoked


def test_the_accountability_parts_in_the_demo_district(jz, client):
    """Issue 31: the first responsible person's study, lectures and 述法, the officers' training, the
    leaders' areas and linked schools, the business environment, counted from their records into the
    published 2024 report; the officer not competent in 2025 keeps the certificate they had (the live
    layer's renewal waits) and is on the leader's workbench; this term's unvisited schools are counted."""
    from django.contrib.auth import get_user_model

    from edugov.enforcement.models import OfficerAssessment
    from edugov.kernel.calendar import school_term
    from edugov.oversight.selectors import unvisited_schools
    from edugov.reports import render
    from edugov.reports.models import AnnualReport

    assert _figures(("leadership.study_sessions", "leadership.central_group_sessions", "leadership.attendance_rate",
                     "leadership.quarters_heard", "leadership.legal_accounts", "study.lectures",
                     "enforcement.training.sessions", "enforcement.training.officers_met_hours",
                     "enforcement.training.passed_rate", "liaison.visits", "liaison.visit_coverage_rate",
                     "liaison.findings_rectified", "business_env.outreach", "business_env.reached.kindergartens",
                     "business_env.trainees.guards"), jz) == {
        "leadership.study_sessions": "50次", "leadership.central_group_sessions": "12次",
        "leadership.attendance_rate": "98.7%", "leadership.quarters_heard": "4个季度", "leadership.legal_accounts": "1次",
        "study.lectures": "600场次", "enforcement.training.sessions": "12期",
        "enforcement.training.officers_met_hours": "30人", "enforcement.training.passed_rate": "100.0%",
        "liaison.visits": "712次", "liaison.visit_coverage_rate": "100.0%", "liaison.findings_rectified": "40个",
        "business_env.outreach": "7次", "business_env.reached.kindergartens": "52所",
        "business_env.trainees.guards": "252人次"}
    annual = AnnualReport.objects.get(organisation=jz, year=2024)  # the published report, its figures frozen
    text = render.fill(annual.body, annual.frozen_figures)
    assert "主持理论学习中心组学习12次" in text and "进校园宣讲600场次" in text and "述法1次" in text
    assert "到校走访712次" in text and "执法人员累计参训1800学时" in text and "免费组织举办者" in text

    failing = OfficerAssessment.objects.get(plan__organisation=jz, plan__year=2025, result="fail").officer
    assert failing.certificate_valid_until == dt.date(2027, 1, 28)  # the renewal the live layer tried waits
    client.force_login(get_user_model().objects.get(username="leader"))
    bench = client.get(reverse("cases:workbench")).content.decode()
    assert "2025年度考核不合格" in bench and failing.name in bench
    start, end = school_term(timezone.localdate())
    page = client.get(reverse("oversight:liaison")).content.decode()
    assert f"{unvisited_schools(jz, start, end).count()}所学校尚未走访" in page


def test_the_oversight_and_dispute_parts_in_the_demo_district(jz, client):
    """Issue 32: reports of enforcement misconduct (need-to-know: the legal office sees them, the
    enforcement squad reported and the leaders do not), the discipline group, mediation from the
    monthly screening, home-school communication, the schools' charters, lessons and constitution
    week, counted from their records into the published 2024 report."""
    from django.contrib.auth import get_user_model

    from edugov.cases.selectors import visible_cases
    from edugov.oversight.models import Mediation
    from edugov.reports import render
    from edugov.reports.models import AnnualReport

    assert _figures(("misconduct_reports.received", "misconduct_reports.accepted", "misconduct_reports.forwarded",
                     "misconduct_reports.substantiated", "misconduct_reports.told_in_time_rate",
                     "misconduct_reports.discipline_meetings", "misconduct_reports.decisions_notified",
                     "disputes.screenings", "disputes.mediations", "disputes.agreement_rate", "disputes.with_community",
                     "home_school.meetings", "home_school.answer_rate", "schools.charters.counsellors",
                     "schools.charters.approved", "schools.charters.published", "schools.charters.lessons",
                     "schools.charters.lesson_minimum_rate", "schools.charters.morning_reading_schools",
                     "legal_vp.appointed", "legal_vp.public_school_coverage"), jz) == {
        "misconduct_reports.received": "6件", "misconduct_reports.accepted": "5件", "misconduct_reports.forwarded": "1件",
        "misconduct_reports.substantiated": "2件", "misconduct_reports.told_in_time_rate": "100.0%",
        "misconduct_reports.discipline_meetings": "12次", "misconduct_reports.decisions_notified": "12项",
        "disputes.screenings": "3600份", "disputes.mediations": "24件", "disputes.agreement_rate": "87.0%",
        "disputes.with_community": "20件", "home_school.meetings": "600次", "home_school.answer_rate": "93.0%",
        "schools.charters.counsellors": "20名", "schools.charters.approved": "37份", "schools.charters.published": "29份",
        "schools.charters.lessons": "1342节", "schools.charters.lesson_minimum_rate": "97.3%",
        "schools.charters.morning_reading_schools": "294所",
        # the counsellors are among the report's 156 people, and the coverage counts vice-principals only
        "legal_vp.appointed": "156名", "legal_vp.public_school_coverage": "100%"}
    assert Mediation.objects.filter(organisation=jz).exclude(risk_item=None).count() >= 20  # from the screening
    annual = AnnualReport.objects.get(organisation=jz, year=2024)
    text = render.fill(annual.body, annual.frozen_figures)
    assert "收到行政执法监督举报6件" in text and "调解家校纠纷24件" in text and "开设法治课1342节" in text
    assert "核准后公布29份" in text and "家长会议600次" in text

    users = get_user_model().objects
    reports = visible_cases(users.get(username="reviewer")).filter(kind="misconduct_report")
    assert reports.count() == 6
    for name in ("officer", "leader", "supervision", "auditor"):
        assert not visible_cases(users.get(username=name)).filter(kind="misconduct_report").exists(), name
    client.force_login(users.get(username="officer"))
    assert client.get(reverse("cases:detail", args=[reports.first().pk])).status_code in (403, 404)
    client.force_login(users.get(username="reviewer"))
    page = client.get(reverse("oversight:accountability") + "?tab=misconduct&year=2024").content.decode()
    assert reports.first().reference in page and "江州区司法局" in page
