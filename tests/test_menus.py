"""Issue 27: a menu shows only what the role may open. Every entry of the staff menu, for every
role it is shown to, opens for a person holding that role (generated from the registered entries)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import ROLE_HOME
from edugov.accounts.navigation import ITEMS

CASES = sorted({(item.url_name, role) for item in ITEMS for role in item.roles})


@pytest.mark.parametrize("url_name, role", CASES)
def test_every_menu_entry_opens_for_the_roles_it_is_shown_to(url_name, role, tree, make_user, client):
    from edugov.petitions.models import Hotline

    Hotline.objects.get_or_create(organisation=tree.bureau, defaults={"office": tree.dept,
                                                                      "opened_on": "2024-03-01"})
    client.force_login(make_user(role, getattr(tree, ROLE_HOME[role])))
    response = client.get(reverse(url_name), follow=True)
    assert response.status_code == 200, f"{role} is shown “{url_name}” in the menu and gets {response.status_code}"
