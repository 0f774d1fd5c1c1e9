"""Government services: the catalogue of service items (办事指南) with published versions,
applications and administrative licensing, commitments in place of certificates (告知承诺制),
the credit list that excludes from the commitment scheme, and service ratings (好差评)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from edugov.accounts.models import Organisation
from edugov.cases.models import Attachment, Case
from edugov.draws.models import Draw
from edugov.kernel.crypto import EncryptedTextField, blind_index
from edugov.kernel.masking import mask_identity_number, mask_name
from edugov.kernel.satisfaction import NEGATIVE, Satisfaction


class ItemType(models.TextChoices):
    LICENCE = "licence", _("Administrative licence")
    CONFIRMATION = "confirmation", _("Administrative confirmation")
    OTHER_POWER = "other_power", _("Other administrative power")
    PUBLIC_SERVICE = "public_service", _("Public service")


class ItemStatus(models.TextChoices):
    DRAFT = "draft", _("Draft, not yet published")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class StatutoryUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    NATURAL_DAYS = "natural_days", _("days")
    MONTHS = "months", _("months")


# The fields of a service guide (办事指南) that a published version keeps.
GUIDE_FIELDS = ("code", "name", "item_type", "legal_basis", "department", "address", "phone", "complaint_phone",
                "conditions", "steps", "statutory_days", "statutory_unit", "promised_days", "fee", "fee_basis", "visits_needed", "faq",
                "in_center", "private_school", "permit_years")


class ServiceItem(models.Model):
    """One government service item. Staff edit these working fields; the public guide, and every
    application, read the published `ItemVersion` (a snapshot), so an edit reaches citizens only
    when it is published, and an application keeps the checklist it was made against."""

    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="service_items",
                                     verbose_name=_("organisation"))
    code = models.CharField(_("item code"), max_length=40)
    name = models.CharField(_("item name"), max_length=120)
    item_type = models.CharField(_("item type"), max_length=20, choices=ItemType.choices)
    legal_basis = models.TextField(_("legal basis"))
    department = models.ForeignKey(Organisation, models.PROTECT, related_name="+", verbose_name=_("accepting department"))
    address = models.CharField(_("where to apply"), max_length=200)
    phone = models.CharField(_("enquiry phone"), max_length=40)
    complaint_phone = models.CharField(_("complaint phone"), max_length=40)
    conditions = models.TextField(_("conditions"))
    steps = models.TextField(_("how it is handled"), blank=True)
    statutory_days = models.PositiveSmallIntegerField(_("statutory time limit (0 = on the spot)"))
    # the unit the statute counts in: 行政许可法 art. 82 makes its own days working days; another law
    # may count in months (民办教育促进法 art. 17: 正式设立 decided within three months)
    statutory_unit = models.CharField(_("unit of the statutory time limit"), max_length=12,
                                      choices=StatutoryUnit.choices, default=StatutoryUnit.WORKING_DAYS)
    promised_days = models.PositiveSmallIntegerField(_("promised time limit (working days, 0 = on the spot)"))
    fee = models.CharField(_("fee"), max_length=120, default="不收费")
    fee_basis = models.CharField(_("basis of the fee"), max_length=200, blank=True)
    visits_needed = models.PositiveSmallIntegerField(_("visits needed"), choices=[(0, _("none: fully online")),
                                                                                 (1, _("at most one"))], default=1)
    faq = models.TextField(_("frequently asked questions"), blank=True,
                           help_text=_("One question per paragraph: the question on the first line, the answer below."))
    in_center = models.BooleanField(_("handled at the district service centre"), default=True)
    private_school = models.BooleanField(_("a private-school matter"), default=False)
    permit_years = models.PositiveSmallIntegerField(_("validity of the permit (years)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.DRAFT)
    in_force_from = models.DateField(_("in force from"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    current = models.ForeignKey("ItemVersion", models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("published version"))
    updated_at = models.DateTimeField(_("last edited"), auto_now=True)
    edits = models.PositiveIntegerField(default=0)  # optimistic lock for two editors

    class Meta:
        ordering = ["code"]
        verbose_name = _("service item")
        verbose_name_plural = _("service items")
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="service_item_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("services:guide", args=[self.pk])

    @property
    def is_licence(self) -> bool:
        return self.item_type == ItemType.LICENCE

    @property
    def unpublished_changes(self) -> bool:
        return self.current is None or self.current.snapshot != self.guide_snapshot()

    def guide_snapshot(self) -> dict[str, Any]:
        """What the public guide shows and an application is made against, as plain JSON."""
        data: dict[str, Any] = {f: getattr(self, f) for f in GUIDE_FIELDS if f != "department"}
        data["department"] = {"code": self.department.code, "name": self.department.name}
        data["materials"] = [{"id": m.pk, "name": m.name, "form": m.form, "copies": m.copies, "required": m.required,
                              "commitment_allowed": m.commitment_allowed, "note": m.note}
                             for m in self.materials.all()]
        return data


class MaterialForm(models.TextChoices):
    ORIGINAL = "original", _("Original")
    COPY = "copy", _("Copy")
    ELECTRONIC = "electronic", _("Electronic")


class Material(models.Model):
    item = models.ForeignKey(ServiceItem, models.CASCADE, related_name="materials")
    name = models.CharField(_("material"), max_length=200)
    form = models.CharField(_("form"), max_length=12, choices=MaterialForm.choices, default=MaterialForm.ELECTRONIC)
    copies = models.PositiveSmallIntegerField(_("copies"), default=1)
    required = models.BooleanField(_("required"), default=True)
    commitment_allowed = models.BooleanField(_("a commitment may replace it"), default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("required material")
        verbose_name_plural = _("required materials")

    def __str__(self) -> str:
        return self.name


class ItemVersion(models.Model):
    """A published state of an item: what the guide showed, and what applications were made against."""

    item = models.ForeignKey(ServiceItem, models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField()
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    note = models.CharField(_("what changed"), max_length=200)

    class Meta:
        verbose_name = _("service guide version")
        verbose_name_plural = _("service guide versions")
        ordering = ["item", "-number"]
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="item_version_unique")]

    def __str__(self) -> str:
        return f"{self.item.code} v{self.number}"

    def material(self, material_id: int) -> dict[str, Any] | None:
        return next((m for m in self.snapshot["materials"] if m["id"] == material_id), None)


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    COUNTER = "counter", _("At the service counter")


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("A person")
    INSTITUTION = "institution", _("An institution")


class Decision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    DENIED = "denied", _("Denied")


class Application(models.Model):
    """An application for a service item; its `case` carries state, clocks and timeline. The
    applicant's name and phone are the case's (encrypted) contact fields."""

    case = models.OneToOneField(Case, models.CASCADE, related_name="application")
    item = models.ForeignKey(ServiceItem, models.PROTECT, related_name="applications")
    version = models.ForeignKey(ItemVersion, models.PROTECT, related_name="applications")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    applicant_kind = models.CharField(_("applicant"), max_length=12, choices=ApplicantKind.choices)
    institution_name = models.CharField(_("institution"), max_length=120, blank=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    id_number = EncryptedTextField(_("identity number"), blank=True, default="")
    id_valid_until = models.DateField(_("identity card valid until"), null=True, blank=True)
    subject_index = models.CharField(max_length=32, db_index=True, editable=False)  # blind index: the credit list
    committed = models.BooleanField(_("commitment in place of certificates"), default=False)
    submitted_at = models.DateTimeField(_("submitted at"))
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    decision_text = models.TextField(_("decision and reasons"), blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=60, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    delivery = models.CharField(_("delivery"), max_length=40, blank=True)
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("service application")
        verbose_name_plural = _("service applications")
        indexes = [models.Index(fields=["item", "submitted_at"]),
                   models.Index(fields=["published_at"], name="service_app_published",
                                condition=models.Q(published_at__isnull=False))]

    def __str__(self) -> str:
        return f"{self.case.reference} {self.item.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.subject_index = subject_index(self.credit_code or self.id_number)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "subject_index"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("services:mine", args=[self.pk])

    @property
    def applicant_label(self) -> str:
        """What a page shows: an institution by name, a person masked."""
        if self.applicant_kind == ApplicantKind.INSTITUTION:
            return self.institution_name
        return mask_name(self.case.contact_name)

    @property
    def masked_id_number(self) -> str:
        return mask_identity_number(self.id_number)


def subject_index(code: str) -> str:
    return blind_index(code.strip().upper(), purpose="credit-subject") if code else ""


class MaterialStatus(models.TextChoices):
    PROVIDED = "provided", _("Provided")
    COMMITTED = "committed", _("Replaced by the commitment")
    MISSING = "missing", _("Missing: to be supplied")
    DEFECTIVE = "defective", _("Defective: to be corrected")
    NOT_NEEDED = "not_needed", _("Not needed")


class ProvidedMaterial(models.Model):
    """One line of an application's checklist: what was given for a required material."""

    application = models.ForeignKey(Application, models.CASCADE, related_name="materials")
    material_id = models.PositiveIntegerField()  # the id inside the version's snapshot
    name = models.CharField(_("material"), max_length=200)
    status = models.CharField(_("status"), max_length=12, choices=MaterialStatus.choices)
    attachment = models.ForeignKey(Attachment, models.SET_NULL, null=True, blank=True, related_name="+")
    problem = models.CharField(_("what is missing or wrong"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("material provided")
        verbose_name_plural = _("materials provided")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["application", "material_id"], name="provided_once")]

    def __str__(self) -> str:
        return f"{self.name}: {self.get_status_display()}"

    @property
    def outstanding(self) -> bool:
        return self.status in (MaterialStatus.MISSING, MaterialStatus.DEFECTIVE)


