import datetime as dt

import pytest
from django.urls import reverse

from edugov.accounts.models import Role
from edugov.kernel.errors import Conflict, PermissionDenied, ValidationFailed
from edugov.metrics import registry
from edugov.registries.models import Person, PersonKind
from edugov.schools import actions, selectors


def lvp(tree, n, born=dt.date(1980, 5, 1)):
    return Person.objects.create(organisation=tree.bureau, kind=PersonKind.LEGAL_VP, name=f"法副{n}",
                                 identity_number=f"50010119800501{n:03d}X", gender="M", birth_date=born,
                                 sending_agency="police", agency_name="甲区公安分局")


@pytest.fixture
def people(tree, make_user):
    return {"staff": make_user(Role.DEPARTMENT_STAFF, tree.dept), "admin": make_user(Role.SCHOOL_ADMIN, tree.school_org),
            "other_admin": make_user(Role.SCHOOL_ADMIN, tree.other_school_org)}


def test_appointments_follow_the_rules_and_the_figures_count_them(tree, people):
    start = dt.date(2024, 9, 1)

    def figure(key):
        return registry.compute(registry.get(key), registry.Period.year(2024), tree.bureau).display
    assert figure("legal_vp.public_school_coverage") == "0%"
    a = lvp(tree, 1)
    first = actions.appoint(actor=people["staff"], person=a, school=tree.school, starts_on=start)
    assert first.letter_number == "甲教法聘〔2024〕001号" and first.ends_on == dt.date(2027, 8, 31)
    with pytest.raises(Conflict):
        actions.appoint(actor=people["staff"], person=a, school=tree.school, starts_on=start)
    from edugov.registries.models import School

    s2 = School.objects.get(code="S2")
    actions.appoint(actor=people["staff"], person=a, school=s2, starts_on=start)
    third = School.objects.create(organisation=tree.bureau.__class__.objects.create(
        code="S9", name="甲区第九小学", kind="school", parent=tree.bureau), name="甲区第九小学", code="S9", level="primary")
    with pytest.raises(ValidationFailed, match="最多"):
        actions.appoint(actor=people["staff"], person=a, school=third, starts_on=start)
    with pytest.raises(ValidationFailed, match="65"):
        actions.appoint(actor=people["staff"], person=lvp(tree, 2, born=dt.date(1958, 1, 1)), school=third, starts_on=start)
    with pytest.raises(PermissionDenied):
        actions.appoint(actor=people["admin"], person=lvp(tree, 3), school=third, starts_on=start)
    assert [s.name for s in selectors.schools_without(tree.bureau, dt.date(2024, 12, 31))] == ["甲区第九小学"]
    actions.appoint(actor=people["staff"], person=lvp(tree, 4), school=third, starts_on=start)
    assert (figure("legal_vp.appointed"), figure("legal_vp.public_school_coverage")) == ("2名", "100%")
    replaced = actions.replace(actor=people["staff"], appointment=first, person=lvp(tree, 5), on=dt.date(2024, 12, 1),
                               reason="原派出所民警调离")
    assert replaced.replaces == first and figure("legal_vp.appointed") == "3名"  # 法副1 still serves S2


def test_class_hours_and_the_list_of_who_is_behind(tree, people):
    a = actions.appoint(actor=people["staff"], person=lvp(tree, 1), school=tree.school, starts_on=dt.date(2024, 9, 1))
    with pytest.raises(PermissionDenied):
        actions.log_class(actor=people["other_admin"], appointment=a, on=dt.date(2024, 10, 8), topic="宪法",
                          class_name="三年级一班", hours=2)
    with pytest.raises(ValidationFailed, match="0.5"):
        actions.log_class(actor=people["admin"], appointment=a, on=dt.date(2024, 10, 8), topic="宪法",
                          class_name="三年级一班", hours=12)
    actions.log_class(actor=people["admin"], appointment=a, on=dt.date(2024, 10, 8), topic="宪法", class_name="三年级一班",
                      hours=2)
    assert selectors.behind(tree.bureau, dt.date(2024, 11, 1)) == []  # not before the third quarter
    assert [(x.pk, h) for x, h in selectors.behind(tree.bureau, dt.date(2025, 3, 10))] == [(a.pk, 2)]
    actions.log_class(actor=people["admin"], appointment=a, on=dt.date(2025, 3, 5), topic="防欺凌", class_name="四年级二班",
                      hours=2)
    assert selectors.behind(tree.bureau, dt.date(2025, 3, 10)) == []
    e = actions.evaluate(actor=people["admin"], appointment=a, school_year=2024,
                         scores={"staff": 90, "students": 95, "parents": 88}, comment="认真负责")
    assert str(e.total) == "91.0" and e.sent_to == "甲区公安分局"
    with pytest.raises(Conflict):
        actions.evaluate(actor=people["admin"], appointment=a, school_year=2024,
                         scores={"staff": 90, "students": 95, "parents": 88}, comment="再评")


