import re

from django.urls import reverse

from edugov.accounts.models import Organisation, Role
from edugov.cases import actions as engine
from edugov.petitions.models import Petition


def _form(hotline, **extra):  # noqa: F811
    data = {"complainant_name": "李四", "complainant_phone": "13912345678", "subject": "甲区第一小学",
            "category": hotline["乱收费"].pk, "nature": "complaint", "description": "<script>alert(1)</script>收取资料费",
            "idempotency_key": "abc-123"}
    data.update(extra)
    return data


def test_a_citizen_files_without_an_account_tracks_and_rates(client, tree, hotline, people):  # noqa: F811
    r = client.post(reverse("petitions:public_intake"), _form(hotline))
    html = r.content.decode()
    code = re.search(r"<strong>([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})</strong>", html).group(1)
    petition = Petition.objects.get()
    assert petition.channel == "web" and petition.school == tree.school and petition.case.applicant is None
    again = client.post(reverse("petitions:public_intake"), _form(hotline))  # double submit
    assert code in again.content.decode() and Petition.objects.count() == 1
    page = client.post(reverse("petitions:track"), {"code": code.lower()}).content.decode()
    assert petition.case.reference in page and "新收" in page
    wide = "".join(chr(ord(c) + 0xFEE0) for c in code.replace("-", " "))  # a Chinese input method's full width
    assert petition.case.reference in client.post(reverse("petitions:track"), {"code": wide}).content.decode()
    assert "<script>alert(1)</script>" not in client.post(reverse("petitions:track"), {"code": code}).content.decode()
    from edugov.petitions import actions, routing

    actions.petition_triage(actor=people["operator"], petition=petition, decision="valid")
    routing.petition_route(actor=people["operator"], petition=petition, unit=tree.sibling_dept)
    actions.petition_close(actor=people["head"], petition=petition, result="已退还资料费", override_reason="已当面沟通")
    page = client.post(reverse("petitions:track"), {"code": code}).content.decode()
    assert "已退还资料费" in page and "提交评价" in page
    page = client.post(reverse("petitions:rate"), {"code": code, "rating": 5, "resolution": "partly"}).content.decode()
    assert "感谢您的评价" in page and "非常满意" in page
    petition.refresh_from_db()
    assert petition.rating == 5 and petition.resolution == "partly"


def test_a_wrong_query_code_is_explained(client, tree, hotline):  # noqa: F811
    page = client.post(reverse("petitions:track"), {"code": "AAAA-BBBB-CCCC"}).content.decode()
    assert "没有与该查询码对应的事项" in page


def test_the_public_form_names_what_is_missing(client, tree, hotline):  # noqa: F811
    r = client.post(reverse("petitions:public_intake"), _form(hotline, description="", complainant_phone="123"))
    html = r.content.decode()
    assert "请输入以1开头的11位手机号码" in html and not Petition.objects.exists()


def test_the_operator_records_a_call_and_handles_it_on_the_case_page(client, tree, hotline, people):  # noqa: F811
    client.force_login(people["operator"])
    assert client.get(reverse("petitions:intake")).status_code == 200
    r = client.post(reverse("petitions:intake"), {**_form(hotline), "channel": "hotline", "is_key": "on"})
    petition = Petition.objects.get()
    assert r.status_code == 302 and r["Location"] == petition.case.get_absolute_url() and petition.is_key
    page = client.get(petition.case.get_absolute_url()).content.decode()
    assert "3233工作要求" in page and "当面约谈（重点投诉）" in page and "甄别为有效件" in page
    step = lambda name: reverse("petitions:step", args=[petition.case.pk, name])  # noqa: E731
    client.post(step("mark_valid"), {"version": 0})
    client.post(step("route"), {"version": 1, "unit": tree.sibling_dept.pk})
    petition.refresh_from_db()
    assert (petition.validity, petition.case.state, petition.case.department) == ("valid", "handling", tree.sibling_dept)
    client.force_login(people["handler"])
    r = client.post(step("close"), {"version": petition.case.version, "result": "已处理",
                           "confirmed": "on"}, follow=True)
    assert "未满足3233要求" in r.content.decode()
    for channel in ("phone", "phone", "visit"):
        engine.case_log_contact(actor=people["handler"], case=petition.case, channel=channel, outcome="已沟通")
    petition.case.refresh_from_db()
    client.post(step("close"), {"version": petition.case.version, "result": "已处理", "confirmed": "on"})
    petition.refresh_from_db()
    assert petition.case.state == "closed" and petition.result == "已处理"


