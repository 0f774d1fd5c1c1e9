"""Government information disclosure on request (依申请公开, 政府信息公开条例 2019, issue 29): the
request with the requester's identity (encrypted, masked on screen), the one correction notice, the
third party's consultation, the extension, and the reply in one of the forms art. 36 lists, with
the remedy sentence. The yearly report's tables are counted from these records (reports.ogi)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from edugov.accounts.models import Organisation
from edugov.cases.models import Case
from edugov.kernel.crypto import EncryptedTextField
from edugov.kernel.masking import mask_identity_number


class RequestChannel(models.TextChoices):
    WEB = "web", _("Online")
    LETTER = "letter", _("Letter")
    VISIT = "visit", _("In person")


class RequesterKind(models.TextChoices):
    """The columns of the national template's third table."""

    PERSON = "person", _("Natural person")
    BUSINESS = "business", _("Commercial enterprise")
    RESEARCH = "research", _("Research institution")
    NONPROFIT = "nonprofit", _("Social welfare organisation")
    LAW_FIRM = "law_firm", _("Legal services organisation")
    OTHER = "other", _("Other organisation")


class ReplyForm(models.TextChoices):
    """The forms of reply 政府信息公开条例 art. 36 lists (and art. 37's partial disclosure)."""

    ALREADY_PUBLIC = "already_public", _("Already published: where to find it (art. 36 (1))")
    DISCLOSED = "disclosed", _("Disclosed (art. 36 (2))")
    PARTLY = "partly", _("Partly disclosed (art. 37)")
    REFUSED = "refused", _("Not disclosed, with the reason (art. 36 (3))")
    NOT_EXIST = "not_exist", _("The information does not exist (art. 36 (4))")
    NOT_OURS = "not_ours", _("Not this bureau's to disclose: who is (art. 36 (5))")
    REPEAT = "repeat", _("A repeated request: not handled again (art. 36 (6))")
    SPECIAL_LAW = "special_law", _("Obtained under another law (art. 36 (7))")


class RefusalReason(models.TextChoices):
    """The reasons of the national template for not disclosing (三、（三）)."""

    STATE_SECRET = "state_secret", _("A state secret")
    LAW_FORBIDS = "law_forbids", _("Another law or regulation forbids it")
    SAFETY = "safety", _("Would endanger security, public safety, economic security or social stability")
    THIRD_PARTY = "third_party", _("Protects a third party's lawful rights")
    INTERNAL = "internal", _("Internal affairs information")
    PROCESS = "process", _("Process information")
    ENFORCEMENT_FILE = "enforcement_file", _("An enforcement case file")
    INQUIRY = "inquiry", _("An administrative inquiry matter")


class DisclosureRequest(models.Model):
    case = models.OneToOneField(Case, models.PROTECT, related_name="disclosure_request")
    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="+")
    channel = models.CharField(_("channel"), max_length=10, choices=RequestChannel.choices)
    requester_kind = models.CharField(_("requester"), max_length=12, choices=RequesterKind.choices)
    identity = EncryptedTextField(_("identity number or credit code"), blank=True, default="")
    description = models.TextField(_("information requested"))
    received_on = models.DateField(_("received on"))
    correction_asked_on = models.DateField(_("correction asked on"), null=True, blank=True)
    correction_asked = models.TextField(_("what is to be corrected"), blank=True)
    corrected_on = models.DateField(_("corrected request received on"), null=True, blank=True)
    third_party = models.CharField(_("third party consulted"), max_length=120, blank=True)
    consulted_on = models.DateField(_("third party asked on"), null=True, blank=True)
    third_party_answer = models.TextField(_("third party's opinion"), blank=True)
    extended = models.BooleanField(_("answer period extended"), default=False)
    reply_form = models.CharField(_("form of the reply"), max_length=16, choices=ReplyForm.choices, blank=True)
    refusal_reason = models.CharField(_("reason for not disclosing"), max_length=20, choices=RefusalReason.choices,
                                      blank=True)
    reply_text = models.TextField(_("reply"), blank=True)
    remedy = models.TextField(_("remedy sentence"), blank=True)
    replied_on = models.DateField(_("replied on"), null=True, blank=True)
    late_reason = models.CharField(_("why the reply was late"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("disclosure request")
        verbose_name_plural = _("disclosure requests")
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return self.description[:40]

    @property
    def masked_identity(self) -> str:
        return mask_identity_number(self.identity)