class Commitment(models.Model):
    """A signed commitment in place of certificates (告知承诺制): what was shown, who signed."""

    application = models.OneToOneField(Application, models.CASCADE, related_name="commitment")
    materials = models.JSONField(_("materials replaced"))
    text = models.TextField(_("what the applicant was told and committed to"))
    signed_name = EncryptedTextField(_("signed by"))
    signed_at = models.DateTimeField(_("signed at"))

    class Meta:
        verbose_name = _("commitment")

    def __str__(self) -> str:
        return f"{self.application.case.reference}"

    @property
    def masked_signed_name(self) -> str:
        return mask_name(self.signed_name)


class VerificationMethod(models.TextChoices):
    WRITTEN = "written", _("Written verification")
    ONLINE = "online", _("Online check against the source records")
    ONSITE = "onsite", _("On-site verification")


class Verification(models.Model):
    """A commitment drawn into a verification sample, and what checking it found."""

    commitment = models.OneToOneField(Commitment, models.CASCADE, related_name="verification")
    draw = models.ForeignKey(Draw, models.PROTECT, related_name="+")
    method = models.CharField(_("method"), max_length=10, choices=VerificationMethod.choices, blank=True)
    truthful = models.BooleanField(_("the commitment was true"), null=True)
    note = models.TextField(_("what was found"), blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("commitment verification")
        verbose_name_plural = _("commitment verifications")
        ordering = ["commitment__application__case__reference"]

    def __str__(self) -> str:
        return f"{self.commitment} · {self.draw.draw_id}"


class CreditKind(models.TextChoices):
    BAD_CREDIT = "bad_credit", _("Serious untrustworthiness (bad-credit list)")
    FALSE_COMMITMENT = "false_commitment", _("False commitment")


class CreditRecord(models.Model):
    """An applicant excluded from the commitment scheme, found by the blind index of its credit
    code or identity number (the number itself is not kept here)."""

    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="+")
    subject_index = models.CharField(max_length=32, db_index=True)
    subject_label = models.CharField(_("applicant"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=CreditKind.choices)
    reason = models.TextField(_("reason"))
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)
    application = models.ForeignKey(Application, models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-since"]
        verbose_name = _("credit record")

    def __str__(self) -> str:
        return f"{self.subject_label} · {self.get_kind_display()}"


RatingLevel = Satisfaction  # the bureau's five levels (kernel.satisfaction); NEGATIVE is 差评


class CounterVisit(models.Model):
    """A visit to the counter, recorded by the clerk; the visitor rates it with its code (一次一评)."""

    item = models.ForeignKey(ServiceItem, models.PROTECT, related_name="visits")
    clerk = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField()
    code = models.CharField(max_length=12, unique=True)

    class Meta:
        verbose_name = _("counter visit")
        verbose_name_plural = _("counter visits")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.item.code} {self.at:%Y-%m-%d %H:%M}"


