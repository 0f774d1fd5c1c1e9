import pytest
from django.urls import reverse

from edugov.accounts.models import Role
from edugov.audit.models import Entry
from edugov.registries.models import Person


def test_a_school_administrator_sees_their_school_and_not_another(client, tree, make_user):
    client.force_login(make_user(Role.SCHOOL_ADMIN, tree.school_org))
    listing = client.get(reverse("registries:schools")).content.decode()
    assert tree.school.name in listing and tree.other_school.name not in listing
    assert client.get(tree.school.get_absolute_url()).status_code == 200
    assert client.get(tree.other_school.get_absolute_url()).status_code == 403
    assert client.get(tree.other_district_school.get_absolute_url()).status_code == 403


def test_a_school_administrator_edits_contact_details_only(client, tree, make_user):
    client.force_login(make_user(Role.SCHOOL_ADMIN, tree.school_org))
    r = client.post(reverse("registries:school_edit", args=[tree.school.pk]),
                    {"address": "新地址1号", "principal": "王校长", "contact_phone": "023-1234567",
                     "enrolled_students": 640, "name": "改名", "level": "senior"})
    assert r.status_code == 302
    tree.school.refresh_from_db()
    assert tree.school.address == "新地址1号" and tree.school.name == "甲区第一小学" and tree.school.level == "primary"
    entry = Entry.objects.get(action="school.update")
    assert "新地址1号" in entry.body


def test_search_by_pinyin_initials_and_filters(client, tree, make_user):
    client.force_login(make_user(Role.DEPARTMENT_STAFF, tree.dept))
    html = client.get(reverse("registries:schools") + "?q=jqdy").content.decode()
    assert tree.school.name in html and tree.other_school.name not in html
    html = client.get(reverse("registries:schools") + "?q=dexx").content.decode()  # 甲区第二小学: from 第二
    assert "甲区第二小学" in html and tree.school.name not in html


@pytest.fixture
def person(tree):
    return Person.objects.create(organisation=tree.bureau, kind="legal_vp", name="何勇", identity_number="11010519491231002X",
                                 phone="13812345678", gender="F", birth_date="1949-12-31", sending_agency="police",
                                 agency_name="甲区公安分局")


def test_people_are_masked_and_an_unmasked_view_is_logged(client, tree, make_user, person):
    client.force_login(make_user(Role.DEPARTMENT_HEAD, tree.dept))
    html = client.get(person.get_absolute_url() + "?unmask=1").content.decode()
    assert "1101**********002X" in html and "11010519491231002X" not in html and "138****5678" in html
    assert not Entry.objects.filter(action="person.unmask").exists()
    client.force_login(make_user(Role.SYSADMIN, tree.bureau))
    html = client.get(person.get_absolute_url() + "?unmask=1").content.decode()
    assert "11010519491231002X" in html
    assert Entry.objects.filter(action="person.unmask", target_id=str(person.pk)).count() == 1


def test_people_search_by_full_identity_number_and_add_with_a_bad_number(client, tree, make_user, person):
    client.force_login(make_user(Role.DEPARTMENT_STAFF, tree.dept))
    assert "何勇" in client.get(reverse("registries:people") + "?q=11010519491231002x").content.decode()
    r = client.post(reverse("registries:person_new"), {"kind": "staff", "name": "新人", "identity_number": "110105194912310021"})
    assert r.status_code == 200 and Person.objects.count() == 1
    assert "身份证号校验位不正确，请核对第18位" in r.content.decode()


def test_school_admin_and_window_clerk_cannot_open_the_people_registry(client, tree, make_user):
    for role, org in [(Role.SCHOOL_ADMIN, tree.school_org), (Role.WINDOW_CLERK, tree.dept)]:
        client.force_login(make_user(role, org))
        assert client.get(reverse("registries:people")).status_code == 403
