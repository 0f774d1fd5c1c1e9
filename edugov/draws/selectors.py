"""Reads of published draws (一公开): anyone may read a drawn draw, and the commitment of one not
yet drawn (its hash, its candidate list's digest and when it was made: what makes the later draw
checkable); the sealed secret stays sealed until the draw."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from .models import Draw, DrawState


def published_draws() -> QuerySet[Draw]:
    return Draw.objects.filter(state=DrawState.DRAWN).order_by("-drawn_at", "-id")


def committed_draws() -> QuerySet[Draw]:
    """Commitments published and waiting for their draw, oldest first."""
    return Draw.objects.filter(state=DrawState.COMMITTED).order_by("committed_at", "id")


def access_published_draw(draw_id: str) -> Draw:
    draw = published_draws().filter(draw_id=draw_id).first()
    if draw is None:
        raise Http404
    return draw


def access_public_draw(draw_id: str) -> Draw:
    """A drawn draw, or a published commitment waiting for its draw."""
    draw = Draw.objects.filter(draw_id=draw_id).first()
    if draw is None:
        raise Http404
    return draw
