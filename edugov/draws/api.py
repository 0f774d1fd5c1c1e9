from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from . import actions, selectors

router = Router(tags=["draws"])
PAGE = 50
MAX_PAGE = 100_000  # 5,000,000 draws; a larger page number is a mistake, not a page (and overflows OFFSET)


class DrawListItem(Schema):
    draw_id: str
    purpose: str
    drawn_at: str


@router.get("/draws", response=list[DrawListItem], summary="Published draws, newest first (?page=1, 50 a page)")
def published(request: HttpRequest, page: int = Query(1, ge=1, le=MAX_PAGE)) -> list[dict[str, Any]]:  # noqa: B008
    rows = (selectors.published_draws().values("draw_id", "purpose", "drawn_at")[(page - 1) * PAGE:page * PAGE])
    return [{**r, "drawn_at": r["drawn_at"].isoformat() if r["drawn_at"] else ""} for r in rows]


@router.get("/draws/{draw_id}/bundle", summary="A published draw's bundle (INTERFACES.md, version 1)")
def draw_bundle(request: HttpRequest, draw_id: str) -> dict[str, Any]:
    draw = selectors.published_draws().filter(draw_id=draw_id).first()
    if draw is None:
        raise HttpError(404, "no published draw with that id")
    return actions.bundle(draw)
