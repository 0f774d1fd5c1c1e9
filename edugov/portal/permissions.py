"""Who sees what on the portal. Everything but "my matters" is published for anyone; "my matters"
is a signed-in citizen's own (staff are sent to their workbench)."""

from __future__ import annotations

from edugov.accounts.models import User
from edugov.accounts.permissions import is_staff_user


def has_own_matters(actor: User | None) -> bool:
    return actor is not None and actor.is_authenticated and not is_staff_user(actor)
