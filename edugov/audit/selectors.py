from __future__ import annotations

from django.db.models import QuerySet

from edugov.accounts.models import User
from edugov.accounts.permissions import path_filter, reading_paths

from .models import Entry
from .permissions import LEDGER_READERS


def entries_for(actor: User | None) -> QuerySet[Entry]:
    """Entries of organisations under the actor's ledger-reading grants."""
    paths = reading_paths(actor, LEDGER_READERS)
    if not paths:
        return Entry.objects.none()
    return Entry.objects.filter(path_filter(paths, "organisation__path"))
