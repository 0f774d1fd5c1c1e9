import pytest

from edugov.accounts.models import Role
from edugov.draws.permissions import can_run_draw

RUNS_DRAWS = {Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF, Role.ENFORCEMENT_OFFICER, Role.SUPERVISION_STAFF,
              Role.SYSADMIN}


@pytest.mark.parametrize("role", list(Role))
def test_who_may_run_draws_by_role_and_scope(role, tree, grantee):
    user = grantee(role)
    # (own bureau, another district, the parent city)
    expected = (role in RUNS_DRAWS, False, False)
    assert tuple(can_run_draw(user, s) for s in (tree.bureau, tree.other_bureau, tree.city)) == expected
