from __future__ import annotations

import json

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from edugov.kernel.replica import reads_replica

from . import actions, selectors
from .models import DrawState


@reads_replica
def public_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.published_draws()
    page = Paginator(qs.only("draw_id", "purpose", "committed_at", "drawn_at", "k", "candidates_digest"),
                     settings.EDUGOV["PAGE_SIZE"]).get_page(request.GET.get("page"))
    waiting = selectors.committed_draws().only("draw_id", "purpose", "committed_at", "commitment")[:50]
    return render(request, "draws/list.html", {"page": page, "waiting": waiting})


@reads_replica
def public_detail(request: HttpRequest, draw_id: str) -> HttpResponse:
    draw = selectors.access_public_draw(draw_id)
    if draw.state != DrawState.DRAWN:  # the commitment alone: what the draw will be checked against
        return render(request, "draws/detail.html", {"draw": draw, "bundle": None, "labelled": [],
                                                     "candidate_count": len(draw.candidates)})
    data = actions.bundle(draw)
    if request.GET.get("download") == "1":
        response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=1),
                                content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{draw.draw_id}.json"'
        return response
    labels = draw.labels or {}
    return render(request, "draws/detail.html", {
        "draw": draw, "bundle": data, "candidate_count": len(draw.candidates),
        "labelled": [(c, labels.get(c, "")) for c in (draw.selected or [])[:200]],
        "teams": [(team, [(c, labels.get(c, "")) for c in members]) for team, members in (draw.assignments or {}).items()]})