def test_the_pages(client, tree, people):
    a = actions.appoint(actor=people["staff"], person=lvp(tree, 1), school=tree.school, starts_on=dt.date(2024, 9, 1))
    client.force_login(people["staff"])
    page = client.get(reverse("schools:lvp_list")).content.decode()
    assert "没有法治副校长的公办学校" in page and "甲区第一小学" in page and "法副1" in page
    client.force_login(people["admin"])
    wrong = client.post(reverse("schools:lvp_class", args=[a.pk]), {
        "class-on": "2024-10-08", "class-topic": "宪法", "class-class_name": "三年级一班", "class-hours": "abc"})
    page = wrong.content.decode()
    # the action's refusal is the hours field's error, and what was typed stays in the form
    assert wrong.status_code == 400 and "课时数为数字" in page and 'value="三年级一班"' in page
    assert not a.sessions.exists()
    done = client.post(reverse("schools:lvp_class", args=[a.pk]), {
        "class-on": "2024-10-08", "class-topic": "宪法", "class-class_name": "三年级一班", "class-hours": "1.5"})
    assert done.status_code == 302 and a.sessions.get().hours == 1.5
    word = client.get(reverse("schools:lvp_letter", args=[a.pk]))
    assert word.status_code == 200
    client.force_login(people["other_admin"])
    assert client.get(reverse("schools:lvp", args=[a.pk])).status_code == 403


def test_a_class_photo_is_checked_and_hashed_and_the_map_marks_the_uncovered(tree, people):
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile

    from edugov.audit.models import Entry
    from edugov.registries.models import School

    png = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00"
           b"\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82")
    a = actions.appoint(actor=people["staff"], person=lvp(tree, 1), school=tree.school, starts_on=dt.date(2024, 9, 1))
    with pytest.raises(ValidationFailed):
        actions.log_class(actor=people["admin"], appointment=a, on=dt.date(2024, 10, 8), topic="宪法", class_name="一班",
                          hours=1, photo=SimpleUploadedFile("a.png", b"not an image at all", "image/png"))
    assert not a.sessions.exists()
    s = actions.log_class(actor=people["admin"], appointment=a, on=dt.date(2024, 10, 8), topic="宪法", class_name="一班",
                          hours=1, photo=SimpleUploadedFile("a.png", png, "image/png"))
    assert s.photo_sha256 and s.photo_sha256 in Entry.objects.filter(action="legal_vp.class").get().body
    School.objects.filter(pk=tree.school.pk).update(latitude=Decimal("30.8"), longitude=Decimal("108.2"))
    School.objects.filter(code="S2").update(latitude=Decimal("30.7"), longitude=Decimal("108.5"))
    points = {p["name"]: p for p in selectors.coverage_map(tree.bureau, dt.date(2024, 12, 1))}
    assert points[tree.school.name]["covered"] is True and points["甲区第二小学"]["covered"] is False


def test_a_term_starting_on_29_february_ends_without_an_error(tree, people):
    a = actions.appoint(actor=people["staff"], person=lvp(tree, 7), school=tree.school, starts_on=dt.date(2024, 2, 29))
    assert a.ends_on == dt.date(2027, 2, 27)
