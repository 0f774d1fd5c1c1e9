from __future__ import annotations

import json

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import actions, selectors


def public_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.published_draws()
    page = Paginator(qs.only("draw_id", "purpose", "drawn_at", "k", "candidates_digest"),
                     settings.EDUGOV["PAGE_SIZE"]).get_page(request.GET.get("page"))
    return render(request, "draws/list.html", {"page": page})


def public_detail(request: HttpRequest, draw_id: str) -> HttpResponse:
    draw = selectors.access_published_draw(draw_id)
    data = actions.bundle(draw)
    if request.GET.get("download") == "1":
        response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=1),
                                content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{draw.draw_id}.json"'
        return response
    return render(request, "draws/detail.html", {"draw": draw, "bundle": data,
                                                 "selected_preview": (draw.selected or [])[:200],
                                                 "candidate_count": len(draw.candidates)})
