"""School enrollment (入学一件事): the bureau's policy for an intake year (plans, zones, categories,
dates), parents' applications with documents, lotteries, placements, appeals and the survey."""

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
from edugov.kernel.satisfaction import Satisfaction
from edugov.kernel.validators import normalize_identity_number
from edugov.registries.models import School


class Grade(models.TextChoices):
    PRIMARY_1 = "primary_1", _("Primary, first year")
    JUNIOR_1 = "junior_1", _("Junior secondary, first year")


class IntakeState(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    PUBLISHED = "published", _("Policy published")
    ASSIGNED = "assigned", _("Places assigned")
    RESULTS = "results", _("Results published")
    CLOSED = "closed", _("Closed")


class Intake(models.Model):
    """One intake year's policy, published before applications open."""

    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="intakes")
    department = models.ForeignKey(Organisation, models.PROTECT, related_name="+", verbose_name=_("reviewing unit"))
    year = models.PositiveSmallIntegerField(_("intake year"))
    grade = models.CharField(_("grade"), max_length=12, choices=Grade.choices, default=Grade.PRIMARY_1)
    title = models.CharField(_("title"), max_length=120)
    born_from = models.DateField(_("children born from"))
    born_until = models.DateField(_("children born until"))
    opens_at = models.DateTimeField(_("applications open"))
    closes_at = models.DateTimeField(_("applications close"))
    lottery_on = models.DateField(_("lottery day"))
    results_on = models.DateField(_("results published on"))
    appeal_days = models.PositiveSmallIntegerField(_("days to accept or appeal"), default=5)
    max_private_choices = models.PositiveSmallIntegerField(_("private schools a parent may choose"), default=2)
    joint_intake = models.BooleanField(_("public and private schools in the same phase (公民同招)"), default=True)
    permit_months = models.PositiveSmallIntegerField(_("months a residence permit must have been held"), default=6)
    state = models.CharField(_("state"), max_length=12, choices=IntakeState.choices, default=IntakeState.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    lottery = models.ForeignKey(Draw, models.PROTECT, null=True, blank=True, related_name="+")
    results_published_at = models.DateTimeField(_("results published at"), null=True, blank=True)
    # the mass step running in the background, if any: {"step", "by", "started", "finished", "error", "message"}
    job = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("enrollment intake")
        verbose_name_plural = _("enrollment intakes")
        ordering = ["-year", "grade"]
        constraints = [models.UniqueConstraint(fields=["organisation", "year", "grade"], name="intake_once")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("enrollment:policy", args=[self.pk])


class Plan(models.Model):
    """A school's places in an intake (招生计划)."""

    intake = models.ForeignKey(Intake, models.CASCADE, related_name="plans")
    school = models.ForeignKey(School, models.PROTECT, related_name="+")
    places = models.PositiveIntegerField(_("places"))

    class Meta:
        verbose_name = _("enrollment plan")
        verbose_name_plural = _("enrollment plans")
        ordering = ["school__code"]
        constraints = [models.UniqueConstraint(fields=["intake", "school"], name="plan_once")]

    def __str__(self) -> str:
        return f"{self.school.name}: {self.places}"


class Zone(models.Model):
    """A zone (划片): residential communities that belong to one public school or several."""

    intake = models.ForeignKey(Intake, models.CASCADE, related_name="zones")
    name = models.CharField(_("zone"), max_length=80)
    schools = models.ManyToManyField(School, related_name="+", verbose_name=_("zone schools"))
    communities = models.JSONField(_("residential communities"), default=list)
    order = models.PositiveIntegerField(default=0)  # zones next to each other have neighbouring numbers

    class Meta:
        verbose_name = _("school zone")
        verbose_name_plural = _("school zones")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class Category(models.IntegerChoices):
    """Applicant categories, in priority order (a lower number is admitted first)."""

    HOUSEHOLD_AND_HOME = 1, _("Household registration and home in the zone")
    HOUSEHOLD_ONLY = 2, _("Household registration in the zone only")
    HOME_ONLY = 3, _("Home in the zone only")
    MIGRANT = 4, _("Children of migrant workers (residence permit and proof of work)")
    OTHER = 5, _("Others")


class DocumentKind(models.TextChoices):
    HOUSEHOLD = "household", _("Household register (户口簿)")
    PROPERTY = "property", _("Property certificate or purchase contract")
    RESIDENCE = "residence", _("Residence permit")
    WORK = "work", _("Proof of work")


# The pages a document must show, told beside its upload (what parents most often leave out).
DOCUMENT_PAGES: dict[str, Any] = {  # lazy translations
    "household": _("The household head's page and the child's page, both fully in view."),
    "property": _("The page with the owner's name and the address; for a purchase contract also the signature page."),
    "residence": _("Both sides, with the date of issue readable."),
    "work": _("The labour contract's first and signature pages, or the business licence."),
}

# What each category must upload.
REQUIRED_DOCUMENTS: dict[int, tuple[str, ...]] = {
    Category.HOUSEHOLD_AND_HOME: (DocumentKind.HOUSEHOLD, DocumentKind.PROPERTY),
    Category.HOUSEHOLD_ONLY: (DocumentKind.HOUSEHOLD,),
    Category.HOME_ONLY: (DocumentKind.PROPERTY,),
    Category.MIGRANT: (DocumentKind.RESIDENCE, DocumentKind.WORK),
    Category.OTHER: (),
}


class PolicyChange(models.Model):
    """A change to a published policy, with its reason, shown on the policy page."""

    intake = models.ForeignKey(Intake, models.CASCADE, related_name="changes")
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    what = models.CharField(_("what changed"), max_length=300)
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        verbose_name = _("policy change")
        verbose_name_plural = _("policy changes")
        ordering = ["at"]

    def __str__(self) -> str:
        return self.what


Rating = Satisfaction  # the bureau's five levels (kernel.satisfaction)


class Application(models.Model):
    """A child's application. A draft has no case yet; submitting opens one (kind `enrollment`)."""

    intake = models.ForeignKey(Intake, models.PROTECT, related_name="applications")
    case = models.OneToOneField(Case, models.PROTECT, null=True, blank=True, related_name="enrollment")
    account = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    child_name = EncryptedTextField(_("child's name"))
    child_id_number = EncryptedTextField(_("child's identity number"))
    child_index = models.CharField(max_length=32, editable=False)
    birth_date = models.DateField(_("date of birth"))
    gender = models.CharField(_("gender"), max_length=1)
    household = models.CharField(_("household registration"), max_length=120)
    guardian_name = EncryptedTextField(_("guardian's name"))
    guardian_id_number = EncryptedTextField(_("guardian's identity number"))
    guardian_phone = EncryptedTextField(_("guardian's mobile number"))
    second_guardian_name = EncryptedTextField(_("second guardian's name"), blank=True, default="")
    second_guardian_phone = EncryptedTextField(_("second guardian's mobile number"), blank=True, default="")
    address = EncryptedTextField(_("home address"))
    community = models.CharField(_("residential community"), max_length=80)
    zone = models.ForeignKey(Zone, models.PROTECT, null=True, blank=True, related_name="applications")
    category = models.PositiveSmallIntegerField(_("category"), choices=Category.choices)
    private_choices = models.JSONField(_("private schools chosen, in order"), default=list)  # school pks
    consent_at = models.DateTimeField(_("guardian's consent to processing the child's data"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    query_code = models.CharField(max_length=14, unique=True)
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    return_reasons = models.JSONField(default=list, blank=True)
    lottery_number = models.PositiveIntegerField(_("lottery number"), null=True, blank=True)
    school = models.ForeignKey(School, models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("school placed at"))
    placed_by = models.CharField(_("placed by"), max_length=20, blank=True)  # private lottery, zone, second round
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    appeal = models.OneToOneField(Case, models.PROTECT, null=True, blank=True, related_name="enrollment_appealed")
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction"), choices=Rating.choices, null=True, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrollment application")
        verbose_name_plural = _("enrollment applications")
        ordering = ["-submitted_at"]
        constraints = [models.UniqueConstraint(fields=["intake", "child_index"], name="one_application_per_child")]
        indexes = [models.Index(fields=["intake", "submitted_at"]), models.Index(fields=["intake", "school"])]

    def __str__(self) -> str:
        return f"{self.intake} · {self.masked_child_name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.child_index = child_index(self.child_id_number)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "child_index"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("enrollment:mine", args=[self.pk])

    @property
    def masked_child_name(self) -> str:
        return mask_name(self.child_name)

    @property
    def masked_child_id(self) -> str:
        return mask_identity_number(self.child_id_number)


def child_index(identity_number: str) -> str:
    return blind_index(normalize_identity_number(identity_number), purpose="enrollment-child")


class Document(models.Model):
    application = models.ForeignKey(Application, models.CASCADE, related_name="documents")
    kind = models.CharField(_("document"), max_length=12, choices=DocumentKind.choices)
    attachment = models.ForeignKey(Attachment, models.PROTECT, related_name="+")
    problem = models.CharField(_("what is wrong"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("enrollment document")
        verbose_name_plural = _("enrollment documents")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.get_kind_display()


class Notice(models.Model):
    """Every message sent to a parent, also shown on their page and the tracking page: an SMS
    that never arrived, or a link that does not open, loses nothing."""

    application = models.ForeignKey(Application, models.CASCADE, related_name="notices")
    at = models.DateTimeField()
    text = models.TextField()

    class Meta:
        verbose_name = _("notice to the family")
        verbose_name_plural = _("notices to families")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.text[:40]


class Slot(models.Model):
    """A time an enrollment office receives parents for an offline check (线下核验)."""

    intake = models.ForeignKey(Intake, models.CASCADE, related_name="slots")
    day = models.DateField(_("day"))
    time = models.CharField(_("time"), max_length=20)  # e.g. 09:00–11:30
    place = models.CharField(_("place"), max_length=120)
    capacity = models.PositiveIntegerField(_("places"))

    class Meta:
        verbose_name = _("appointment slot")
        verbose_name_plural = _("appointment slots")
        ordering = ["day", "time", "id"]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.time} {self.place}"


class Appointment(models.Model):
    application = models.OneToOneField(Application, models.CASCADE, related_name="appointment")
    slot = models.ForeignKey(Slot, models.PROTECT, related_name="appointments")
    booked_at = models.DateTimeField()
    reschedules = models.PositiveSmallIntegerField(default=0)


    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")

    def __str__(self) -> str:
        return str(self.slot)


class StudentRecord(models.Model):
    """A child who already has a student record (学籍), imported from the student-record system:
    such a child does not apply for grade one again. Found by the blind index of the identity
    number; the number itself is not kept here."""

    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="+")
    child_index = models.CharField(max_length=32, db_index=True)
    school_name = models.CharField(_("school"), max_length=120)
    grade = models.CharField(_("grade"), max_length=20)
    imported_at = models.DateTimeField()

    class Meta:
        verbose_name = _("student record")
        verbose_name_plural = _("student records")
        constraints = [models.UniqueConstraint(fields=["organisation", "child_index"], name="student_record_once")]

    def __str__(self) -> str:
        return f"{self.school_name} {self.grade}"


class SpecialKind(models.TextChoices):
    DEFERRAL = "deferral", _("Deferred entry for health reasons (缓学)")
    PLACEMENT = "placement", _("Placement of a child with a disability")


class Placement(models.TextChoices):
    REGULAR_CLASS = "regular_class", _("In a regular class (随班就读)")
    SPECIAL_SCHOOL = "special_school", _("At a special education school")
    HOME_TEACHING = "home_teaching", _("Teaching at home (送教上门)")


class SpecialRequest(models.Model):
    """A request beside the ordinary application: deferred entry, or a disability placement,
    each a case of its own kind with its documents, decider and clock."""

    intake = models.ForeignKey(Intake, models.PROTECT, related_name="special_requests")
    kind = models.CharField(_("request"), max_length=12, choices=SpecialKind.choices)
    case = models.OneToOneField(Case, models.PROTECT, related_name="enrollment_special")
    account = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    child_name = EncryptedTextField(_("child's name"))
    child_id_number = EncryptedTextField(_("child's identity number"))
    child_index = models.CharField(max_length=32, editable=False)
    reason = models.TextField(_("the family's reasons"))
    placement = models.CharField(_("placement decided"), max_length=16, choices=Placement.choices, blank=True)
    # set by `special_decide` from the decision step (the case's timeline keeps the words used)

    class Meta:
        verbose_name = _("special enrollment request")
        verbose_name_plural = _("special enrollment requests")
        constraints = [models.UniqueConstraint(fields=["intake", "kind", "child_index"], name="special_request_once")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {mask_name(self.child_name)}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.child_index = child_index(self.child_id_number)
        super().save(*args, **kwargs)
