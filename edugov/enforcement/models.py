"""Administrative enforcement (行政执法): claimed items, the random-inspection list, campaigns and
plans, field outings with their teams, inspections of targets, findings, penalty cases with legal
review, and what is published (一公开)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from edugov.accounts.models import Organisation
from edugov.cases.models import Case
from edugov.registries.models import Institution, Person


class EnforcementItem(models.Model):
    """An enforcement item of the city catalogue (执法事项), claimed (认领) or released by a bureau."""

    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="enforcement_items")
    code = models.CharField(_("item code"), max_length=40)
    name = models.CharField(_("item"), max_length=200)
    legal_basis = models.TextField(_("legal basis"))
    penalty_range = models.CharField(_("penalty range"), max_length=300, blank=True)
    fine_min = models.DecimalField(_("lowest fine (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    fine_max = models.DecimalField(_("highest fine (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    department = models.ForeignKey(Organisation, models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("responsible department"))
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    release_reason = models.CharField(_("reason for release"), max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="item_code_unique")]
        verbose_name = _("enforcement item")
        verbose_name_plural = _("enforcement items")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def claimed(self) -> bool:
        return self.claimed_at is not None and self.released_at is None


class InspectionMatter(models.Model):
    """A line of the random-inspection list (随机抽查事项清单)."""

    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="inspection_matters")
    name = models.CharField(_("matter"), max_length=120)
    content = models.TextField(_("what is checked"))
    legal_basis = models.TextField(_("legal basis"))
    method = models.CharField(_("method"), max_length=120)
    frequency = models.CharField(_("frequency"), max_length=60)
    publication = models.CharField(_("how results are published"), max_length=120)
    checklist = models.JSONField(_("checklist items"), default=list)

    class Meta:
        ordering = ["id"]
        verbose_name = _("random-inspection matter")
        verbose_name_plural = _("random-inspection matters")

    def __str__(self) -> str:
        return self.name


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low risk")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High risk")


class TargetProfile(models.Model):
    """The target roster's view of an institution: its risk level and declared conflicts."""

    institution = models.OneToOneField(Institution, models.CASCADE, related_name="enforcement_profile")
    risk = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices, default=RiskLevel.NORMAL)
    conflicts = models.ManyToManyField(Person, blank=True, related_name="declared_conflicts",
                                       verbose_name=_("inspectors with a declared conflict"))

    class Meta:
        verbose_name = _("target profile")
        verbose_name_plural = _("target profiles (risk and conflicts)")

    def __str__(self) -> str:
        return f"{self.institution} ({self.get_risk_display()})"


class CampaignKind(models.TextChoices):
    PLAN = "plan", _("Random inspection (双随机)")
    SPECIAL = "special", _("Special campaign")
    JOINT = "joint", _("Joint operation")


