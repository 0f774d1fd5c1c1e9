"""Reads of yearly reports, limited to what the actor may see (kernel.access's shape)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation, User
from edugov.kernel.access import access

from .models import AnnualReport, ReportState
from .permissions import can_read_report


def access_report(actor: User, pk: object, for_: str = "read") -> AnnualReport:
    return access(AnnualReport.objects.select_related("organisation"), pk,
                  lambda r: can_read_report(actor, r.organisation), _("You may not read this report."))


def access_published_report(pk: object) -> AnnualReport:
    """A published report: anyone may read it; any other is not there at all."""
    return access(AnnualReport.objects.filter(state=ReportState.PUBLISHED), pk, lambda r: True, "")


def reports_of(bureau: Organisation) -> QuerySet[AnnualReport]:
    return AnnualReport.objects.filter(organisation=bureau)


def published_reports() -> QuerySet[AnnualReport]:
    return AnnualReport.objects.filter(state=ReportState.PUBLISHED).select_related("organisation")


def report_of_case(case: Any) -> AnnualReport | None:
    """The report a case of kind `report` carries (for its case page)."""
    return AnnualReport.objects.filter(case=case).first()


def ogi_reports_published() -> Any:
    from .models import OgiReport

    return OgiReport.objects.select_related("organisation").order_by("-year")


def access_published_ogi_report(pk: object) -> Any:
    """A published yearly disclosure report (404 for any other id)."""
    from edugov.kernel.access import access

    return access(ogi_reports_published(), pk, lambda _r: True, "")


def ogi_report_of(org: Any, year: int) -> Any:
    from .models import OgiReport

    return OgiReport.objects.filter(organisation=org, year=year).first()
