"""What the ledger says of each online service rating (一事一评): its levels
(audit.replay; `edugov audit verify --domain`)."""

from __future__ import annotations

from typing import Any

from edugov.audit.replay import Rows, register

from .models import Rating


class ServiceRatings(Rows):
    name = "service ratings"

    def selects(self) -> str:
        return "action = 'service.rate'"

    def feed(self, action: str, target_type: str, target_id: str, body: dict[str, Any]) -> None:
        after = body.get("after") or {}
        self.rows[f"services.rating:case-{target_id}"] = {"level": after.get("level"),
                                                          "clerk_level": after.get("clerk_level")}

    def actual(self) -> dict[str, dict[str, Any]]:
        return {f"services.rating:case-{case}": {"level": level, "clerk_level": clerk_level}
                for case, level, clerk_level in Rating.objects.filter(application__isnull=False)
                .values_list("application__case_id", "level", "clerk_level").iterator(chunk_size=5000)}


register(ServiceRatings)
