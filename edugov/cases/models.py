from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from edugov.accounts.models import Organisation
from edugov.kernel.crypto import EncryptedTextField, blind_index
from edugov.kernel.masking import mask_name, mask_phone


class Priority(models.IntegerChoices):
    NORMAL = 0, _("Normal")
    HIGH = 1, _("High")
    URGENT = 2, _("Urgent")


class Case(models.Model):
    """Every tracked matter of every kind. Domains link their detail model one-to-one.

    `state` is written only by `cases.actions.case_transition`. `next_due_on` is the earliest due
    date of the running clocks, kept by the engine, so "overdue" and "due soon" are range queries."""

    kind = models.CharField(_("kind"), max_length=40, db_index=True)
    reference = models.CharField(_("reference"), max_length=60, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    state = models.CharField(_("state"), max_length=40)
    is_open = models.BooleanField(_("open"), default=True)
    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="cases",
                                     verbose_name=_("organisation"))
    department = models.ForeignKey(Organisation, models.PROTECT, null=True, blank=True, related_name="handled_cases",
                                   verbose_name=_("handling unit"))
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                 related_name="assigned_cases", verbose_name=_("handler"))
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                  related_name="own_cases", verbose_name=_("applicant account"))
    priority = models.SmallIntegerField(_("priority"), choices=Priority.choices, default=Priority.NORMAL)
    opened_at = models.DateTimeField(_("opened at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    next_due_on = models.DateField(_("next due date"), null=True, blank=True)
    contact_name = EncryptedTextField(_("contact name"), blank=True, default="")
    contact_name_index = models.CharField(max_length=32, blank=True, editable=False)
    contact_phone = EncryptedTextField(_("contact phone"), blank=True, default="")
    contact_phone_index = models.CharField(max_length=32, blank=True, editable=False)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [models.UniqueConstraint(fields=["kind", "organisation", "year", "number"], name="case_number_unique")]
        indexes = [
            # a unit's lists by due date; the id makes the order total, so the page needs no sort
            models.Index(fields=["department", "next_due_on", "id"], name="case_dept_due",
                         condition=models.Q(is_open=True)),
            models.Index(fields=["assignee", "next_due_on"], name="case_assignee_due", condition=models.Q(is_open=True)),
            models.Index(fields=["organisation", "kind", "opened_at"]),
            models.Index(fields=["kind", "opened_at"], name="case_kind_opened"),  # a year's figures of a kind
            models.Index(fields=["contact_phone_index"]),
            models.Index(fields=["contact_name_index"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.contact_name_index = blind_index(self.contact_name, purpose="name") if self.contact_name else ""
        self.contact_phone_index = blind_index(self.contact_phone, purpose="phone") if self.contact_phone else ""
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "contact_name_index", "contact_phone_index"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.pk])

    @property
    def workflow(self) -> Any:
        from .workflow import get_workflow

        return get_workflow(self.kind)

    @property
    def state_label(self) -> str:
        try:
            return str(self.workflow.states.get(self.state, self.state))
        except LookupError:
            return self.state

    @property
    def kind_label(self) -> str:
        try:
            return str(self.workflow.title)
        except LookupError:
            return self.kind

    @property
    def masked_contact_name(self) -> str:
        return mask_name(self.contact_name)

    @property
    def masked_contact_phone(self) -> str:
        return mask_phone(self.contact_phone)


class CaseClock(models.Model):
    """One time limit of a case. Pauses are [paused_on, resumed_on] pairs of ISO dates."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="clocks")
    name = models.CharField(max_length=40)
    label = models.CharField(_("time limit"), max_length=80)
    unit = models.CharField(max_length=10)
    amount = models.PositiveIntegerField()
    started_on = models.DateField(_("started on"))
    due_on = models.DateField(_("due on"))
    provisional = models.BooleanField(_("provisional"), default=False)
    pauses = models.JSONField(default=list)
    paused_on = models.DateField(_("paused on"), null=True, blank=True)
    stopped_on = models.DateField(_("stopped on"), null=True, blank=True)
    met = models.BooleanField(_("met"), null=True)
    extended_by = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("time limit")
        verbose_name_plural = _("time limits")
        ordering = ["started_on", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "name"], name="clock_unique_per_case")]
        indexes = [models.Index(fields=["due_on"], name="clock_running_due",
                                condition=models.Q(stopped_on__isnull=True, paused_on__isnull=True))]

    def __str__(self) -> str:
        return f"{self.label} → {self.due_on}"

    @property
    def running(self) -> bool:
        return self.stopped_on is None and self.paused_on is None


class EventKind(models.TextChoices):
    OPENED = "opened", _("Opened")
    TRANSITION = "transition", _("State change")
    ASSIGNED = "assigned", _("Assigned")
    COMMENT = "comment", _("Comment")
    CONTACT = "contact", _("Contact")
    ATTACHMENT = "attachment", _("Attachment")
    CLOCK = "clock", _("Time limit")


class CaseEvent(models.Model):
    """The case timeline; every event has its ledger entry written in the same transaction."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    transition = models.CharField(max_length=40, blank=True)
    from_state = models.CharField(max_length=40, blank=True)
    to_state = models.CharField(max_length=40, blank=True)
    text = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    public = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("Phone call")
    VISIT = "visit", _("Face-to-face meeting")
    SMS = "sms", _("SMS")
    LETTER = "letter", _("Letter")
    ONLINE = "online", _("Online message")


class Recusal(models.Model):
    """回避: a unit that is the subject of a matter (the school a complaint is about, a department
    about its own staff) may supply facts but may not answer or close it, nor be given it to handle;
    the supervision office or the unit above does. One mechanism for every case kind."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="recusals")
    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="+", verbose_name=_("recused unit"))
    reason = models.CharField(_("reason"), max_length=200)
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("recusal")
        verbose_name_plural = _("recusals")
        constraints = [models.UniqueConstraint(fields=["case", "organisation"], name="recusal_once_per_unit")]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.reason}"


class ContactLog(models.Model):
    case = models.ForeignKey(Case, models.CASCADE, related_name="contacts")
    channel = models.CharField(_("channel"), max_length=10, choices=ContactChannel.choices)
    at = models.DateTimeField(_("when"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("by"))
    counterpart = models.CharField(_("with whom"), max_length=60, blank=True)
    # with the case's own party (the complainant, the applicant), and whether they were reached: what
    # the 3233 rule counts (issue 27: a call to the accused, or one nobody answered, is not a contact)
    with_party = models.BooleanField(_("with the party"), default=True)
    reached = models.BooleanField(_("reached"), default=True)
    outcome = models.CharField(_("outcome"), max_length=200)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("contact record")
        verbose_name_plural = _("contact records")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.at:%Y-%m-%d %H:%M}: {self.outcome}"


class Attachment(models.Model):
    case = models.ForeignKey(Case, models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="cases/%Y/%m/")
    thumbnail = models.FileField(upload_to="cases/thumbs/%Y/%m/", blank=True)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    uploaded_at = models.DateTimeField()
    public = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class Reminder(models.Model):
    """A reminder or escalation sent for a clock; the unique key makes sending idempotent, so a
    task killed mid-run and retried neither loses nor repeats one."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Due soon")
        DUE_TODAY = "due_today", _("Due today")
        OVERDUE = "overdue", _("Overdue: the unit's head told")
        ESCALATED = "escalated", _("Overdue: escalated to the supervision office")

    clock = models.ForeignKey(CaseClock, models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="reminders")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["clock", "kind", "recipient"], name="reminder_once")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.clock}"


