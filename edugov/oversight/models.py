"""Registers of open government (政务公开): what was published, the inquiries answered and the
problems they solved; online patrols, risk screening and the 三重一大 register. (The lectures given in
schools moved to the leadership app, issue 31.)"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from edugov.accounts.models import Organisation


class Channel(models.TextChoices):
    WEBSITE = "website", _("Government website")
    WECHAT = "wechat", _("WeChat official account")
    MEDIA = "media", _("Converged-media Q&A")
    HOTLINE = "hotline", _("Hotline")
    NOTICE = "notice", _("Notice board")


class PublicationItem(models.Model):
    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="publication_items")
    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("category"), max_length=40)
    published_on = models.DateField(_("published on"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("disclosure item")
        verbose_name_plural = _("disclosure items")
        ordering = ["-published_on", "-id"]
        indexes = [models.Index(fields=["organisation", "published_on"])]

    def __str__(self) -> str:
        return self.title


class Inquiry(models.Model):
    """An inquiry answered (热线、问政咨询), and whether it solved a concrete problem."""

    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="inquiries")
    received_on = models.DateField(_("received on"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    summary = models.CharField(_("what was asked"), max_length=200)
    answered_on = models.DateField(_("answered on"))
    problem_solved = models.BooleanField(_("a concrete problem was solved"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["organisation", "answered_on"])]

    def __str__(self) -> str:
        return self.summary


class PatrolSource(models.TextChoices):
    ONLINE = "online", _("Online patrol")
    VISIT = "visit", _("Visit by a leader or a linked department")


class PatrolRecord(models.Model):
    """A day's online patrol of a school (线上巡查): what was checked and what was found. A finding of
    a leader's or a linked department's visit (领导包片、科室联校) enters here too, marked as such, so that
    it follows the same rectification clock."""

    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="patrols")
    school = models.ForeignKey("registries.School", models.PROTECT, related_name="patrols", verbose_name=_("school"))
    on = models.DateField(_("date"))
    checked = models.CharField(_("what was checked"), max_length=200)
    finding = models.CharField(_("what was found (empty: nothing wrong)"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=PatrolSource.choices, default=PatrolSource.ONLINE)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("patrol record")
        verbose_name_plural = _("patrol records")
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["organisation", "on"])]

    def __str__(self) -> str:
        return f"{self.on} {self.school}"


class ItemStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Rectification(models.Model):
    """A patrol finding sent to the school, tracked until the school closes it (闭环)."""

    patrol = models.OneToOneField(PatrolRecord, models.CASCADE, related_name="rectification")
    # the case on the engine whose clock is the deadline (rectifications made before 2026-12 have none)
    case = models.OneToOneField("cases.Case", models.PROTECT, null=True, blank=True, related_name="patrol_rectification")
    deadline = models.DateField(_("rectify by"))
    status = models.CharField(_("status"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_note = models.CharField(_("how it was rectified"), max_length=300, blank=True)


    class Meta:
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")

    def __str__(self) -> str:
        return f"{self.patrol} → {self.deadline}"


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low risk")
    MEDIUM = "medium", _("Medium risk")
    HIGH = "high", _("High risk")


class RiskLedger(models.Model):
    """A school's monthly ledger of risks and disputes (风险隐患和矛盾纠纷排查台账)."""

    school = models.ForeignKey("registries.School", models.PROTECT, related_name="risk_ledgers")
    month = models.DateField(_("month"))  # the first day of the month
    submitted_at = models.DateTimeField(_("submitted at"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("risk ledger")
        verbose_name_plural = _("risk ledgers")
        ordering = ["-month", "school"]
        constraints = [models.UniqueConstraint(fields=["school", "month"], name="one_ledger_a_month")]

    def __str__(self) -> str:
        return f"{self.school} {self.month:%Y-%m}"


class RiskItem(models.Model):
    ledger = models.ForeignKey(RiskLedger, models.CASCADE, related_name="items")
    category = models.CharField(_("category"), max_length=40)
    level = models.CharField(_("level"), max_length=10, choices=RiskLevel.choices)
    people = models.CharField(_("people involved"), max_length=120)
    measures = models.CharField(_("measures taken"), max_length=300)
    responsible = models.CharField(_("responsible person"), max_length=60)
    status = models.CharField(_("status"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    countermeasure = models.CharField(_("the bureau's countermeasure"), max_length=300, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)


    class Meta:
        verbose_name = _("risk item")
        verbose_name_plural = _("risk items")

    def __str__(self) -> str:
        return f"{self.ledger} {self.category} ({self.get_level_display()})"


class DecisionCategory(models.TextChoices):
    """三重一大."""

    DECISION = "decision", _("Major decision")
    PERSONNEL = "personnel", _("Important appointment or removal")
    PROJECT = "project", _("Major project")
    FUNDS = "funds", _("Use of large funds")


class Decision(models.Model):
    """A 三重一大 matter: the meeting, the legal adviser's review, the fair-competition review where it
    applies, the decision and its execution."""

    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="decisions")
    category = models.CharField(_("category"), max_length=20, choices=DecisionCategory.choices)
    matter = models.CharField(_("matter"), max_length=200)
    meeting = models.CharField(_("meeting"), max_length=120)
    met_on = models.DateField(_("meeting date"))
    legal_opinion = models.TextField(_("legal adviser's review opinion"))
    fair_competition = models.TextField(_("fair-competition review (where it applies)"), blank=True)
    decision = models.TextField(_("decision"))
    executed_on = models.DateField(_("executed on"), null=True, blank=True)
    execution = models.TextField(_("how it was executed"), blank=True)
    # the 重大行政决策 this matter decided, with its participation, review and discussion (legality app)
    major_decision = models.ForeignKey("cases.Case", models.PROTECT, null=True, blank=True, related_name="+",
                                       verbose_name=_("major administrative decision"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("major decision (三重一大)")
        verbose_name_plural = _("major decisions (三重一大)")
        ordering = ["-met_on", "-id"]

    def __str__(self) -> str:
        return self.matter


class LedgerChase(models.Model):
    """The bureau chasing a school for a missing monthly ledger; the school sees it on its page."""

    school = models.ForeignKey("registries.School", models.PROTECT, related_name="ledger_chases")
    month = models.DateField(_("month"))
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("ledger reminder")
        verbose_name_plural = _("ledger reminders")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.school} {self.month:%Y-%m}"


# ---- leaders' areas and departments' linked schools (领导包片、科室联校, issue 31) --------------------

class LiaisonKind(models.TextChoices):
    AREA = "area", _("A leader's area (领导包片)")
    DEPARTMENT = "department", _("A department's linked schools (科室联校)")


class Liaison(models.Model):
    """Which leader covers which schools, or which department is linked to them, from when."""

    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="liaisons")
    kind = models.CharField(_("kind"), max_length=12, choices=LiaisonKind.choices)
    name = models.CharField(_("area or link"), max_length=80)
    holder = models.CharField(_("leader or department"), max_length=80)
    department = models.ForeignKey(Organisation, models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("department"))
    schools = models.ManyToManyField("registries.School", related_name="liaisons", verbose_name=_("schools"))
    since = models.DateField(_("since"))
    until = models.DateField(_("until"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("leader's area or linked department")
        verbose_name_plural = _("leaders' areas and linked departments")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.holder}）"


class LiaisonVisit(models.Model):
    """A visit to a school of the area or the link: who went, what was checked, what was found."""

    liaison = models.ForeignKey(Liaison, models.PROTECT, related_name="visits", verbose_name=_("area or link"))
    school = models.ForeignKey("registries.School", models.PROTECT, related_name="liaison_visits",
                               verbose_name=_("school"))
    visited_on = models.DateField(_("visited on"))
    visitors = models.CharField(_("who visited"), max_length=120)
    checked = models.CharField(_("what was checked"), max_length=200)
    found = models.CharField(_("what was found (empty: nothing wrong)"), max_length=300, blank=True)
    # a finding enters the patrol records and their rectification clock
    patrol = models.OneToOneField(PatrolRecord, models.PROTECT, null=True, blank=True, related_name="visit")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("visit to a linked school")
        verbose_name_plural = _("visits to linked schools")
        ordering = ["-visited_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["liaison", "school", "visited_on"], name="one_visit_a_day")]
        indexes = [models.Index(fields=["school", "visited_on"])]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.school}"
