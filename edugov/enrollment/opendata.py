"""Enrollment as open data: for each intake with published results, each school's places and
admissions (counts only: the masked names stay on the results page)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from edugov.kernel.publishing import Dataset, latest, register

from .models import Application, IntakeState, Plan

PUBLISHED = (IntakeState.RESULTS, IntakeState.CLOSED)


def published_plans() -> QuerySet[Plan]:
    return Plan.objects.filter(intake__state__in=PUBLISHED)


def _rows() -> Iterator[dict[str, Any]]:
    admitted = {(r["intake_id"], r["school_id"]): r["n"] for r in
                Application.objects.filter(intake__state__in=PUBLISHED, school__isnull=False)
                .values("intake_id", "school_id").annotate(n=Count("id"))}
    for p in published_plans().select_related("intake", "school").order_by("-intake__year", "intake_id", "school__code"):
        yield {"year": p.intake.year, "intake": p.intake.title, "school_code": p.school.code,
               "school": p.school.name, "places": p.places, "admitted": admitted.get((p.intake_id, p.school_id), 0),
               "results_published_at": p.intake.results_published_at}


register(Dataset(
    "enrollment-places", _("Enrollment places and admissions"),
    _("For each intake whose results are published: each school's places and how many children it admitted."),
    (("year", _("Year")), ("intake", _("Intake")), ("school_code", _("School code")), ("school", _("School name")),
     ("places", _("Places")), ("admitted", _("Admitted")), ("results_published_at", _("Results published at"))),
    _rows, lambda: latest(published_plans(), "intake__results_published_at"), lambda: published_plans().count(),
    "enrollment:intakes", order=60))