def test_a_school_does_not_see_who_complained_unless_agreed(client, tree, hotline, people, make_user):  # noqa: F811
    from edugov.petitions import actions, routing

    p = actions.petition_intake(actor=people["operator"], organisation=tree.bureau, channel="hotline",
                                category=hotline["乱收费"], description="收费", school=tree.school,
                                complainant_name="王五", complainant_phone="13700001111").petition
    actions.petition_triage(actor=people["operator"], petition=p, decision="valid")
    routing.petition_route(actor=people["operator"], petition=p, unit=tree.sibling_dept)
    # the school complained of supplies facts through a part (回避: it may not handle the case)
    routing.add_assisting_unit(actor=people["operator"], petition=p, unit=tree.school_org, task="说明收费情况",
                               working_days=2)
    client.force_login(make_user(Role.SCHOOL_ADMIN, tree.school_org))
    page = client.get(p.case.get_absolute_url()).content.decode()
    assert "对被反映单位保密" in page and "137****1111" not in page


def test_only_the_supervision_office_records_calls(client, tree, hotline, make_user):  # noqa: F811
    client.force_login(make_user(Role.DEPARTMENT_STAFF, tree.sibling_dept))
    assert client.get(reverse("petitions:intake")).status_code == 403


def test_the_supervision_office_follows_a_case_after_routing_it(client, tree, hotline, people, make_user):  # noqa: F811
    from edugov.petitions import actions, routing

    p = actions.petition_intake(actor=people["operator"], organisation=tree.bureau, channel="hotline",
                                category=hotline["乱收费"], description="收费", school=tree.school).petition
    actions.petition_triage(actor=people["operator"], petition=p, decision="valid")
    routing.petition_route(actor=people["operator"], petition=p, unit=tree.sibling_dept)
    client.force_login(people["operator"])
    assert p.case.reference in client.get(reverse("cases:workbench") + "?view=open").content.decode()
    assert client.get(p.case.get_absolute_url()).status_code == 200
    assert "热线登记" in client.get(reverse("cases:workbench")).content.decode()  # the office's menu entry
    other_unit = make_user(Role.DEPARTMENT_STAFF, Organisation.objects.create(
        code="B1-x", name="其他科室", kind="department", parent=tree.bureau))
    client.force_login(other_unit)
    assert client.get(p.case.get_absolute_url()).status_code == 403


def test_a_dissatisfied_rating_opens_a_return_visit_and_the_complainant_may_reopen(client, tree, hotline, people):  # noqa: F811
    from edugov.petitions import actions, routing

    r = client.post(reverse("petitions:public_intake"), _form(hotline))
    code = re.search(r"<strong>([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})</strong>", r.content.decode()).group(1)
    p = Petition.objects.get()
    # the receipt and the tracking page give the day of the answer, in words a citizen reads (issue 27)
    assert f"<strong>{p.case.next_due_on:%Y-%m-%d}</strong>" in r.content.decode()
    tracked = client.post(reverse("petitions:track"), {"code": code}).content.decode()
    assert "3233" not in tracked and f"{p.case.next_due_on:%Y-%m-%d}" in tracked
    actions.petition_triage(actor=people["operator"], petition=p, decision="valid")
    routing.petition_route(actor=people["operator"], petition=p, unit=tree.sibling_dept)
    actions.petition_close(actor=people["head"], petition=p, result="已处理", override_reason="已当面沟通")
    client.post(reverse("petitions:rate"), {"code": code, "rating": 1, "resolution": "unsolved"})
    p.refresh_from_db()
    assert p.return_visit_due is not None
    client.force_login(people["operator"])
    assert p.case.reference in client.get(reverse("petitions:return_visits")).content.decode()
    # the return visit is on the supervision office's workbench, due on its day
    from edugov.cases.models import Duty
    from edugov.cases.selectors import workbench

    visit = Duty.objects.get(key=f"complaint.return_visit:{p.pk}").case
    assert visit.next_due_on == p.return_visit_due and visit in workbench(people["operator"], "todo")
    client.post(reverse("petitions:step", args=[p.case.pk, "return_visit"]), {"outcome": "仍不满意，要求复查"})
    p.refresh_from_db()
    assert p.return_visit_done_at and p.case.contacts.filter(outcome__contains="仍不满意").exists()
    visit.refresh_from_db()
    assert visit.state == "done" and visit not in workbench(people["operator"], "todo")
    client.logout()
    page = client.post(reverse("petitions:reopen"), {"code": code, "reason": "资料费没有退"}).content.decode()
    p.refresh_from_db()
    assert p.case.state == "handling" and p.reopened == 1 and p.rating is None
    assert "您的事项已重新办理" in page


