from __future__ import annotations

from edugov.accounts.models import Organisation, User
from edugov.accounts.permissions import can_read_within


def can_view_figures(actor: User | None, org: Organisation) -> bool:
    """Staff read the figures of the organisations they may read (a department's staff: their
    district); school staff their own school's."""
    return can_read_within(actor, org)
