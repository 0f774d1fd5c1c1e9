"""Fixtures of the service catalogue shared by every test that needs them (registered in the root
conftest)."""

from __future__ import annotations

import pytest

from edugov.accounts.models import Role, User, UserKind
from edugov.services import catalogue
from edugov.services.models import ServiceItem
from edugov.services.tests.support import MATERIALS, item_values


@pytest.fixture
def staff(tree, make_user):
    head = make_user(Role.DEPARTMENT_HEAD, tree.sibling_dept, username="head")
    clerk = make_user(Role.WINDOW_CLERK, tree.sibling_dept, username="clerk")
    return head, clerk


@pytest.fixture
def item(tree, staff):
    head, _clerk = staff
    it = catalogue.item_save(actor=head, bureau=tree.bureau, values=item_values(tree), materials=MATERIALS)
    catalogue.item_publish(actor=head, item=it, note="首次发布")
    return ServiceItem.objects.get(pk=it.pk)


@pytest.fixture
def citizen(db):
    return User.objects.create_user(username="p13800000001", kind=UserKind.PUBLIC, phone="13800000001")
