from __future__ import annotations

import datetime as dt

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


def witness_rows() -> list[dict[str, object]]:
    """Each configured witness (public facts only: label, key, the newest size it cosigned)."""
    from . import witnessing
    from .models import Cosignature

    rows: list[dict[str, object]] = []
    for w in witnessing.configured():
        try:
            key = w.key()
        except Exception:  # noqa: BLE001 - a missing folder is shown as such, not a server error
            rows.append({"label": w.label, "vkey": "", "size": None, "at": None})
            continue
        last = Cosignature.objects.filter(witness=key.name).order_by("-tree_size").first()
        rows.append({"label": w.label, "vkey": str(key), "size": last.tree_size if last else None,
                     "at": dt.datetime.fromtimestamp(last.timestamp, dt.UTC) if last else None})
    return rows


def quarantined_count() -> int:
    from .models import Quarantine

    return Quarantine.objects.filter(released=False).count()
