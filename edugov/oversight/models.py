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


# ---- reports of enforcement misconduct, the discipline group, mediation (issue 32) ----------------

class MisconductChannel(models.Model):
    """How the bureau publishes that officers' conduct may be reported (行政执法监督举报方式), and who
    receives the reports: never the supervision office (督导室), which is not independent of the
    enforcement it oversees, but the legal office or the discipline group (纪检监察组)."""

    organisation = models.OneToOneField(Organisation, models.PROTECT, related_name="misconduct_channel")
    phone = models.CharField(_("telephone for reports"), max_length=40)
    address = models.CharField(_("postal address for letters"), max_length=200)
    receivers = models.ManyToManyField(Organisation, related_name="+", verbose_name=_("units that receive reports"))
    supervisor = models.CharField(_("enforcement supervision body (行政执法监督机构)"), max_length=120,
                                  help_text=_("Under the 行政执法监督条例, the district government's justice bureau (司法局)."))
    published_on = models.DateField(_("published on"))

    class Meta:
        verbose_name = _("misconduct report channel")
        verbose_name_plural = _("misconduct report channels")

    def __str__(self) -> str:
        return str(self.organisation)


class MisconductReport(models.Model):
    """The detail of a case of kind `misconduct_report`: who is reported and what they did. The unit of
    the officer reported is recused on the case from intake (cases.Recusal)."""

    case = models.OneToOneField("cases.Case", models.PROTECT, related_name="misconduct_report")
    channel = models.CharField(_("channel"), max_length=10, choices=[
        ("web", _("Online")), ("phone", _("Telephone")), ("letter", _("Letter")), ("visit", _("In person"))])
    officer_named = models.CharField(_("officer reported (name or certificate number, as given)"), max_length=80,
                                     blank=True)
    officer_unit = models.ForeignKey(Organisation, models.PROTECT, related_name="+", verbose_name=_("officer's unit"))
    what = models.TextField(_("what happened"))
    happened_on = models.DateField(_("when it happened"), null=True, blank=True)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    forwarded_to = models.CharField(_("forwarded to"), max_length=120, blank=True)
    forwarded_on = models.DateField(_("forwarded on"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True)
    substantiated = models.BooleanField(_("substantiated"), null=True)
    told_on = models.DateField(_("reporter told the result on"), null=True, blank=True)

    class Meta:
        verbose_name = _("misconduct report")
        verbose_name_plural = _("misconduct reports")

    def __str__(self) -> str:
        return self.case.reference


class DisciplineKind(models.TextChoices):
    MEETING = "meeting", _("Meeting the group was invited to attend")
    DECISION = "decision", _("Decision and its execution notified to the group")


class DisciplineNotice(models.Model):
    """The discipline inspection group (纪检监察组) stationed at the bureau: a meeting it was invited to
    (列席), or a decision and its execution notified to it (通报), linked to the 三重一大 register."""

    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="discipline_notices")
    kind = models.CharField(_("kind"), max_length=10, choices=DisciplineKind.choices)
    on = models.DateField(_("date"))
    subject = models.CharField(_("meeting or matter"), max_length=200)
    attended_by = models.CharField(_("who of the group attended or received it"), max_length=80)
    decision = models.ForeignKey(Decision, models.PROTECT, null=True, blank=True, related_name="discipline_notices",
                                 verbose_name=_("三重一大 matter"))
    note = models.CharField(_("what the group said"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("notice to the discipline group")
        verbose_name_plural = _("notices to the discipline group")
        ordering = ["-on", "-id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "kind", "on", "subject"],
                                               name="discipline_notice_once")]

    def __str__(self) -> str:
        return f"{self.on} {self.subject}"


class MediationOutcome(models.TextChoices):
    PENDING = "pending", _("Under mediation")
    AGREED = "agreed", _("Agreement reached")
    FAILED = "failed", _("No agreement")


class Mediation(models.Model):
    """A dispute between a family and a school mediated (调解): the parties, the mediator, the community
    that took part (学校、家庭、社区), the outcome and the follow-up (回访)."""

    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="mediations")
    school = models.ForeignKey("registries.School", models.PROTECT, related_name="mediations", verbose_name=_("school"))
    family = models.CharField(_("family party"), max_length=80)
    subject = models.CharField(_("what the dispute is about"), max_length=200)
    started_on = models.DateField(_("mediation started on"))
    mediator = models.CharField(_("mediator"), max_length=80)
    community = models.CharField(_("community that took part (社区)"), max_length=80, blank=True)
    risk_item = models.ForeignKey(RiskItem, models.PROTECT, null=True, blank=True, related_name="mediations",
                                  verbose_name=_("from the risk ledger"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=MediationOutcome.choices,
                               default=MediationOutcome.PENDING)
    agreement = models.CharField(_("agreement, or why none was reached"), max_length=300, blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    followed_up_on = models.DateField(_("followed up on"), null=True, blank=True)
    follow_up = models.CharField(_("what the follow-up found"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("mediation")
        verbose_name_plural = _("mediations")
        ordering = ["-started_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["school", "family", "subject", "started_on"],
                                               name="mediation_once")]

    def __str__(self) -> str:
        return f"{self.school} · {self.family}"
