from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from edugov.kernel.crypto import EncryptedTextField, blind_index
from edugov.kernel.masking import mask_phone


class OrgKind(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    BUREAU = "bureau", _("District education bureau")
    DEPARTMENT = "department", _("Department")
    SCHOOL = "school", _("School or kindergarten")


class Organisation(models.Model):
    """A node of the organisation tree: province → city → district bureau → departments and schools.

    `path` is the materialised chain of codes ("/50/5001/500101/…/"), so a subtree is one
    indexed prefix query; codes never change once set.
    """

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=OrgKind.choices)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children",
                               verbose_name=_("parent"))
    path = models.CharField(max_length=400, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    # Reference-number prefix for cases, e.g. 万教 (a bureau) or 万教督 (its supervision office).
    case_prefix = models.CharField(_("case reference prefix"), max_length=20, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [models.Index(fields=["kind", "path"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        parent_path = self.parent.path if self.parent is not None else "/"
        self.path = f"{parent_path}{self.code}/"
        self.depth = self.path.count("/") - 2
        super().save(*args, **kwargs)

    def contains(self, other: Organisation) -> bool:
        return other.path.startswith(self.path)

    def subtree(self) -> models.QuerySet[Organisation]:
        return Organisation.objects.filter(path__startswith=self.path)

    def ancestors(self) -> models.QuerySet[Organisation]:
        codes = [c for c in self.path.split("/") if c]
        return Organisation.objects.filter(code__in=codes).order_by("depth")

    @property
    def bureau(self) -> Organisation | None:
        """The district bureau this organisation belongs to (itself when it is one)."""
        if self.kind == OrgKind.BUREAU:
            return self
        return self.ancestors().filter(kind=OrgKind.BUREAU).last()


class LegalSettings(models.Model):
    """What the law leaves to each district (issue 25 items 4, 8, 9): the bodies a party or a
    petitioner turns to against the bureau, and the counts of the rules the bureau sets itself.

    行政复议法 (2023) art. 24 makes the district government the 复议机关 of its departments; which court
    hears administrative cases is assigned locally (many cities designate courts); 信访工作条例 sends
    复查 one level up and 复核 one above that. Documents, remedy sentences and clocks read these."""

    organisation = models.OneToOneField(Organisation, models.CASCADE, related_name="legal_settings",
                                        limit_choices_to={"kind": "bureau"})
    reconsideration_body = models.CharField(_("administrative reconsideration body"), max_length=120, blank=True,
                                            help_text=_("e.g. 示范市江州区人民政府 (行政复议法 art. 24)"))
    court = models.CharField(_("court for administrative cases"), max_length=120, blank=True,
                             help_text=_("the people's court that hears administrative cases against the bureau"))
    review_body = models.CharField(_("petition review body (复查)"), max_length=120, blank=True,
                                   help_text=_("the body one level above the bureau"))
    recheck_body = models.CharField(_("petition re-review body (复核)"), max_length=120, blank=True,
                                    help_text=_("the body above the review body"))
    local_rules = models.JSONField(_("the district's own time limits"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("legal settings of a district")
        verbose_name_plural = _("legal settings of districts")

    def __str__(self) -> str:
        return str(self.organisation)


class Role(models.TextChoices):
    BUREAU_LEADER = "bureau_leader", _("Bureau leader")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    DEPARTMENT_STAFF = "department_staff", _("Department staff")
    WINDOW_CLERK = "window_clerk", _("Window clerk")
    ENFORCEMENT_OFFICER = "enforcement_officer", _("Enforcement officer")
    LEGAL_REVIEWER = "legal_reviewer", _("Legal reviewer")
    SUPERVISION_STAFF = "supervision_staff", _("Supervision office staff")
    SCHOOL_ADMIN = "school_admin", _("School administrator")
    LEGAL_VP = "legal_vp", _("Legal vice-principal")
    AUDITOR = "auditor", _("Auditor")
    SYSADMIN = "sysadmin", _("System administrator")


# Roles held by bureau staff: at a department they still read their whole district's registries.
BUREAU_ROLES = frozenset({
    Role.BUREAU_LEADER, Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF, Role.WINDOW_CLERK,
    Role.ENFORCEMENT_OFFICER, Role.LEGAL_REVIEWER, Role.SUPERVISION_STAFF, Role.AUDITOR, Role.SYSADMIN,
})
SCHOOL_ROLES = frozenset({Role.SCHOOL_ADMIN, Role.LEGAL_VP})


class UserKind(models.TextChoices):
    STAFF = "staff", _("Staff")
    PUBLIC = "public", _("Member of the public")


class NotifyBy(models.TextChoices):
    """How a member of staff is told of a reminder besides the workbench (issue 26)."""

    NONE = "", _("On the workbench only")
    SMS = "sms", _("SMS to my mobile number")
    EMAIL = "email", _("E-mail")


class User(AbstractUser):
    kind = models.CharField(_("kind"), max_length=10, choices=UserKind.choices, default=UserKind.STAFF)
    full_name = models.CharField(_("full name"), max_length=60, blank=True)
    phone = EncryptedTextField(_("mobile number"), blank=True, default="")
    phone_index = models.CharField(max_length=32, blank=True, db_index=True, editable=False)
    notify_by = models.CharField(_("reminders also by"), max_length=10, choices=NotifyBy.choices, blank=True,
                                 default=NotifyBy.NONE)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        if self.full_name:
            return self.full_name
        if self.kind == UserKind.PUBLIC and self.phone:  # a citizen signed in by SMS: their masked number
            return mask_phone(self.phone)
        return self.username

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.phone_index = blind_index(self.phone, purpose="phone") if self.phone else ""
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "phone" in update_fields:
            kwargs["update_fields"] = {*update_fields, "phone_index"}
        super().save(*args, **kwargs)

    @property
    def is_public(self) -> bool:
        return self.kind == UserKind.PUBLIC

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class Grant(models.Model):
    """A role held at an organisation; it covers that organisation and everything below it."""

    user = models.ForeignKey(User, models.CASCADE, related_name="grants", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="grants",
                                     verbose_name=_("organisation"))
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [models.UniqueConstraint(fields=["user", "role", "organisation"], name="grant_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} @ {self.organisation}"


class Absence(models.Model):
    """A member of staff away (leave, training, a secondment) and the colleague who stands in: while it
    runs, the stand-in sees, acts on and is reminded of the cases assigned to the absent person, who
    gets them back on return without anything being reassigned (issue 26)."""

    user = models.ForeignKey(User, models.CASCADE, related_name="absences", verbose_name=_("who is away"))
    stand_in = models.ForeignKey(User, models.PROTECT, related_name="standing_in", verbose_name=_("stand-in"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until (inclusive)"))
    reason = models.CharField(_("reason"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("recorded at"))
    created_by = models.ForeignKey(User, models.PROTECT, null=True, related_name="+")
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                              name="absence_ends_after_start")]
        indexes = [models.Index(fields=["stand_in", "ends_on"], name="absence_stand_in")]

    def __str__(self) -> str:
        return f"{self.user} {self.starts_on}–{self.ends_on} → {self.stand_in}"


class SmsCode(models.Model):
    """A sign-in code sent by SMS. Only its keyed digest is kept; rows also serve the rate limits."""

    phone_index = models.CharField(max_length=32, db_index=True)
    code_digest = models.CharField(max_length=64)
    address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("SMS code")
        verbose_name_plural = _("SMS codes")
        indexes = [models.Index(fields=["address", "created_at"])]

    def __str__(self) -> str:
        return f"SMS code {self.pk} at {self.created_at:%Y-%m-%d %H:%M}"


class ApiKey(models.Model):
    """A key another system uses (Open311, the agency API). Only its SHA-256 is kept; the key is
    shown once, when created."""

    name = models.CharField(_("name"), max_length=100)
    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="api_keys",
                                     verbose_name=_("organisation"))
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class EnrolmentCode(models.Model):
    """A one-time code an administrator issues so that a member of staff can enrol their
    authenticator: whoever merely knows the password cannot see the TOTP secret first. Only a
    keyed digest is kept; the code is shown once, to the administrator who issued it."""

    user = models.ForeignKey(User, models.CASCADE, related_name="enrolment_codes")
    code_digest = models.CharField(max_length=64)
    issued_by = models.ForeignKey(User, models.PROTECT, related_name="+", null=True, blank=True)
    issued_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)


    class Meta:
        verbose_name = _("enrolment code")
        verbose_name_plural = _("enrolment codes")

    def __str__(self) -> str:
        return f"enrolment code for {self.user} ({self.issued_at:%Y-%m-%d %H:%M})"
