"""The demo city (issue 33): `edugov democity` adds districts as tenants of one installation; each is
a bureau with its own hotline, categories, schools and accounts, and one district's staff see
nothing of another's complaints."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from edugov.accounts.models import Organisation, OrgKind, User
from edugov.cases.selectors import visible_cases
from edugov.demo.city import generate_city
from edugov.petitions import actions
from edugov.petitions.models import Category, Hotline
from edugov.registries.models import School


@pytest.fixture
def city(db):
    return generate_city(3, schools=4)


def test_each_district_is_a_tenant_with_its_own_hotline_schools_and_accounts(city):
    assert city == {"districts": 3, "schools": 12, "accounts": 6}
    districts = Organisation.objects.filter(kind=OrgKind.BUREAU, code__startswith="CD").order_by("code")
    assert [d.code for d in districts] == ["CD01", "CD02", "CD03"]
    assert {d.parent.kind for d in districts} == {OrgKind.CITY}
    for d in districts:
        assert Hotline.objects.get(organisation=d).office.code == f"{d.code}-sup"
        assert School.objects.filter(organisation__parent=d).count() == 4
        assert Category.objects.filter(organisation=d).count() == 9
    assert generate_city(4, schools=4) == {"districts": 1, "schools": 4, "accounts": 2}  # the three kept as they were
    with pytest.raises(ValueError):
        generate_city(39)


def test_one_districts_staff_see_nothing_of_anothers_complaints(city):
    one, two = (Organisation.objects.get(code=c) for c in ("CD01", "CD02"))
    got = actions.petition_intake(actor=None, organisation=one, channel="web",
                                  category=Category.objects.get(organisation=one, name="乱收费"),
                                  description="课后服务收费过高", subject_text="城南某培训点")
    mine, theirs = User.objects.get(username="cd01-sup"), User.objects.get(username="cd02-sup")
    assert got.petition.case in visible_cases(mine)
    assert not visible_cases(theirs).filter(pk=got.petition.case.pk).exists()
    client = Client()
    client.force_login(theirs)
    page = client.get(f"/cases/{got.petition.case.pk}/")
    assert page.status_code == 403 and "课后服务收费过高" not in page.content.decode()
    assert not Hotline.objects.filter(organisation=two, office__parent=one).exists()


def test_the_command_refuses_a_count_out_of_range(db):
    with pytest.raises(CommandError, match="1 to 38"):
        call_command("democity", "--districts", "0")
