from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from edugov.accounts.models import Organisation
from edugov.kernel.crypto import EncryptedTextField, blind_index
from edugov.kernel.masking import mask_identity_number, mask_name, mask_phone

from .names import WORD_INITIALS_LENGTH, initials, normalised_query, word_initials


def initials_q(query: str) -> Q:
    """The names whose pinyin initials, from the start of any of their words, begin with `query`
    ("bt" and "btxx" find 江州区白土小学; names.py says how)."""
    letters = normalised_query(query)
    return Q(word_initials__contains=f" {letters}") if letters else Q(pk__in=[])


class SearchableByInitials(models.Model):
    """Keeps `initials` (pinyin first letters of `name`) and `word_initials` (from each word's
    start) for search by 拼音首字母, and when the entry last changed (the open-data register's update
    date)."""

    initials = models.CharField(max_length=60, blank=True, db_index=True, editable=False)
    word_initials = models.CharField(max_length=WORD_INITIALS_LENGTH, blank=True, default="", editable=False)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True, null=True)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.initials = initials(self.name)  # type: ignore[attr-defined]
        self.word_initials = word_initials(self.name)  # type: ignore[attr-defined]
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "initials", "word_initials", "updated_at"}
        super().save(*args, **kwargs)

    def matches_initials(self, query: str) -> bool:
        letters = normalised_query(query)
        return bool(letters) and f" {letters}" in self.word_initials


class SchoolLevel(models.TextChoices):
    KINDERGARTEN = "kindergarten", _("Kindergarten")
    PRIMARY = "primary", _("Primary school")
    JUNIOR = "junior", _("Junior secondary school")
    NINE_YEAR = "nine_year", _("Nine-year school")
    SENIOR = "senior", _("Senior secondary school")
    VOCATIONAL = "vocational", _("Secondary vocational school")
    SPECIAL_EDUCATION = "special_education", _("Special education school")
    SPECIAL_SCHOOL = "special_school", _("Special (correctional) school")


class School(SearchableByInitials):
    """A school or kindergarten; each is also a node of the organisation tree (its scope)."""

    organisation = models.OneToOneField(Organisation, models.PROTECT, related_name="school",
                                        verbose_name=_("organisation"))
    name = models.CharField(_("name"), max_length=120)
    code = models.CharField(_("school code"), max_length=40, unique=True)
    level = models.CharField(_("level"), max_length=20, choices=SchoolLevel.choices)
    is_private = models.BooleanField(_("private"), default=False)
    address = models.CharField(_("address"), max_length=200, blank=True)
    enrolled_students = models.PositiveIntegerField(_("enrolled students"), default=0)
    principal = models.CharField(_("principal"), max_length=60, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    credit_code = models.CharField(_("credit code"), max_length=18, blank=True)
    permit_number = models.CharField(_("school-running permit number"), max_length=60, blank=True)
    permit_valid_until = models.DateField(_("permit valid until"), null=True, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("school")
        verbose_name_plural = _("schools")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registries:school", args=[self.pk])


class InstitutionKind(models.TextChoices):
    ACADEMIC = "academic", _("Academic subjects")
    NON_ACADEMIC = "non_academic", _("Non-academic")


class InstitutionStatus(models.TextChoices):
    OPERATING = "operating", _("Operating")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")


class Institution(SearchableByInitials):
    """An off-campus training institution supervised by a district bureau (`organisation`)."""

    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="institutions",
                                     verbose_name=_("supervising bureau"))
    name = models.CharField(_("name"), max_length=120)
    credit_code = models.CharField(_("credit code"), max_length=18, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=InstitutionKind.choices)
    status = models.CharField(_("status"), max_length=20, choices=InstitutionStatus.choices,
                              default=InstitutionStatus.OPERATING)
    permit_number = models.CharField(_("permit number"), max_length=60, blank=True)
    permit_valid_until = models.DateField(_("permit valid until"), null=True, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=60, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("training institution")
        verbose_name_plural = _("training institutions")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("registries:institution", args=[self.pk])


class PersonKind(models.TextChoices):
    STAFF = "staff", _("Staff")
    ENFORCEMENT_OFFICER = "enforcement_officer", _("Enforcement officer")
    LEGAL_VP = "legal_vp", _("Legal vice-principal")


class SendingAgency(models.TextChoices):
    POLICE = "police", _("Public security")
    PROCURATORATE = "procuratorate", _("Procuratorate")
    COURT = "court", _("Court")
    JUSTICE = "justice", _("Justice bureau")


class Person(models.Model):
    """A person in the bureau's registers. Identity number and phone are encrypted at rest."""

    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="people",
                                     verbose_name=_("organisation"))
    kind = models.CharField(_("person category"), max_length=30, choices=PersonKind.choices)
    name = models.CharField(_("full name"), max_length=60)
    identity_number = EncryptedTextField(_("identity number"))
    identity_index = models.CharField(max_length=32, unique=True, editable=False)
    phone = EncryptedTextField(_("mobile number"), blank=True, default="")
    gender = models.CharField(_("gender"), max_length=1, choices=[("M", _("Male")), ("F", _("Female"))])
    birth_date = models.DateField(_("birth date"))
    title = models.CharField(_("position"), max_length=60, blank=True)
    # enforcement officers
    certificate_number = models.CharField(_("enforcement certificate number"), max_length=40, blank=True)
    enforcement_field = models.CharField(_("enforcement field"), max_length=60, blank=True)
    certificate_valid_until = models.DateField(_("certificate valid until"), null=True, blank=True)
    # legal vice-principals
    sending_agency = models.CharField(_("sending agency"), max_length=20, choices=SendingAgency.choices, blank=True)
    agency_name = models.CharField(_("agency name"), max_length=120, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # the staff account of this person, when they sign in (an officer acts as their roster entry)
    user = models.OneToOneField("accounts.User", models.SET_NULL, null=True, blank=True, related_name="person",
                                verbose_name=_("staff account"))

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["kind", "organisation"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.identity_index = blind_index(self.identity_number, purpose="identity_number")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "identity_index"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("registries:person", args=[self.pk])

    @property
    def masked_identity_number(self) -> str:
        return mask_identity_number(self.identity_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)


class ImportRun(models.Model):
    """One XLSX import: what was read, what was written, and the rejected rows to download."""

    registry = models.CharField(max_length=30)
    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="+")
    created_by = models.ForeignKey("accounts.User", models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=200)
    total_rows = models.PositiveIntegerField(default=0)
    imported_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)
    rejected_file = models.BinaryField(null=True, blank=True)

    class Meta:
        verbose_name = _("register import")
        verbose_name_plural = _("register imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.registry} {self.filename} ({self.imported_rows}/{self.total_rows})"

    @property
    def held_rows(self) -> int:
        """Valid rows not written because the file had errors (read = imported + rejected + held)."""
        return max(0, self.total_rows - self.imported_rows - len(self.errors or []))
