"""The yearly rule-of-law report (法治政府建设年度报告): a body written by staff with figure
placeholders, reviewed by the legal department and the leader, frozen with its figure snapshot
and the hashes of its Word and PDF in the ledger, then published."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from edugov.accounts.models import Organisation


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    LEGAL_REVIEW = "legal_review", _("With the legal department")
    LEADER_REVIEW = "leader_review", _("With the leader")
    APPROVED = "approved", _("Approved and frozen")
    PUBLISHED = "published", _("Published")


class AnnualReport(models.Model):
    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="annual_reports",
                                     verbose_name=_("organisation"))
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"), help_text=_("“# ” starts a heading 一、, “## ” a heading （一）, “### ” a "
                                                  "heading 1.; {{figure.key}} is replaced by the figure."))
    # the state of `case` (the case engine runs the approval, reports.workflow); kept here, written
    # only by the report's actions right after the engine's step, for the public lists' queries
    state = models.CharField(_("state"), max_length=20, choices=ReportState.choices, default=ReportState.DRAFT)
    case = models.OneToOneField("cases.Case", models.PROTECT, null=True, blank=True, related_name="annual_report")
    frozen_figures = models.JSONField(default=dict, blank=True)
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)
    docx = models.FileField(upload_to="reports/", blank=True)
    pdf = models.FileField(upload_to="reports/", blank=True)
    docx_sha256 = models.CharField(max_length=64, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["-year", "organisation"]
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="one_report_per_year")]
        verbose_name = _("yearly report")
        verbose_name_plural = _("yearly reports")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reports:detail", args=[self.pk])

    @property
    def frozen(self) -> bool:
        return self.state in (ReportState.APPROVED, ReportState.PUBLISHED)


class ReviewStep(models.Model):
    """The review history of reports approved before the case engine ran their approval
    (2026-12); kept read-only, shown beside the case's events. Nothing writes it any more."""

    report = models.ForeignKey(AnnualReport, models.CASCADE, related_name="steps")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    from_state = models.CharField(max_length=20, choices=ReportState.choices)
    to_state = models.CharField(max_length=20, choices=ReportState.choices)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.report} {self.from_state} → {self.to_state}"


class OgiReport(models.Model):
    """A published yearly report on government information disclosure: its tables frozen from the
    records on the day it was published (reports.ogi), with the two sections staff write."""

    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="+", verbose_name=_("organisation"))
    year = models.PositiveSmallIntegerField(_("year"))
    tables = models.JSONField(_("tables"), default=dict)
    problems = models.TextField(_("main problems and improvements"), blank=True)
    other = models.TextField(_("other matters"), blank=True)
    published_on = models.DateField(_("published on"))
    sha256 = models.CharField(_("SHA-256 of the published Word document"), max_length=64)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("yearly disclosure report")
        verbose_name_plural = _("yearly disclosure reports")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="reports_one_ogi_report_a_year")]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}"
