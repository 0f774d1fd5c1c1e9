"""Who reads the full-process record: every role against own scope, a child, the parent and
another district."""

import pytest

from edugov.accounts.models import Role
from edugov.audit.permissions import can_read_ledger, can_view_ledger

T, F = True, False
# (own bureau, a school under it, the parent city, another district)
LEDGER = dict.fromkeys(Role.values, (F, F, F, F)) | {
    Role.SYSADMIN: (T, T, F, F), Role.AUDITOR: (T, T, F, F), Role.BUREAU_LEADER: (T, T, F, F)}


@pytest.mark.parametrize("role", list(Role))
def test_ledger_access_by_role_and_scope(role, tree, grantee):
    user = grantee(role)
    scopes = (tree.bureau, tree.school_org, tree.city, tree.other_bureau)
    assert tuple(can_view_ledger(user, s) for s in scopes) == LEDGER[role]
    assert can_read_ledger(user) == any(LEDGER[role])


def test_a_citizen_reads_no_ledger(tree, make_user):
    citizen = make_user()
    citizen.kind = "public"
    assert not can_view_ledger(citizen, tree.bureau) and not can_read_ledger(citizen)
