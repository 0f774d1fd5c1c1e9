"""Issue 23, domain replay: a case's state changed in its own table leaves the ledger intact and is
named by `edugov audit verify --domain` (the same attack on the demo: tests/test_ledger_attacks.py)."""

import pytest

from edugov.accounts.models import Role
from edugov.audit import ledger
from edugov.audit.replay import replay

pytestmark = pytest.mark.django_db


def test_domain_replay_names_a_case_state_changed_in_its_table(tree, make_user, audit_verify):
    """Attack 4: a case's state changed in its own table: the ledger is intact, the replay is not."""
    from edugov.cases import actions as engine
    from edugov.cases.models import Case

    clerk = make_user(Role.SUPERVISION_STAFF, tree.bureau)
    case = engine.case_open(actor=clerk, kind="petition", organisation=tree.bureau, title="食堂卫生")
    ledger.integrate()
    assert replay() == []
    Case.objects.filter(pk=case.pk).update(state="closed", is_open=False)
    found = replay()
    assert [str(d) for d in found if d.field == "state"] == [
        f"cases.case:{case.pk} state: the ledger says '{case.state}', the table holds 'closed'"]
    status, _out, err = audit_verify("--domain")
    assert status == 1 and f"cases.case:{case.pk} state" in err


