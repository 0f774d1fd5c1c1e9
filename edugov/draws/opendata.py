"""The published draws as open data; each row links the bundle that re-runs it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from edugov.kernel.publishing import CHUNK, Dataset, latest, register

from .models import Draw, DrawState


def published() -> QuerySet[Draw]:
    return Draw.objects.filter(state=DrawState.DRAWN)


def _rows() -> Iterator[dict[str, Any]]:
    # candidates, order and selection stay in each draw's bundle (they can be long): the row links it
    qs = published().values("draw_id", "purpose", "organisation__name", "committed_at", "drawn_at", "k",
                            "candidates_digest", "commitment").order_by("-drawn_at", "-id")
    for d in qs.iterator(CHUNK):
        yield {"draw_id": d["draw_id"], "purpose": d["purpose"], "organisation": d["organisation__name"],
               "committed_at": d["committed_at"], "drawn_at": d["drawn_at"], "k": d["k"],
               "candidates_digest": d["candidates_digest"], "commitment": d["commitment"],
               "bundle": f"/api/v1/public/draws/{d['draw_id']}/bundle"}


register(Dataset(
    "draws", _("Random draws"),
    _("Every published draw (inspection targets and inspectors, samples, enrollment lotteries) with its "
      "commitment; each bundle can be re-run to check the outcome."),
    (("draw_id", _("Draw")), ("purpose", _("Purpose")), ("organisation", _("Organisation")),
     ("committed_at", _("Committed at")), ("drawn_at", _("Drawn at")), ("k", _("Number drawn")),
     ("candidates_digest", _("Candidate list digest")), ("commitment", _("Commitment hash")), ("bundle", _("Bundle"))),
    _rows, lambda: latest(published(), "drawn_at"), lambda: published().count(), "draws:public_list", order=40))
