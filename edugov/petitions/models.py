from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from edugov.accounts.models import Organisation
from edugov.cases.models import Case
from edugov.kernel.crypto import EncryptedTextField
from edugov.kernel.satisfaction import Satisfaction
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


Rating = Satisfaction  # the bureau's five levels (kernel.satisfaction)


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


class AbuseStatus(models.TextChoices):
    PENDING = "pending", _("Marked, waiting for the supervision office")
    AGREED = "agreed", _("Agreed by the supervision office")
    REJECTED = "rejected", _("Not agreed by the supervision office")


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


# One limit per field, wherever it enters (the web form, Open311, the API, the operator's form).
DESCRIPTION_MAX = 5000
SUBJECT_MAX = 200
NAME_MAX = 30


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
    # who submitted (a keyed digest of the session, the account or the API key): a double submit is
    # recognised only from the same client, never across clients
    client_digest = models.CharField(max_length=64, blank=True, editable=False)
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
    # The day the petitioner received the newest written answer (the handling's, then the review's):
    # the 30 days to ask for a review or a re-review run from it (信访工作条例 arts. 35, 36), not from the
    # in-system close. None: not yet served, so the period has not begun.
    answer_received_on = models.DateField(_("written answer received on"), null=True, blank=True)
    # Routing (issue 12): where it went first, what edugov suggested, whether it had to move again.
    first_unit = models.ForeignKey(Organisation, models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("first routed to"))
    suggested_unit = models.ForeignKey(Organisation, models.PROTECT, null=True, blank=True, related_name="+",
                                       verbose_name=_("suggested unit"))
    suggestion_taken = models.BooleanField(_("suggestion taken"), null=True)
    rerouted = models.BooleanField(_("re-routed after the first routing"), default=False)
    dispute_pending = models.BooleanField(_("waiting for the supervision office's decision"), default=False)
    ruled = models.BooleanField(_("unit decided by the supervision office (final)"), default=False)
    abuse_status = models.CharField(_("unreasonable-demand mark"), max_length=10, choices=AbuseStatus.choices,
                                    blank=True)
    abuse_reason = models.CharField(_("why the demand is unreasonable"), max_length=200, blank=True)
    abuse_decision = models.CharField(_("supervision office's view of the mark"), max_length=200, blank=True)

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


class HopKind(models.TextChoices):
    ROUTE = "route", _("Routed")
    SEND_BACK = "send_back", _("Sent back")
    DISPUTE = "dispute", _("Disagreement raised")
    RULING = "ruling", _("Decided by the supervision office")


class Hop(models.Model):
    """One move (or attempted move) of a hotline case between units. The count of hops after the
    first routing is what a citizen calls 工单在天上飞; it is shown on the case and in the bulletin."""

    petition = models.ForeignKey(Petition, models.CASCADE, related_name="hops")
    kind = models.CharField(max_length=20, choices=HopKind.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey("accounts.User", models.PROTECT, null=True, related_name="+")
    from_unit = models.ForeignKey(Organisation, models.PROTECT, null=True, blank=True, related_name="+")
    to_unit = models.ForeignKey(Organisation, models.PROTECT, null=True, blank=True, related_name="+")
    better_unit = models.ForeignKey(Organisation, models.PROTECT, null=True, blank=True, related_name="+")
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("routing step")
        verbose_name_plural = _("routing steps")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["from_unit", "kind", "at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.from_unit} → {self.to_unit}"


class RecontactCheck(models.Model):
    """The supervision office's re-contact of one closed case drawn in a month's sample: was the
    closure true? A false closure reopens the case and counts against the unit that closed it."""

    petition = models.ForeignKey(Petition, models.CASCADE, related_name="recontacts")
    draw = models.ForeignKey("draws.Draw", models.PROTECT, related_name="+")
    unit = models.ForeignKey(Organisation, models.PROTECT, null=True, related_name="+", verbose_name=_("closing unit"))
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    checked_by = models.ForeignKey("accounts.User", models.PROTECT, null=True, blank=True, related_name="+")
    closure_true = models.BooleanField(_("closure true"), null=True)
    note = models.CharField(_("what the complainant said"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("re-contact check")
        verbose_name_plural = _("re-contact checks")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["petition", "draw"], name="recontact_once_per_draw")]

    def __str__(self) -> str:
        return f"{self.draw_id} {self.petition_id}: {self.closure_true}"
