"""What enforcement publishes as open data: inspection results and penalty decisions (一公开),
for as long as each stays published."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from edugov.kernel.publishing import CHUNK, Dataset, latest, register

from .models import Publication, PublicationKind


def published() -> QuerySet[Publication]:
    return Publication.objects.filter(taken_down_at__isnull=True, published_at__lte=timezone.now())


def _rows() -> Iterator[dict[str, Any]]:
    for p in published().select_related("organisation", "draw").order_by("-published_at", "-id").iterator(CHUNK):
        yield {"id": p.pk, "kind": p.kind, "title": p.title, "body": p.body, "organisation": p.organisation.name,
               "draw_id": p.draw.draw_id if p.draw else "", "published_at": p.published_at,
               "comes_down_on": p.take_down_on}


register(Dataset(
    "enforcement-results", _("Inspection results and penalty decisions"),
    _("What is published under 双随机、一公开, for as long as it stays published (five years; two for a "
      "natural person)."),
    (("id", _("Number")), ("kind", _("Kind")), ("title", _("Title")), ("body", _("Text")),
     ("organisation", _("Organisation")), ("draw_id", _("Draw")), ("published_at", _("Published at")),
     ("comes_down_on", _("Comes down on"))),
    _rows, lambda: latest(published(), "published_at"), lambda: published().count(), "enforcement:public", order=30,
    values={"kind": dict(PublicationKind.choices)}))
