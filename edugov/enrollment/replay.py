"""What the ledger says of each parent's satisfaction answer (audit.replay; `audit verify --domain`)."""

from __future__ import annotations

from typing import Any

from edugov.audit.replay import Rows, register

from .models import Application


class EnrollmentRatings(Rows):
    name = "enrollment ratings"

    def selects(self) -> str:
        return "action IN ('enrollment.rate', 'enrollment.import_ratings')"

    def feed(self, action: str, target_type: str, target_id: str, body: dict[str, Any]) -> None:
        after = body.get("after") or {}
        if action == "enrollment.import_ratings":  # answers taken over with the applications
            for case, level in after.get("ratings", []):
                self.rows[f"enrollment.application:case-{case}"] = {"satisfaction": level}
        else:
            self.rows[f"enrollment.application:case-{target_id}"] = {"satisfaction": after.get("level")}

    def actual(self) -> dict[str, dict[str, Any]]:
        return {f"enrollment.application:case-{case}": {"satisfaction": level}
                for case, level in Application.objects.filter(satisfaction__isnull=False, case__isnull=False)
                .values_list("case_id", "satisfaction").iterator(chunk_size=5000)}


register(EnrollmentRatings)