def test_evidence_is_checked_before_anything_is_saved(client, tree, hotline):  # noqa: F811
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    bad = SimpleUploadedFile("收据.pdf", b"MZ\x90\x00 this is a program", content_type="application/pdf")
    r = client.post(reverse("petitions:public_intake"), {**_form(hotline), "attachment": bad})
    assert "不是允许的格式" in r.content.decode() and not Petition.objects.exists()
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buf, "PNG")
    good = SimpleUploadedFile("收据.png", buf.getvalue(), content_type="image/png")
    client.post(reverse("petitions:public_intake"), {**_form(hotline), "idempotency_key": "other", "attachment": good})
    case = Petition.objects.get().case
    assert case.attachments.get().name == "收据.png"


def test_the_subject_may_be_typed_as_pinyin_initials(client, tree, hotline):  # noqa: F811
    client.post(reverse("petitions:public_intake"), _form(hotline, subject="jqdyxx"))
    assert Petition.objects.get().school == tree.school  # 甲区第一小学
    client.post(reverse("petitions:public_intake"), _form(hotline, subject="dexx", description="又一件事", idempotency_key="abc-124"))
    assert Petition.objects.latest("pk").school.name == "甲区第二小学"  # from the start of a word, when only one


def test_staff_cannot_enter_a_rating_and_the_attempt_is_kept(client, tree, hotline, people):  # noqa: F811
    from edugov.audit.models import Entry
    from edugov.petitions import actions, routing

    r = client.post(reverse("petitions:public_intake"), _form(hotline))
    code = re.search(r"<strong>([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})</strong>", r.content.decode()).group(1)
    p = Petition.objects.get()
    actions.petition_triage(actor=people["operator"], petition=p, decision="valid")
    routing.petition_route(actor=people["operator"], petition=p, unit=tree.sibling_dept)
    actions.petition_close(actor=people["head"], petition=p, result="已处理", override_reason="已当面沟通")
    client.force_login(people["head"])
    page = client.post(reverse("petitions:rate"), {"code": code, "rating": 5, "resolution": "solved"}).content.decode()
    p.refresh_from_db()
    assert p.rating is None and "评价只能由投诉人本人提交" in page
    assert Entry.objects.filter(action="complaint.rate_refused", actor_id=people["head"].pk).exists()


def test_another_visitors_key_or_text_never_returns_their_code(client, tree, hotline):  # noqa: F811
    """Issue 22: the idempotency key and the 60-second duplicate check count only for the visitor
    who submitted; another visitor posting the same key, or the same words, gets a complaint of
    their own (linked as a possible duplicate), never the first complainant's query code."""
    from django.test import Client

    pattern = r"<strong>([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})</strong>"
    code = re.search(pattern, client.post(reverse("petitions:public_intake"), _form(hotline)).content.decode()).group(1)
    again = client.post(reverse("petitions:public_intake"), _form(hotline)).content.decode()
    assert code in again and Petition.objects.count() == 1  # the same visitor pressed twice
    for extra in ({}, {"idempotency_key": "fresh"}):
        stranger = Client().post(reverse("petitions:public_intake"), _form(hotline, **extra)).content.decode()
        assert code not in stranger and re.search(pattern, stranger)
    first, *others = Petition.objects.order_by("pk")
    assert len(others) == 2 and others[0].duplicate_of == first and others[1].duplicate_of in (first, others[0])


def test_open311_takes_no_longer_description_than_the_web_form(client, tree, hotline):  # noqa: F811
    from edugov.accounts.actions import api_key_create

    _key, key = api_key_create(actor=None, name="平台", organisation=tree.bureau)
    r = client.post("/open311/v2/requests.json", {"api_key": key, "service_code": str(hotline["乱收费"].pk),
                                                  "description": "长" * 210_000, "address_string": "某校"})
    assert r.status_code == 400 and "5000" in r.json()[0]["description"]
    assert not Petition.objects.exists()



def test_an_operator_cannot_file_a_call_as_a_web_or_open311_complaint(client, tree, hotline, people):
    """The channel counts in the figures: the operator's form offers only the channels a call comes by."""
    from django.urls import reverse

    from edugov.petitions.forms import IntakeForm

    form = IntakeForm(bureau=tree.bureau, public=False)
    assert {"web", "open311"}.isdisjoint(v for v, _label in form.fields["channel"].choices)
    client.force_login(people["operator"])
    page = client.post(reverse("petitions:intake"), {"channel": "open311", "description": "x"})
    assert page.status_code == 200 and not Petition.objects.exists()
