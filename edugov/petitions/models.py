from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from edugov.accounts.models import Organisation
from edugov.cases.models import Case
from edugov.kernel.crypto import EncryptedTextField
from edugov.registries.models import Institution, School


class Channel(models.TextChoices):
    HOTLINE = "hotline", _("Supervision hotline")
    WEB = "web", _("Web form")
    OPEN311 = "open311", _("Open311 API")
    MEDIA = "media", _("Media referral")
    PLATFORM = "platform", _("Government Q&A platform referral")
    LETTER = "letter", _("Letter")
    VISIT = "visit", _("Visit in person")


class Nature(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    REPORT = "report", _("Report of wrongdoing")
    INQUIRY = "inquiry", _("Inquiry")
    PETITION = "petition", _("Formal petition (信访)")


class Validity(models.TextChoices):
    VALID = "valid", _("Valid")
    INVALID = "invalid", _("Not valid")
    TRANSFERRED = "transferred", _("Transferred to another agency")


class Rating(models.IntegerChoices):
    VERY_SATISFIED = 5, _("Very satisfied")
    SATISFIED = 4, _("Satisfied")
    BASICALLY_SATISFIED = 3, _("Basically satisfied")
    DISSATISFIED = 2, _("Dissatisfied")
    VERY_DISSATISFIED = 1, _("Very dissatisfied")


class Hotline(models.Model):
    """A bureau's supervision hotline: the office that receives, and its 3233 rule."""

    organisation = models.OneToOneField(Organisation, models.PROTECT, related_name="hotline",
                                        verbose_name=_("bureau"))
    office = models.ForeignKey(Organisation, models.PROTECT, related_name="+", verbose_name=_("receiving office"))
    opened_on = models.DateField(_("opened on"))
    min_phone_contacts = models.PositiveSmallIntegerField(_("phone contacts required"), default=2)
    key_requires_meeting = models.BooleanField(_("key complaints need a face-to-face meeting"), default=True)

    class Meta:
        verbose_name = _("hotline")
        verbose_name_plural = _("hotlines")

    def __str__(self) -> str:
        return f"{self.organisation} · {self.office}"


class Resolution(models.TextChoices):
    """Whether the problem was solved, in the complainant's words: separate from closing the case."""

    SOLVED = "solved", _("Solved")
    PARTLY = "partly", _("Partly solved")
    UNSOLVED = "unsolved", _("Not solved")


class Category(models.Model):
    """An editable list of complaint categories per bureau (违规补课, 乱收费, 校园欺凌 …)."""

    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="petition_categories")
    name = models.CharField(_("name"), max_length=40)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="category_unique")]

    def __str__(self) -> str:
        return self.name


class Petition(models.Model):
    """What a case of kind `complaint` or `petition` carries besides the engine's fields.
    The complainant's name and phone are the case's encrypted contact fields."""

    case = models.OneToOneField(Case, models.CASCADE, related_name="petition")
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    nature = models.CharField(_("nature"), max_length=20, choices=Nature.choices, default=Nature.COMPLAINT)
    category = models.ForeignKey(Category, models.PROTECT, related_name="petitions", verbose_name=_("category"))
    school = models.ForeignKey(School, models.PROTECT, null=True, blank=True, related_name="petitions",
                               verbose_name=_("school concerned"))
    institution = models.ForeignKey(Institution, models.PROTECT, null=True, blank=True, related_name="petitions",
                                    verbose_name=_("institution concerned"))
    subject_text = models.CharField(_("subject (free text)"), max_length=200, blank=True)
    description = models.TextField(_("description"))
    is_key = models.BooleanField(_("key complaint"), default=False)
    identity_disclosure = models.BooleanField(_("complainant agrees to be named to the unit concerned"),
                                              default=False)
    query_digest = models.CharField(max_length=64, unique=True, editable=False)
    query_code = EncryptedTextField(editable=False)  # shown again on a double submit only
    idempotency_key = models.CharField(max_length=80, null=True, blank=True, unique=True)
    content_digest = models.CharField(max_length=64, db_index=True, editable=False)
    duplicate_of = models.ForeignKey("self", models.SET_NULL, null=True, blank=True, related_name="duplicates",
                                     verbose_name=_("possible duplicate of"))
    validity = models.CharField(_("validity"), max_length=20, choices=Validity.choices, blank=True)
    triage_reason = models.CharField(_("reason"), max_length=200, blank=True)
    send_backs = models.PositiveSmallIntegerField(_("times sent back"), default=0)
    result = models.TextField(_("result"), blank=True)
    head_override = models.TextField(_("department head's reason for closing with a 3233 part missing"), blank=True)
    rating = models.SmallIntegerField(_("rating"), choices=Rating.choices, null=True, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    resolution = models.CharField(_("problem solved?"), max_length=10, choices=Resolution.choices, blank=True)
    return_visit_due = models.DateField(_("return visit due"), null=True, blank=True)
    return_visit_done_at = models.DateTimeField(_("return visit done at"), null=True, blank=True)
    reopened = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    extended_days = models.PositiveSmallIntegerField(_("extension (days)"), default=0)
    review_stage = models.CharField(_("review stage"), max_length=20, blank=True)  # "", review, rereview, final

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        indexes = [models.Index(fields=["category", "school"]), models.Index(fields=["category", "institution"])]

    def __str__(self) -> str:
        return f"{self.case.reference} {self.case.title}"

    def get_absolute_url(self) -> str:
        return self.case.get_absolute_url()

    @property
    def subject_label(self) -> str:
        return str(self.school or self.institution or self.subject_text or "")
