"""One record of each kind in district B1 and who works on it there: the table the generated
access tests walk (tests/test_object_access.py, tests/test_scope_generated.py, the form fuzzer).
A fixture plugin registered in the root conftest."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from edugov.accounts.models import Role
from tests.workflow_fixture import TEST_WORKFLOW  # noqa: F401  (registers kind "testcase")

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00"
       b"\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82")


@pytest.fixture
def records(tree, make_user):
    """One record of each kind in district B1, and who works on it there (route name → (path, owner))."""
    from edugov.cases import actions as engine
    from edugov.enforcement import actions as enf
    from edugov.enforcement.models import EnforcementItem, Finding, Inspection, InspectionMatter, Publication
    from edugov.petitions import actions as hotline
    from edugov.petitions.models import Category, Hotline
    from edugov.registries.models import ImportRun, Institution, Person
    from edugov.reports import actions as reports

    staff = make_user(Role.DEPARTMENT_STAFF, tree.dept)
    head = make_user(Role.DEPARTMENT_HEAD, tree.dept)
    leader = make_user(Role.BUREAU_LEADER, tree.bureau)
    officer_user = make_user(Role.ENFORCEMENT_OFFICER, tree.dept)
    case = engine.case_open(actor=staff, kind="testcase", organisation=tree.bureau, department=tree.dept, title="办件")
    att = engine.case_attach(actor=staff, case=case, upload=SimpleUploadedFile("p.png", PNG, "image/png"))
    reminder = __import__("edugov.cases.models", fromlist=["Reminder"]).Reminder.objects.create(
        clock=case.clocks.first(), kind="due_soon", recipient=staff) if case.clocks.exists() else None
    Hotline.objects.create(organisation=tree.bureau, office=tree.dept, opened_on=dt.date(2024, 3, 1))
    petition = hotline.petition_intake(actor=None, organisation=tree.bureau, channel="web", description="乱收费",
                                       category=Category.objects.create(organisation=tree.bureau, name="乱收费"),
                                       school=tree.school).petition
    inst = Institution.objects.create(organisation=tree.bureau, name="甲区培训", credit_code="52500000MJ00000001",
                                      kind="academic")
    person = Person.objects.create(organisation=tree.dept, kind="enforcement_officer", name="执法甲", user=officer_user,
                                   identity_number="500101198001010011", gender="M", birth_date=dt.date(1980, 1, 1),
                                   certificate_number="JZ0001", certificate_valid_until=dt.date(2030, 1, 1))
    Person.objects.create(organisation=tree.dept, kind="enforcement_officer", name="执法乙",
                          identity_number="500101198001010027", gender="F", birth_date=dt.date(1980, 1, 1),
                          certificate_number="JZ0002", certificate_valid_until=dt.date(2030, 1, 1))
    matter = InspectionMatter.objects.create(organisation=tree.bureau, name="检查", content="c", legal_basis="b",
                                             method="m", frequency="f", publication="p", checklist=["收费公示"])
    item = EnforcementItem.objects.create(organisation=tree.bureau, code="X1", name="处罚", legal_basis="依据",
                                          fine_min=Decimal(1), fine_max=Decimal(100), department=tree.dept)
    enf.item_claim(actor=None, item=item)
    campaign = enf.campaign_draw(actor=head, campaign=enf.campaign_commit(actor=head, campaign=enf.campaign_create(
        actor=head, organisation=tree.bureau, kind="special", title="专项", matter=matter, full_coverage=True,
        starts_on=dt.date.today(), ends_on=dt.date.today() + dt.timedelta(days=5))))
    visit = Inspection.objects.get(campaign=campaign)
    enf.inspection_arrive(actor=officer_user, inspection=visit, place="p", certificates_shown=True)
    enf.inspection_record(actor=officer_user, inspection=visit, checklist={"收费公示": "no"}, people_met="负责人")
    enf.inspection_sign_off(actor=officer_user, inspection=visit)
    enf.inspection_decide(actor=officer_user, inspection=visit, findings=[
        {"kind": "rectification", "deadline": dt.date.today() + dt.timedelta(days=9)}])
    notice = Finding.objects.get(inspection=visit)
    penalty = enf.penalty_open(actor=officer_user, inspection=visit, organisation=tree.bureau, item=item,
                               party_name="甲区培训", facts="事实")
    run = ImportRun.objects.create(registry="schools", organisation=tree.bureau, created_by=head, filename="a.xlsx")
    report = reports.report_create(actor=staff, organisation=tree.bureau, year=2024)
    from edugov.schools import actions as lvps

    lvp_person = Person.objects.create(organisation=tree.bureau, kind="legal_vp", name="法副甲", agency_name="派出所",
                                       identity_number="500101198001010043", gender="M", birth_date=dt.date(1980, 1, 1))
    appointment = lvps.appoint(actor=staff, person=lvp_person, school=tree.school, starts_on=dt.date.today())
    from edugov.accounts.models import OrgKind
    from edugov.registries.models import School
    from edugov.schools import special

    special_org = tree.bureau.__class__.objects.create(code="SS1", name="专门学校", kind=OrgKind.SCHOOL, parent=tree.bureau)
    special_school = School.objects.create(organisation=special_org, name="专门学校", code="SS1", level="special_school")
    special_admin = make_user(Role.SCHOOL_ADMIN, special_org)
    correction = special.admit(actor=special_admin, school=special_school, student_name="学生甲",
                               admitted_on=dt.date(2024, 1, 1), assigned=[special_admin])
    from edugov.accounts.models import User, UserKind
    from edugov.services import actions as services
    from edugov.services import catalogue

    service_head = make_user(Role.DEPARTMENT_HEAD, tree.sibling_dept)
    counter_clerk = make_user(Role.WINDOW_CLERK, tree.sibling_dept)
    service_item = catalogue.item_save(
        actor=service_head, bureau=tree.bureau, materials=[{"name": "申请书"}],
        values={"code": "S1", "name": "事项", "item_type": "licence", "legal_basis": "依据", "department": tree.sibling_dept,
                "address": "中心", "phone": "1", "complaint_phone": "2", "conditions": "条件", "statutory_days": 20,
                "promised_days": 10})
    catalogue.item_publish(actor=service_head, item=service_item, note="发布")
    applicant = User.objects.create_user(username="p13900000009", kind=UserKind.PUBLIC, phone="13900000009")
    from edugov.kernel.validators import credit_check_char

    application = services.application_submit(
        actor=applicant, item=service_item, channel="online", applicant_kind="institution", name="张三",
        phone="13900000009", institution_name="培训学校", credit_code="52500101MJ0000001" + credit_check_char(
            "52500101MJ0000001"), uploads={service_item.materials.get().pk: SimpleUploadedFile("a.png", PNG)})
    from edugov.enrollment import actions as enrollment
    from edugov.enrollment.models import Intake, Plan, Zone
    from edugov.kernel.validators import identity_check_char

    now = dt.datetime.now(dt.UTC)
    intake = Intake.objects.create(
        organisation=tree.bureau, department=tree.sibling_dept, year=now.year, title="招生", grade="primary_1",
        born_from=dt.date(2019, 9, 1), born_until=dt.date(2020, 8, 31), opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=3), lottery_on=now.date(), results_on=now.date())
    Plan.objects.create(intake=intake, school=tree.school, places=5)
    Zone.objects.create(intake=intake, name="学区", communities=["幸福小区"]).schools.add(tree.school)
    enrollment.intake_publish(actor=None, intake=intake)
    intake.refresh_from_db()
    family = User.objects.create_user(username="p13900000010", kind=UserKind.PUBLIC, phone="13900000010")

    def ident(first: str) -> str:
        return first + identity_check_char(first)

    scan = SimpleUploadedFile("h.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")  # a 1-px photo is unreadable
    enrolled = enrollment.application_submit(actor=family, intake=intake, uploads={"household": scan},
                                 form=enrollment.Form(
        child_name="孩子", child_id_number=ident("50010120200301001"), household="甲区", guardian_name="家长",
        guardian_id_number=ident("50010119880101001"), guardian_phone="13900000010", address="1号",
        community="幸福小区", category=2, consent=True))
    special = enrollment.special_request_submit(
        actor=family, intake=intake, kind="deferral", child_name="孩子", child_id_number=ident("50010120200301002"),
        reason="术后休养", uploads=[SimpleUploadedFile("d.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")])
    from edugov.schools import education as edu

    demo_application = edu.demo_apply(actor=None, school=tree.school, year=now.year, case_title="校规修订")
    from edugov.oversight import screening

    supervisor = make_user(Role.SUPERVISION_STAFF, tree.dept)
    school_admin = make_user(Role.SCHOOL_ADMIN, tree.school_org)
    rectification = screening.patrol(actor=supervisor, school=tree.school, on=dt.date(2024, 5, 6), checked="校门",
                                     finding="无人值守").rectification
    risk = screening.submit_ledger(actor=school_admin, school=tree.school, month=dt.date(2024, 5, 1), items=[
        {"category": "纠纷", "level": "low", "people": "家长", "measures": "沟通", "responsible": "主任"}]).items.get()
    decision = screening.register_decision(actor=head, organisation=tree.bureau, category="decision", matter="事项",
                                           meeting="办公会", met_on=dt.date(2024, 4, 2), legal_opinion="合法",
                                           decision="同意")
    del person
    from edugov.legality import actions as legality

    draft = legality.normative_draft(actor=head, organisation=tree.bureau, title="办法", summary="s", body="b")
    legality.normative_consult(actor=head, doc=draft, channel="网站")
    legality.decision_catalogue(actor=head, organisation=tree.bureau, year=2024, title="决策", description="d")
    catalogue = legality.catalogue_publish(actor=leader, organisation=tree.bureau, year=2024)
    from edugov.disclosure import actions as disclosure
    from edugov.remedies import actions as remedies
    from edugov.reports.models import OgiReport

    ogi = disclosure.request_receive(actor=head, organisation=tree.bureau, channel="web", requester_kind="person",
                                     requester="张三", identity="", phone="", description="信息",
                                     received_on=dt.date.today())
    disclosure.request_reply(actor=head, request=ogi, form="disclosed", text="见附件")
    challenge = remedies.challenge_register(actor=head, organisation=tree.bureau, kind="reconsideration",
                                            contested=ogi.case, contested_text="答复", applicant="张三", body="区政府",
                                            received_on=dt.date.today())
    remedies.challenge_answer(actor=head, challenge=challenge, answer="答复")
    ogi_report = OgiReport.objects.create(organisation=tree.bureau, year=2023, tables={}, published_on=dt.date.today(),
                                          sha256="0" * 64)
    from edugov.accounts import actions as accounts

    absence = accounts.absence_record(actor=staff, user=staff, stand_in=head, starts_on=dt.date.today(),
                                      ends_on=dt.date.today() + dt.timedelta(days=3))
    from edugov.documents.models import DocumentKind, IssuedDocument

    filing = IssuedDocument.objects.get(subject=f"case:{penalty.case_id}", kind=DocumentKind.PENALTY_FILING)
    return {
        "accounts:away_cancel": (f"/accounts/away/{absence.pk}/cancel/", staff),
        "legality:step": (f"/legality/cases/{draft.case_id}/steps/comment_add/", head),
        "legality:public_document": (f"/legality/public/documents/{draft.pk}/", None),
        "legality:public_catalogue": (f"/legality/public/catalogues/{catalogue.pk}/", None),
        "remedies:step": (f"/remedies/cases/{challenge.case_id}/steps/decide/", head),
        "remedies:bundle": (f"/remedies/cases/{challenge.case_id}/bundle.zip", head),
        "disclosure:step": (f"/disclosure/cases/{ogi.case_id}/steps/reply/", head),
        "disclosure:reply_docx": (f"/disclosure/cases/{ogi.case_id}/reply.docx", head),
        "reports:public_ogi": (f"/reports/public/ogi/{ogi_report.pk}/", None),
        "oversight:risk_close": (f"/oversight/risks/items/{risk.pk}/close/", school_admin),
        "oversight:rectification_close": (f"/oversight/risks/rectifications/{rectification.pk}/close/", school_admin),
        "oversight:decision_execute": (f"/oversight/decisions/{decision.pk}/execute/", head),
        "cases:detail": (f"/cases/{case.pk}/", staff), "cases:attach": (f"/cases/{case.pk}/attach/", staff),
        "cases:comment": (f"/cases/{case.pk}/comment/", staff), "cases:contact": (f"/cases/{case.pk}/contact/", staff),
        "cases:attachment": (f"/cases/{case.pk}/files/{att.pk}/", staff),
        "cases:transition": (f"/cases/{case.pk}/steps/accept/", staff),
        "cases:reminder_read": (f"/cases/reminders/{reminder.pk if reminder else 0}/read/", staff),
        "petitions:step": (f"/petitions/{petition.case_id}/steps/mark_valid/", leader),
        "enforcement:campaign": (f"/enforcement/campaigns/{campaign.pk}/", officer_user),
        "enforcement:inspection": (f"/enforcement/inspections/{visit.pk}/", officer_user),
        "enforcement:notice_docx": (f"/enforcement/notices/{notice.pk}.docx", officer_user),
        "enforcement:notice_pdf": (f"/enforcement/notices/{notice.pk}.pdf", officer_user),
        "enforcement:penalty_docx": (f"/enforcement/penalties/{penalty.case_id}/filing.docx", officer_user),
        "documents:download": (f"/verify/documents/{filing.pk}/", officer_user),
        "enforcement:penalty_step": (f"/enforcement/penalties/{penalty.case_id}/steps/investigate/", officer_user),
        "enforcement:inspection_step": (f"/enforcement/inspections/{visit.pk}/steps/sign_off/", officer_user),
        "enforcement:campaign_draw": (f"/enforcement/campaigns/{campaign.pk}/draw/", head),
        "enforcement:campaign_commit": (f"/enforcement/campaigns/{campaign.pk}/commit/", head),
        "enforcement:public_result": (f"/enforcement/results/{Publication.objects.first().pk}/", None),
        "registries:import_result": (f"/registries/imports/{run.pk}/", head),
        "registries:institution": (f"/registries/institutions/{inst.pk}/", staff),
        "registries:institution_edit": (f"/registries/institutions/{inst.pk}/edit/", head),
        "registries:person": (f"/registries/people/{tree.school.pk}/", None),  # replaced below
        "registries:person_edit": (None, None),
        "registries:school": (f"/registries/schools/{tree.school.pk}/", staff),
        "registries:school_edit": (f"/registries/schools/{tree.school.pk}/edit/", head),
        "reports:detail": (f"/reports/{report.pk}/", staff), "reports:download": (f"/reports/{report.pk}/docx/", staff),
        "reports:public_pdf": (f"/reports/public/{report.pk}.pdf", None),
        **{f"reports:{w}": (f"/reports/{report.pk}/{u}/", staff)
           for w, u in (("save", "save"), ("submit", "submit"), ("legal_review", "legal-review"),
                        ("approve", "approve"), ("publish", "publish"))},
        "schools:lvp": (f"/schools/legal-vps/{appointment.pk}/", staff),
        "schools:lvp_letter": (f"/schools/legal-vps/{appointment.pk}/letter.docx", staff),
        "schools:special_case": (f"/schools/special/{correction.pk}/", special_admin),
        **{f"schools:lvp_{w}": (f"/schools/legal-vps/{appointment.pk}/{u}/", staff)
           for w, u in (("class", "classes"), ("evaluate", "evaluations"), ("end", "end"), ("replace", "replace"))},
        **{f"schools:special_{w}": (f"/schools/special/{correction.pk}/{u}/", special_admin)
           for w, u in (("release", "release"), ("follow_up", "follow-ups"), ("reoffence", "reoffences"))},
        "schools:education_decide": (f"/schools/education/applications/{demo_application.pk}/advance/", staff),
        "services:guide": (f"/services/items/{service_item.pk}/", None),
        "services:apply": (f"/services/items/{service_item.pk}/apply/", applicant),
        "services:mine": (f"/services/applications/{application.pk}/", applicant),
        "services:catalogue_item": (f"/services/catalogue/{service_item.pk}/", service_head),
        "services:item_edit": (f"/services/catalogue/{service_item.pk}/edit/", service_head),
        "services:step": (f"/services/cases/{application.case_id}/steps/accept/", service_head),
        "services:receipt": (f"/services/cases/{application.case_id}/receipt/", service_head),
        **{f"services:mine_{w}": (f"/services/applications/{application.pk}/{w}/", applicant)
           for w in ("supply", "rate", "withdraw")},
        **{f"services:item_{w}": (f"/services/catalogue/{service_item.pk}/{w}/", service_head)
           for w in ("publish", "withdraw")},
        "services:counter_apply": (f"/services/counter/items/{service_item.pk}/", counter_clerk),
        "services:counter_visit": (f"/services/counter/items/{service_item.pk}/visit/", counter_clerk),
        "enrollment:policy": (f"/enrollment/{intake.pk}/", None),
        "enrollment:apply": (f"/enrollment/{intake.pk}/apply/", family),
        "enrollment:results": (f"/enrollment/{intake.pk}/results/", None),
        "enrollment:mine": (f"/enrollment/applications/{enrolled.pk}/", family),
        "enrollment:step": (f"/enrollment/cases/{enrolled.case_id}/steps/check/", service_head),
        "enrollment:own_act": (f"/enrollment/applications/{enrolled.pk}/appeal/", family),
        "enrollment:apply_draft": (f"/enrollment/{intake.pk}/apply/draft/", family),
        "enrollment:special": (f"/enrollment/{intake.pk}/special/", family),
        "enrollment:special_step": (f"/enrollment/special/{special.case_id}/steps/grant/", service_head),
    }
