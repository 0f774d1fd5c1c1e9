"""The accounts app's own permission functions, every role against own scope, a child, the
parent and another district."""

import pytest

from edugov.accounts.models import Role
from edugov.accounts.permissions import can_administer_accounts, is_staff_user

T, F = True, False
# (own bureau, a school under it, the parent city, another district)
ADMINISTER = dict.fromkeys(Role.values, (F, F, F, F)) | {Role.SYSADMIN: (T, T, F, F)}


@pytest.mark.parametrize("role", list(Role))
def test_account_administration_by_role_and_scope(role, tree, grantee):
    user = grantee(role)
    scopes = (tree.bureau, tree.school_org, tree.city, tree.other_bureau)
    assert tuple(can_administer_accounts(user, s) for s in scopes) == ADMINISTER[role]
    assert is_staff_user(user)


def test_anonymous_and_public_users_hold_no_staff_scope(tree, make_user):
    from django.contrib.auth.models import AnonymousUser

    citizen = make_user()
    citizen.kind = "public"
    assert not is_staff_user(AnonymousUser()) and not is_staff_user(citizen)
