"""What the ledger says of every case: its state, whether it is open, and when it closed
(audit.replay; `edugov audit verify --domain`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from edugov.audit.replay import Rows, register

from .models import Case
from .workflow import get_workflow


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds") if moment else None


class CaseStates(Rows):
    name = "cases"

    def __init__(self) -> None:
        super().__init__()
        self.terminal: dict[str, frozenset[str]] = {}

    def selects(self) -> str:
        return "target_type = 'cases.case' OR action LIKE '%.bulk!_%' ESCAPE '!'"

    def _set(self, kind: str, pk: Any, state: str, closed_at: str | None) -> None:
        if kind not in self.terminal:
            try:
                self.terminal[kind] = frozenset(get_workflow(kind).terminal)
            except (KeyError, LookupError, ValueError):
                self.terminal[kind] = frozenset()
        closed = state in self.terminal[kind]
        row: dict[str, Any] = {"state": state, "is_open": not closed, "closed": closed}
        if closed and closed_at:
            row["closed_at"] = closed_at
        self.rows[f"cases.case:{pk}"] = row

    def feed(self, action: str, target_type: str, target_id: str, body: dict[str, Any]) -> None:
        kind, _, step = action.partition(".")
        after, before = body.get("after") or {}, body.get("before") or {}
        acted = body.get("acted_at") or body.get("time")
        if target_type == "cases.case":
            if step == "open" and "state" in after or "state" in after and "state" in before:
                self._set(kind, target_id, after["state"], acted)
        elif step.startswith("bulk_") and "case_ids" in after:
            state = after.get("state") if step == "bulk_open" else after.get("to_state")
            for pk in after["case_ids"]:
                # A record taken over closed carries its own closing time, not the entry's.
                self._set(kind, pk, str(state), None if step == "bulk_open" else acted)

    def actual(self) -> dict[str, dict[str, Any]]:
        return {f"cases.case:{pk}": {"state": state, "is_open": is_open, "closed": closed_at is not None,
                                     "closed_at": _iso(closed_at)}
                for pk, state, is_open, closed_at in
                Case.objects.values_list("pk", "state", "is_open", "closed_at").iterator(chunk_size=5000)}


register(CaseStates)
