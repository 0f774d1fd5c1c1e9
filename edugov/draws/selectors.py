"""Reads of published draws (一公开): anyone may read a drawn draw; one not yet drawn is not there."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from .models import Draw, DrawState


def published_draws() -> QuerySet[Draw]:
    return Draw.objects.filter(state=DrawState.DRAWN).order_by("-drawn_at", "-id")


def access_published_draw(draw_id: str) -> Draw:
    draw = published_draws().filter(draw_id=draw_id).first()
    if draw is None:
        raise Http404
    return draw
