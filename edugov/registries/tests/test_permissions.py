"""Every role against its own scope, a sibling, a parent and another district, for each
permission function of the foundation. A new role or function must add its row here."""

import pytest

from edugov.accounts.models import Role
from edugov.registries import permissions as reg

# where each role is granted in the test tree

# scopes: own school, sibling school, the school's parent bureau, a school of another district
T, F = True, False
SCHOOL_VIEW = {  # role: (own school, sibling school, parent bureau, other district school)
    Role.BUREAU_LEADER: (T, T, T, F), Role.DEPARTMENT_HEAD: (T, T, T, F), Role.DEPARTMENT_STAFF: (T, T, T, F),
    Role.WINDOW_CLERK: (T, T, T, F), Role.ENFORCEMENT_OFFICER: (T, T, T, F), Role.LEGAL_REVIEWER: (T, T, T, F),
    Role.SUPERVISION_STAFF: (T, T, T, F), Role.SCHOOL_ADMIN: (T, F, F, F), Role.LEGAL_VP: (T, F, F, F),
    Role.AUDITOR: (T, T, T, F), Role.SYSADMIN: (T, T, T, F),
}
SCHOOL_EDIT = {
    Role.BUREAU_LEADER: (F, F, F, F), Role.DEPARTMENT_HEAD: (T, T, T, F), Role.DEPARTMENT_STAFF: (T, T, T, F),
    Role.WINDOW_CLERK: (F, F, F, F), Role.ENFORCEMENT_OFFICER: (F, F, F, F), Role.LEGAL_REVIEWER: (F, F, F, F),
    Role.SUPERVISION_STAFF: (F, F, F, F), Role.SCHOOL_ADMIN: (T, F, F, F), Role.LEGAL_VP: (F, F, F, F),
    Role.AUDITOR: (F, F, F, F), Role.SYSADMIN: (T, T, T, F),
}
PEOPLE_VIEW = {  # (own bureau, sibling bureau = other district, parent city)
    Role.BUREAU_LEADER: (T, F, F), Role.DEPARTMENT_HEAD: (T, F, F), Role.DEPARTMENT_STAFF: (T, F, F),
    Role.WINDOW_CLERK: (F, F, F), Role.ENFORCEMENT_OFFICER: (T, F, F), Role.LEGAL_REVIEWER: (T, F, F),
    Role.SUPERVISION_STAFF: (T, F, F), Role.SCHOOL_ADMIN: (F, F, F), Role.LEGAL_VP: (F, F, F),
    Role.AUDITOR: (T, F, F), Role.SYSADMIN: (T, F, F),
}
UNMASK = {r: (r == Role.SYSADMIN, False, False) for r in Role.values}
IMPORT = {r: (r in {Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF, Role.SYSADMIN}, False, False) for r in Role.values}


@pytest.mark.parametrize("role", list(Role))
def test_school_view_and_edit_by_role_and_scope(role, tree, grantee):
    user = grantee(role)
    scopes = (tree.school_org, tree.other_school_org, tree.bureau, tree.other_district_school.organisation)
    assert tuple(reg.can_view_school(user, s) for s in scopes) == SCHOOL_VIEW[role]
    assert tuple(reg.can_edit_school(user, s) for s in scopes) == SCHOOL_EDIT[role]


@pytest.mark.parametrize("role", list(Role))
def test_people_registry_by_role_and_scope(role, tree, grantee):
    user = grantee(role)
    scopes = (tree.bureau, tree.other_bureau, tree.city)
    assert tuple(reg.can_view_people(user, s) for s in scopes) == PEOPLE_VIEW[role]
    assert tuple(reg.can_unmask_people(user, s) for s in scopes) == UNMASK[role]
    assert tuple(reg.can_import(user, s) for s in scopes) == IMPORT[role]


def test_a_revoked_grant_and_a_public_user_see_nothing(tree, make_user):
    from edugov.accounts.models import Grant, UserKind

    user = make_user(Role.BUREAU_LEADER, tree.bureau)
    Grant.objects.filter(user=user).update(active=False)
    assert not reg.can_view_school(user, tree.school_org)
    citizen = make_user()
    citizen.kind = UserKind.PUBLIC
    citizen.save()
    assert not reg.can_view_school(citizen, tree.school_org)

