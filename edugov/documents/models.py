"""Issued documents (issue 30): every act the law says is made in writing leaves its document,
made when the act is recorded, dated by the act, numbered, signed and verifiable by its code.

The document's text is frozen at the act (`content`, encrypted: it names the parties); the signed
PDF is made from it once (`pdf`, `pdf_sha256`) and never again, so every later download is the same
bytes. Whether it still stands is derived: revoked, replaced by a corrected one (amended), or past
its term (expired)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from edugov.accounts.models import Organisation
from edugov.kernel.crypto import EncryptedTextField


class DocumentKind(models.TextChoices):
    # 行政许可法 arts. 32, 38, 39
    LICENSING_ACCEPTANCE = "licensing_acceptance", _("Notice of acceptance of a licence application")
    LICENSING_NON_ACCEPTANCE = "licensing_non_acceptance", _("Decision not to accept a licence application")
    LICENSING_CORRECTION = "licensing_correction", _("One-time notice to supplement materials")
    LICENSING_GRANT = "licensing_grant", _("Decision granting an administrative licence")
    LICENSING_REFUSAL = "licensing_refusal", _("Decision refusing an administrative licence")
    LICENCE_CERTIFICATE = "licence_certificate", _("Licence certificate")
    # 行政处罚法 arts. 44, 45, 63, 64, 59, 61, 72
    PENALTY_FILING = "penalty_filing", _("Case filing approval form")
    PENALTY_PRIOR_NOTICE = "penalty_prior_notice", _("Prior notice of an administrative penalty")
    PENALTY_HEARING_NOTICE = "penalty_hearing_notice", _("Notice of a hearing")
    PENALTY_DECISION = "penalty_decision", _("Administrative penalty decision")
    SERVICE_RECEIPT = "service_receipt", _("Proof of service")
    PAYMENT_REMINDER = "payment_reminder", _("Reminder to perform the decision")
    # inspections
    INSPECTION_RECORD = "inspection_record", _("Record of an on-site inspection")
    RECTIFICATION_NOTICE = "rectification_notice", _("Rectification notice")
    # 信访工作条例 arts. 24, 31, 32
    COMPLAINT_ACCEPTANCE = "complaint_acceptance", _("Notice of acceptance of a petition")
    COMPLAINT_NON_ACCEPTANCE = "complaint_non_acceptance", _("Notice of non-acceptance of a petition")
    COMPLAINT_OPINION = "complaint_opinion", _("Opinion on a petition")
    # 政府信息公开条例 art. 36
    OGI_REPLY = "ogi_reply", _("Reply to a request for government information")
    # enrollment
    ADMISSION_NOTICE = "admission_notice", _("Admission notice")
    ADMISSION_REFUSAL = "admission_refusal", _("Notice of non-admission")


class DocumentStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    REVOKED = "revoked", _("Revoked")
    AMENDED = "amended", _("Replaced by a corrected document")
    EXPIRED = "expired", _("Expired")


class IssuedDocument(models.Model):
    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="issued_documents")
    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=100)
    number = models.CharField(_("document number"), max_length=80, db_index=True)
    issued_on = models.DateField(_("date of the act"))
    recipient = models.CharField(_("to"), max_length=120, blank=True)  # as a public page may show it (masked)
    summary = models.CharField(_("what it decides"), max_length=300)  # without personal data
    subject = models.CharField(_("the record it belongs to"), max_length=40, db_index=True)  # "case:297"
    verify_code = models.CharField(_("verification code"), max_length=20, unique=True)
    content = EncryptedTextField(_("content"))  # the document's text as data (JSON), frozen at the act
    content_sha256 = models.CharField(max_length=64)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revocation"), max_length=300, blank=True)
    replaced_by = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="replaces",
                                    verbose_name=_("replaced by"))
    pdf = models.FileField(upload_to="documents/%Y/%m/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    sealed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        indexes = [models.Index(fields=["organisation", "issued_on"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def text(self) -> str:
        """The document's frozen text as one string (what the signed PDF prints, without its layout)."""
        import json

        from .official import from_data, plain_text

        return plain_text(from_data(json.loads(str(self.content))))

    @property
    def status(self) -> str:
        """Whether it stands today (the legal calendar's today)."""
        from django.utils import timezone

        return self.status_on(timezone.localdate())

    @property
    def status_label(self) -> str:
        return str(DocumentStatus(self.status).label)

    def status_on(self, day: dt.date) -> str:
        """Whether it still stands on `day`: revoked and amended before expired, as the page says why."""
        if self.revoked_on is not None and self.revoked_on <= day:
            return DocumentStatus.REVOKED
        if self.replaced_by_id is not None:
            return DocumentStatus.AMENDED
        if self.valid_until is not None and self.valid_until < day:
            return DocumentStatus.EXPIRED
        return DocumentStatus.VALID
