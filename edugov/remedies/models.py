"""Cases brought against the bureau (issue 29): administrative reconsideration (行政复议) and
administrative litigation (行政诉讼). Each is a case on the engine; the record here keeps the act
contested, the body or court, the answer or defence with its evidence bundle, the hearing and
whether the responsible head appeared in court (负责人出庭应诉), the outcome and what the bureau
changed after a loss."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from edugov.accounts.models import Organisation
from edugov.cases.models import Case


class ChallengeKind(models.TextChoices):
    RECONSIDERATION = "reconsideration", _("Administrative reconsideration")
    LITIGATION = "litigation", _("Administrative lawsuit")


class Outcome(models.TextChoices):
    UPHELD = "upheld", _("Upheld (维持)")
    REVOKED = "revoked", _("Revoked (撤销)")
    ALTERED = "altered", _("Altered (变更)")
    UNLAWFUL = "unlawful", _("Confirmed unlawful (确认违法)")
    ORDERED = "ordered", _("Ordered to act (责令履行)")
    DISMISSED = "dismissed", _("Dismissed (驳回)")
    MEDIATED = "mediated", _("Mediated or settled (调解)")
    WITHDRAWN = "withdrawn", _("Withdrawn or terminated (撤回、终止)")


# the outcomes that correct the bureau's act (纠错): counted by the correction rate
CORRECTING = frozenset({Outcome.REVOKED, Outcome.ALTERED, Outcome.UNLAWFUL, Outcome.ORDERED})


class Challenge(models.Model):
    case = models.OneToOneField(Case, models.PROTECT, related_name="challenge")
    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=ChallengeKind.choices)
    contested = models.ForeignKey(Case, models.PROTECT, null=True, blank=True, related_name="challenges",
                                  verbose_name=_("act contested"))
    contested_text = models.CharField(_("act contested (as the application names it)"), max_length=300)
    about_disclosure = models.BooleanField(_("about government information disclosure"), default=False)
    applicant = models.CharField(_("applicant or plaintiff"), max_length=120)
    body = models.CharField(_("reconsideration body or court"), max_length=120)
    body_reference = models.CharField(_("its case number"), max_length=80, blank=True)
    received_on = models.DateField(_("copy received on"))
    simplified = models.BooleanField(_("simplified procedure"), default=False)
    answer = models.TextField(_("written answer or defence"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    late_reason = models.CharField(_("why the answer was late"), max_length=300, blank=True)
    bundle = models.FileField(_("evidence bundle"), upload_to="evidence/%Y/", blank=True)
    bundle_sha256 = models.CharField(_("evidence bundle SHA-256"), max_length=64, blank=True)
    late_note = models.CharField(_("reason the head did not appear"), max_length=300, blank=True)
    hearing_on = models.DateField(_("hearing on"), null=True, blank=True)
    head_appeared = models.BooleanField(_("the responsible head appeared in court"), null=True)
    appeared = models.CharField(_("who appeared for the bureau"), max_length=120, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_text = models.TextField(_("the decision or judgment"), blank=True)
    correction = models.TextField(_("what the bureau changed after it"), blank=True)

    class Meta:
        verbose_name = _("reconsideration or lawsuit against the bureau")
        verbose_name_plural = _("reconsiderations and lawsuits against the bureau")
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.contested_text}"

    @property
    def corrected(self) -> bool:
        return self.outcome in CORRECTING
