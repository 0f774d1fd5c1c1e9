"""Fixtures of the hotline shared by every test that needs them (registered in the root conftest:
a test module never imports another's fixtures)."""

import datetime as dt

import pytest

from edugov.accounts.models import Role
from edugov.petitions.models import Category, Hotline


@pytest.fixture
def hotline(tree):
    Hotline.objects.create(organisation=tree.bureau, office=tree.dept, opened_on=dt.date(2024, 3, 1))
    return {name: Category.objects.create(organisation=tree.bureau, name=name, position=i)
            for i, name in enumerate(["违规补课", "乱收费", "校园欺凌"])}


@pytest.fixture
def people(tree, make_user):
    return {"operator": make_user(Role.SUPERVISION_STAFF, tree.dept),
            "handler": make_user(Role.DEPARTMENT_STAFF, tree.sibling_dept),
            "head": make_user(Role.DEPARTMENT_HEAD, tree.sibling_dept)}
