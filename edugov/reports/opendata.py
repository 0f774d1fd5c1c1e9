"""The yearly reports as open data: the reports themselves (with the hash of each PDF) and every
figure they cite, as frozen when each was approved."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from edugov.kernel.publishing import Dataset, latest, register
from edugov.metrics import registry

from .models import AnnualReport, ReportState


def published() -> QuerySet[AnnualReport]:
    return AnnualReport.objects.filter(state=ReportState.PUBLISHED)


def _report_rows() -> Iterator[dict[str, Any]]:
    for r in published().select_related("organisation").order_by("-year", "-published_at"):
        yield {"year": r.year, "organisation": r.organisation.name, "title": r.title, "published_at": r.published_at,
               "pdf": reverse("reports:public_pdf", args=[r.pk]), "pdf_sha256": r.pdf_sha256}


def _figure_rows() -> Iterator[dict[str, Any]]:
    for report in published().select_related("organisation").order_by("-year", "organisation__code"):
        for key, fig in sorted(report.frozen_figures.items()):
            try:
                title = str(registry.get(key).title)
            except LookupError:  # a figure whose metric was retired since: the frozen value stands
                title = ""
            yield {"year": report.year, "organisation": report.organisation.name, "key": key, "title": title,
                   "value": fig.get("value"), "numerator": fig.get("numerator"),
                   "denominator": fig.get("denominator"), "display": fig.get("display", ""),
                   "frozen_at": report.frozen_at}


register(Dataset(
    "reports", _("Yearly rule-of-law reports"),
    _("Each published yearly report with its PDF and the PDF's SHA-256, to check a copy against."),
    (("year", _("Year")), ("organisation", _("Organisation")), ("title", _("Title")),
     ("published_at", _("Published at")), ("pdf", _("PDF")), ("pdf_sha256", _("SHA-256 of the PDF"))),
    _report_rows, lambda: latest(published(), "published_at"), lambda: published().count(), "reports:public",
    order=70))
register(Dataset(
    "figures", _("Figures of the yearly reports"),
    _("Every figure cited in a published yearly rule-of-law report, as frozen when the report was approved, "
      "with its numerator and denominator for rates."),
    (("year", _("Year")), ("organisation", _("Organisation")), ("key", _("Metric key")), ("title", _("Figure")),
     ("value", _("Value")), ("numerator", _("Numerator")), ("denominator", _("Denominator")),
     ("display", _("As written")), ("frozen_at", _("Frozen at"))),
    _figure_rows, lambda: latest(published(), "frozen_at"),
    lambda: sum(len(f) for f in published().values_list("frozen_figures", flat=True)), "reports:public", order=80))