class CasePart(models.Model):
    """A part of a case given to another unit (会商/联办, joint handling): the case's unit leads,
    an assisting unit answers its own part by its own deadline."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="parts")
    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="case_parts",
                                     verbose_name=_("assisting unit"))
    task = models.CharField(_("its part"), max_length=200)
    due_on = models.DateField(_("due on"))
    created_at = models.DateTimeField()
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    answer = models.TextField(_("answer"), blank=True)

    class Meta:
        verbose_name = _("assisting part")
        verbose_name_plural = _("assisting parts")
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "organisation"], name="case_part_once_per_unit")]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.task}"

    @property
    def met(self) -> bool | None:
        """Answered by its deadline; None while still open and not yet late."""
        if self.answered_at is None:
            return None
        from django.utils import timezone

        return timezone.localdate(self.answered_at) <= self.due_on


class Duty(models.Model):
    """A standing duty that is not a case of its own (a month's risk ledger, the yearly report's
    submission, a legal vice-principal's hours), opened as a case of a duty kind by its domain's
    scheduled job so that it is on the workbench like any other matter. `key` names the duty once
    ("risk.ledger:<school>:2026-11"): the job may run any number of times."""

    key = models.CharField(max_length=80, unique=True)
    case = models.OneToOneField(Case, models.CASCADE, related_name="duty")


    class Meta:
        verbose_name = _("duty")
        verbose_name_plural = _("duties")

    def __str__(self) -> str:
        return self.key