class Rating(models.Model):
    """A service rating (好差评): one per completed case (一事一评, online), or one per counter visit
    (一次一评, recorded by the window). A negative rating opens a rectification case."""

    item = models.ForeignKey(ServiceItem, models.PROTECT, related_name="ratings")
    application = models.OneToOneField(Application, models.PROTECT, null=True, blank=True, related_name="rating")
    visit = models.OneToOneField(CounterVisit, models.PROTECT, null=True, blank=True, related_name="rating")
    department = models.ForeignKey(Organisation, models.PROTECT, related_name="+")
    clerk = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name=_("clerk"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    level = models.PositiveSmallIntegerField(_("the service"), choices=RatingLevel.choices)
    clerk_level = models.PositiveSmallIntegerField(_("the clerk"), choices=RatingLevel.choices, null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    rated_at = models.DateTimeField(_("rated at"))
    # A negative rating's rectification case; when the office upholds the department's appeal the
    # case ends "void" and the rating leaves the figures (derived from the case, never a second flag).
    rectification = models.OneToOneField(Case, models.PROTECT, null=True, blank=True, related_name="rated")

    class Meta:
        verbose_name = _("service rating")
        verbose_name_plural = _("service ratings")
        ordering = ["-rated_at"]
        indexes = [models.Index(fields=["item", "rated_at"]), models.Index(fields=["department", "rated_at"])]

    def __str__(self) -> str:
        return f"{self.item.code} {self.get_level_display()}"

    @property
    def negative(self) -> bool:
        return self.level in NEGATIVE

    @property
    def set_aside(self) -> bool:
        return self.rectification is not None and self.rectification.state == "void"


# ---- the business environment (营商环境, issue 31) -------------------------------------------------

class OutreachTopic(models.TextChoices):
    TAX = "tax", _("Tax relief, reduction and deferral (税收减免缓)")
    SOCIAL_SECURITY = "social_security", _("Social security and employment (社保就业)")
    SERVICES = "services", _("Support for the service sector (服务业)")
    OTHER = "other", _("Other support policies")


class PolicyOutreach(models.Model):
    """A policy brought to private schools, kindergartens and training institutions: what, how, to whom."""

    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="policy_outreach")
    sent_on = models.DateField(_("sent on"))
    topic = models.CharField(_("policy area"), max_length=20, choices=OutreachTopic.choices)
    title = models.CharField(_("what was sent"), max_length=200)
    channel = models.CharField(_("how (meeting, visit, message)"), max_length=60)
    schools = models.ManyToManyField("registries.School", blank=True, related_name="+",
                                     verbose_name=_("private schools and kindergartens"))
    institutions = models.ManyToManyField("registries.Institution", blank=True, related_name="+",
                                          verbose_name=_("training institutions"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("policy outreach")
        verbose_name_plural = _("policy outreach")
        ordering = ["-sent_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "sent_on", "title"], name="one_outreach")]

    def __str__(self) -> str:
        return self.title


class TraineeKind(models.TextChoices):
    FOUNDERS = "founders", _("Founders and heads (举办者)")
    TEACHERS = "teachers", _("Teachers")
    NURSERY = "nursery", _("Nursery staff (保育员)")
    GUARDS = "guards", _("Security guards")


class InstitutionType(models.TextChoices):
    PRIVATE_SCHOOL = "private_school", _("Private schools")
    KINDERGARTEN = "kindergarten", _("Private kindergartens")
    TRAINING = "training", _("Training institutions")


class FreeTraining(models.Model):
    """A free training session the bureau arranged for the staff of private institutions."""

    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="free_trainings")
    held_on = models.DateField(_("held on"))
    title = models.CharField(_("title"), max_length=200)
    audience = models.CharField(_("who was trained"), max_length=12, choices=TraineeKind.choices)
    institution_type = models.CharField(_("from which institutions"), max_length=16, choices=InstitutionType.choices)
    trainees = models.PositiveIntegerField(_("people trained"))
    institutions = models.PositiveIntegerField(_("institutions that sent them"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("free training session")
        verbose_name_plural = _("free training sessions")
        ordering = ["-held_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "held_on", "title", "audience",
                                                       "institution_type"], name="one_free_training")]

    def __str__(self) -> str:
        return self.title
