"""Issue 27: a menu shows only what the role may open. Every entry of the staff menu (the domain
apps' registered entries and the ones the navigation adds itself), for every role, opens for a
person holding that role; and every page names the district, not the software."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from conftest import ROLE_HOME
from edugov.accounts.context_processors import navigation
from edugov.accounts.models import Role


@pytest.mark.parametrize("role", sorted(Role.values))
def test_every_menu_entry_opens_for_the_role_it_is_shown_to(role, tree, make_user, client):
    from edugov.petitions.models import Hotline

    Hotline.objects.get_or_create(organisation=tree.bureau, defaults={"office": tree.dept, "opened_on": "2024-03-01"})
    user = make_user(role, getattr(tree, ROLE_HOME[role]))
    request = RequestFactory().get("/")
    request.user = user
    entries = navigation(request)["staff_nav"]
    assert entries, role
    client.force_login(user)
    for label, url in entries:
        response = client.get(url, follow=True)
        assert response.status_code == 200, f"{role} is shown “{label}” ({url}) and gets {response.status_code}"


def test_pages_are_titled_with_the_district_and_have_an_icon(tree, client, settings, make_user):
    settings.EDUGOV = {**settings.EDUGOV, "DISTRICT_NAME": "甲区教育委员会"}
    page = client.get("/").content.decode()
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "edugov" not in title and title.endswith("· 甲区教育委员会")
    assert 'rel="icon"' in page and "<span>甲区教育委员会</span>" in page
    client.force_login(make_user(Role.DEPARTMENT_STAFF, tree.dept))  # staff: their own district
    title = client.get("/cases/").content.decode().split("<title>", 1)[1].split("</title>", 1)[0]
    assert title.endswith(f"· {tree.bureau.name}")