class Campaign(models.Model):
    """A piece of planned enforcement work: a 双随机 inspection under the annual plan, a special
    campaign (e.g. 双减, usually covering every target), or a joint operation with other agencies."""

    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="campaigns")
    kind = models.CharField(_("kind"), max_length=10, choices=CampaignKind.choices)
    title = models.CharField(_("title"), max_length=120)
    matter = models.ForeignKey(InspectionMatter, models.PROTECT, related_name="campaigns", verbose_name=_("matter"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    full_coverage = models.BooleanField(_("every target (full coverage)"), default=False)
    ratio = models.DecimalField(_("share drawn"), max_digits=4, decimal_places=3, default=0.05)
    high_risk_ratio = models.DecimalField(_("share drawn of high-risk or complained-of targets"), max_digits=4,
                                          decimal_places=3, default=0.2)
    team_size = models.PositiveSmallIntegerField(_("inspectors per team"), default=2)
    cap = models.PositiveSmallIntegerField(_("outings per inspector at most"), default=3)
    per_outing = models.PositiveSmallIntegerField(_("targets per outing"), default=8)
    agencies = models.CharField(_("agencies taking part"), max_length=300, blank=True)
    target_draw = models.ForeignKey("draws.Draw", models.PROTECT, null=True, blank=True, related_name="+")
    team_draw = models.ForeignKey("draws.Draw", models.PROTECT, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("enforcement:campaign", args=[self.pk])


class Outing(models.Model):
    """One team's field outing (出动): its members are the attendances (人次) of the figures."""

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="outings")
    number = models.PositiveSmallIntegerField()
    on = models.DateField(_("date"))
    team = models.ManyToManyField(Person, related_name="outings", verbose_name=_("team"))

    class Meta:
        verbose_name = _("inspection outing")
        verbose_name_plural = _("inspection outings")
        ordering = ["campaign", "number"]
        constraints = [models.UniqueConstraint(fields=["campaign", "number"], name="outing_number_unique")]

    def __str__(self) -> str:
        return f"{self.campaign} #{self.number}"


class Stage(models.TextChoices):
    """The five stages of the full-process record (全过程记录)."""

    STARTED = "started", _("Started (启动)")
    INVESTIGATING = "investigating", _("Investigation and evidence (调查取证)")
    DECIDING = "deciding", _("Review and decision (审查决定)")
    SERVING = "serving", _("Service and execution (送达执行)")
    ARCHIVED = "archived", _("Archived (归档)")


class Inspection(models.Model):
    """One visit to one target (家次). A target outside the registry (an unlicensed operator found
    on the street) is named in `target_name`."""

    campaign = models.ForeignKey(Campaign, models.PROTECT, related_name="inspections")
    # the case on the engine whose state is `stage` (the engine writes it; inspections drawn before
    # 2026-12 have none and keep their stage alone)
    case = models.OneToOneField("cases.Case", models.PROTECT, null=True, blank=True, related_name="inspection")
    outing = models.ForeignKey(Outing, models.PROTECT, related_name="inspections")
    institution = models.ForeignKey(Institution, models.PROTECT, null=True, blank=True, related_name="inspections")
    target_name = models.CharField(_("target"), max_length=120)
    address = models.CharField(_("address"), max_length=200, blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.STARTED)
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    certificates_shown = models.BooleanField(_("enforcement certificates shown"), default=False)
    checklist = models.JSONField(_("checklist"), default=dict)
    people_met = models.CharField(_("people met"), max_length=200, blank=True)
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["outing__on", "id"]
        indexes = [models.Index(fields=["institution", "arrived_at"])]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")

    def __str__(self) -> str:
        return f"{self.target_name} · {self.outing.on}"

    def get_absolute_url(self) -> str:
        return reverse("enforcement:inspection", args=[self.pk])


class EvidenceFile(models.Model):
    """A photo or video taken on site; its SHA-256 is in the ledger entry of the upload."""

    inspection = models.ForeignKey(Inspection, models.CASCADE, related_name="files")
    file = models.FileField(upload_to="enforcement/%Y/%m/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")


    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.name


class FindingKind(models.TextChoices):
    COMPLIANT = "compliant", _("Compliant")
    RECTIFICATION = "rectification", _("Rectification notice")
    INTERVIEW = "interview", _("Interview (约谈)")
    NO_PERMIT = "no_permit", _("Neither business licence nor education permit (无证无照)")
    BEYOND_PERMIT = "beyond_permit", _("Licensed but without or beyond the education permit (有照无证/超许可)")
    PENALTY = "penalty", _("Referred to a penalty case")


class Finding(models.Model):
    inspection = models.ForeignKey(Inspection, models.CASCADE, related_name="findings")
    kind = models.CharField(_("finding"), max_length=20, choices=FindingKind.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    at = models.DateTimeField()
    notice_number = models.CharField(_("notice number"), max_length=60, blank=True)
    deadline = models.DateField(_("rectify by"), null=True, blank=True)
    reinspect_on = models.DateField(_("re-inspection on"), null=True, blank=True)
    reinspected_at = models.DateTimeField(_("re-inspected at"), null=True, blank=True)
    interviewee = models.CharField(_("person interviewed"), max_length=60, blank=True)
    served_at = models.DateTimeField(_("served at"), null=True, blank=True)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["kind", "at"])]
        constraints = [models.UniqueConstraint(fields=["notice_number"], condition=~models.Q(notice_number=""),
                                               name="finding_notice_number_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.inspection}"


class PenaltyType(models.TextChoices):
    """校外培训行政处罚暂行办法 (2023)."""

    WARNING = "warning", _("Warning or public criticism")
    FINE = "fine", _("Fine")
    CONFISCATION = "confiscation", _("Confiscation of unlawful gains")
    STOP_ENROLLING = "stop_enrolling", _("Order to stop enrolling")
    STOP_OPERATING = "stop_operating", _("Order to stop operating")
    REVOKE_PERMIT = "revoke_permit", _("Revocation of the permit")
    TRADE_BAN = "trade_ban", _("Restriction from the trade")


class Penalty(models.Model):
    """What a case of kind `penalty` carries besides the engine's fields."""

    case = models.OneToOneField(Case, models.CASCADE, related_name="penalty")
    inspection = models.ForeignKey(Inspection, models.PROTECT, null=True, blank=True, related_name="penalties")
    item = models.ForeignKey(EnforcementItem, models.PROTECT, related_name="penalties", verbose_name=_("item"))
    party_name = models.CharField(_("party"), max_length=120)
    party_is_person = models.BooleanField(_("the party is a natural person"), default=False)
    facts = models.TextField(_("facts"))
    is_major = models.BooleanField(_("major decision (legal review required)"), default=True)
    hearing_requested = models.BooleanField(_("hearing requested"), default=False)
    penalty_types = models.JSONField(_("penalties"), default=list)
    fine = models.DecimalField(_("fine (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    confiscated = models.DecimalField(_("confiscated (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True)
    decision_text = models.TextField(_("decision"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    # 行政处罚法 art. 36: the act (or its end, when it continued), and whether it harmed life, health
    # or financial safety with consequences (5 years instead of 2)
    act_on = models.DateField(_("date of the act (or of its end)"), null=True, blank=True)
    harm = models.BooleanField(_("harmed life, health or financial safety, with consequences"), default=False)
    collective_discussion = models.TextField(_("collective discussion by the bureau's heads"), blank=True)
    served_on = models.DateField(_("decision served on"), null=True, blank=True)
    reminded_on = models.DateField(_("reminder (催告) served on"), null=True, blank=True)

    class Meta:
        verbose_name = _("penalty case")
        verbose_name_plural = _("penalty cases")

    def __str__(self) -> str:
        return f"{self.case.reference} {self.party_name}"


class ReviewOutcome(models.TextChoices):
    AGREE = "agree", _("Agree")
    CORRECT = "correct", _("Correct and resubmit")
    REFER = "refer", _("Refer for collective discussion")


REVIEW_POINTS = {
    "competence": _("Competence of the bureau"),
    "facts": _("Facts are clear"),
    "evidence": _("Evidence is sufficient"),
    "law": _("Law applied correctly"),
    "discretion": _("Discretion within the standard"),
    "procedure": _("Procedure lawful"),
    "documents": _("Documents complete and correct"),
}


class LegalReview(models.Model):
    """法制审核 of a major penalty decision, before the decision."""

    penalty = models.ForeignKey(Penalty, models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField()
    checks = models.JSONField(default=dict)
    outcome = models.CharField(_("outcome"), max_length=10, choices=ReviewOutcome.choices)
    opinion = models.TextField(_("opinion"))

    class Meta:
        verbose_name = _("legal review")
        verbose_name_plural = _("legal reviews")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.penalty} · {self.get_outcome_display()}"


class PublicationKind(models.TextChoices):
    INSPECTION = "inspection", _("Inspection result")
    PENALTY = "penalty", _("Penalty decision")


class Publication(models.Model):
    """What the public site shows (一公开), with the date it was due and when it comes down."""

    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="enforcement_publications")
    kind = models.CharField(max_length=20, choices=PublicationKind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField()
    party_is_person = models.BooleanField(default=False)
    inspection = models.ForeignKey(Inspection, models.CASCADE, null=True, blank=True, related_name="publications")
    penalty = models.ForeignKey(Penalty, models.CASCADE, null=True, blank=True, related_name="publications")
    draw = models.ForeignKey("draws.Draw", models.PROTECT, null=True, blank=True, related_name="+")
    due_on = models.DateField(_("due on"))
    published_at = models.DateTimeField(_("published at"))
    take_down_on = models.DateField(_("comes down on"))
    taken_down_at = models.DateTimeField(_("taken down at"), null=True, blank=True)
    take_down_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("published result")
        verbose_name_plural = _("published results")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["organisation", "taken_down_at", "published_at"])]

    def __str__(self) -> str:
        return self.title


# ---- officers' training and yearly assessment (issue 31) -----------------------------------------

# The hours a year each officer is trained, unless the year's plan sets more: the 法治政府建设实施纲要
# (2021—2025年) asks that every enforcement officer receive at least 60 hours a year of training in
# their field's knowledge and the law (the plan records the figure it adopted).
DEFAULT_TRAINING_HOURS = 60


class TrainingPlan(models.Model):
    """The bureau's yearly training plan for its enforcement officers (学习培训计划)."""

    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="training_plans")
    year = models.PositiveIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    required_hours = models.PositiveSmallIntegerField(_("hours required of each officer"),
                                                      default=DEFAULT_TRAINING_HOURS)
    approved_on = models.DateField(_("approved on"))
    content = models.TextField(_("what the plan sets out"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("training plan")
        verbose_name_plural = _("training plans")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="one_training_plan_a_year")]

    def __str__(self) -> str:
        return self.title


class TrainingKind(models.TextChoices):
    CONCENTRATED = "concentrated", _("Concentrated study (集中学习)")
    CASE_EXCHANGE = "case_exchange", _("Exchange of enforcement cases (案例交流)")
    DOCUMENT_REVIEW = "document_review", _("Review of enforcement documents (文书点评)")
    CASE_DISCUSSION = "case_discussion", _("Case analysis and discussion (案例讨论)")
    SELF_STUDY = "self_study", _("Self-study (自学)")


class TrainingSession(models.Model):
    plan = models.ForeignKey(TrainingPlan, models.PROTECT, related_name="sessions")
    kind = models.CharField(_("kind"), max_length=20, choices=TrainingKind.choices)
    held_on = models.DateField(_("held on"))
    topic = models.CharField(_("topic"), max_length=200)
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    teacher = models.CharField(_("taught or led by"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-held_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["plan", "held_on", "topic"], name="one_training_session")]

    def __str__(self) -> str:
        return f"{self.held_on} {self.topic}"


class TrainingHours(models.Model):
    """An officer's hours: at a session (its hours), or self-study recorded on its own."""

    plan = models.ForeignKey(TrainingPlan, models.PROTECT, related_name="hours")
    officer = models.ForeignKey(Person, models.PROTECT, related_name="training_hours", verbose_name=_("officer"))
    session = models.ForeignKey(TrainingSession, models.PROTECT, null=True, blank=True, related_name="attendance")
    studied_on = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("training hours")
        verbose_name_plural = _("training hours")
        ordering = ["-studied_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "officer"], name="attended_once"),
            models.UniqueConstraint(fields=["plan", "officer", "studied_on", "topic"], name="studied_once"),
        ]
        indexes = [models.Index(fields=["plan", "officer"])]

    def __str__(self) -> str:
        return f"{self.officer} {self.studied_on} {self.hours}"


class AssessmentResult(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent (优秀)")
    COMPETENT = "competent", _("Competent (合格)")
    BASIC = "basic", _("Basically competent (基本合格)")
    FAIL = "fail", _("Not competent (不合格)")


class OfficerAssessment(models.Model):
    """The yearly assessment (考核) of an officer under the year's plan."""

    plan = models.ForeignKey(TrainingPlan, models.PROTECT, related_name="assessments")
    officer = models.ForeignKey(Person, models.PROTECT, related_name="assessments", verbose_name=_("officer"))
    result = models.CharField(_("result"), max_length=12, choices=AssessmentResult.choices)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    assessed_on = models.DateField(_("assessed on"))
    note = models.CharField(_("remarks"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("officer's yearly assessment")
        verbose_name_plural = _("officers' yearly assessments")
        constraints = [models.UniqueConstraint(fields=["plan", "officer"], name="assessed_once_a_year")]

    def __str__(self) -> str:
        return f"{self.plan.year} {self.officer} {self.get_result_display()}"

    @property
    def passed(self) -> bool:
        return self.result != AssessmentResult.FAIL
