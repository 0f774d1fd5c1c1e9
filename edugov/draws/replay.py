"""What the ledger says of every draw: its commitment and, once drawn, its secret and selection
(audit.replay; `edugov audit verify --domain`)."""

from __future__ import annotations

from typing import Any

from edugov.audit.replay import Rows, register

from .models import Draw, DrawState


class DrawStates(Rows):
    name = "draws"

    def selects(self) -> str:
        return "target_type = 'draws.draw'"

    def feed(self, action: str, target_type: str, target_id: str, body: dict[str, Any]) -> None:
        after = body.get("after") or {}
        key = f"draws.draw:{target_id}"
        if action == "draw.commit":
            self.rows[key] = {"state": DrawState.COMMITTED.value, "draw_id": after.get("draw_id"), "k": after.get("k"),
                              "candidates_digest": after.get("candidates_digest"),
                              "commitment": after.get("commitment")}
        elif action == "draw.reveal" and key in self.rows:
            self.rows[key].update(state=DrawState.DRAWN.value, secret=after.get("secret"),
                                  public_value=after.get("public_value"), selected=after.get("selected"),
                                  selected_count=after.get("selected_count"))

    def actual(self) -> dict[str, dict[str, Any]]:
        rows = {}
        for d in Draw.objects.only("pk", "state", "draw_id", "k", "candidates_digest", "commitment", "secret",
                                   "public_value", "selected").iterator(chunk_size=500):
            rows[f"draws.draw:{d.pk}"] = {
                "state": d.state, "draw_id": d.draw_id, "k": d.k, "candidates_digest": d.candidates_digest,
                "commitment": d.commitment, "secret": d.secret or None, "public_value": d.public_value,
                "selected": list(d.selected or [])[:200], "selected_count": len(d.selected or [])}
        return rows


register(DrawStates)
