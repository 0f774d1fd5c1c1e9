"""Who may read the full-process record (全过程记录): auditors, system administrators and the
bureau's leaders, over the organisations their grants cover."""

from __future__ import annotations

from edugov.accounts.models import Organisation, Role, User
from edugov.accounts.permissions import has_role, has_role_over

LEDGER_READERS = {Role.AUDITOR, Role.SYSADMIN, Role.BUREAU_LEADER}


def can_read_ledger(actor: User | None) -> bool:
    """May open the ledger's pages at all (what they list is limited by `selectors.entries_for`)."""
    return has_role(actor, LEDGER_READERS)


def can_view_ledger(actor: User | None, org: Organisation) -> bool:
    """May read the entries of `org` (a case's page links to its entries)."""
    return has_role_over(actor, org, LEDGER_READERS)
