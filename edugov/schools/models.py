"""Legal vice-principals (法治副校长, 教育部令第52号): appointments to schools, the class hours they
teach, and the school's yearly evaluation of them."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from edugov.kernel.crypto import EncryptedTextField
from edugov.registries.models import Person, School

MIN_HOURS_PER_SCHOOL_YEAR = 4
MAX_SCHOOLS_PER_PERSON = 2
MAX_AGE = 65
LARGE_SCHOOL_STUDENTS = 2000  # a school this large is advised to have 2 to 5 legal vice-principals


def school_year_of(day: dt.date) -> int:
    """A school year is named by the year it starts in: 1 September 2024 – 31 August 2025 is 2024."""
    return day.year if day.month >= 9 else day.year - 1


class AppointmentKind(models.TextChoices):
    VICE_PRINCIPAL = "vice_principal", _("Legal vice-principal (法治副校长)")
    COUNSELLOR = "counsellor", _("Legal counsellor (法治辅导员)")


class Appointment(models.Model):
    # 法治辅导员 are appointed the same way, beside the vice-principals (issue 32); the coverage of public
    # schools counts vice-principals only
    kind = models.CharField(_("appointed as"), max_length=20, choices=AppointmentKind.choices,
                            default=AppointmentKind.VICE_PRINCIPAL)
    person = models.ForeignKey(Person, models.PROTECT, related_name="appointments", verbose_name=_("legal vice-principal"))
    school = models.ForeignKey(School, models.PROTECT, related_name="legal_vps", verbose_name=_("school"))
    starts_on = models.DateField(_("term starts on"))
    ends_on = models.DateField(_("term ends on"))
    letter_number = models.CharField(_("letter of appointment number"), max_length=60)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=200, blank=True)
    replaces = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("replaces"))
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["school__name", "-starts_on"]
        indexes = [models.Index(fields=["school", "ended_on"]), models.Index(fields=["person", "ended_on"])]
        # kernel.numbering issues each letter number once; the database refuses a second anyway.
        constraints = [models.UniqueConstraint(fields=["letter_number"], name="appointment_letter_unique")]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")

    def __str__(self) -> str:
        return f"{self.person} · {self.school}"

    def active_on(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on and (self.ended_on is None or self.ended_on > day)


class ClassSession(models.Model):
    """A rule-of-law class taught at the school (date, topic, class, hours)."""

    appointment = models.ForeignKey(Appointment, models.PROTECT, related_name="sessions")
    on = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=120)
    class_name = models.CharField(_("class"), max_length=60)
    hours = models.DecimalField(_("class hours"), max_digits=4, decimal_places=1)
    school_year = models.PositiveSmallIntegerField(editable=False)
    photo = models.FileField(upload_to="lvp/%Y/%m/", blank=True)
    photo_sha256 = models.CharField(max_length=64, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("law class")
        verbose_name_plural = _("law classes")
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["appointment", "school_year"])]

    def __str__(self) -> str:
        return f"{self.on} {self.topic}"


class Evaluation(models.Model):
    """The school's yearly evaluation of its legal vice-principal, heard from staff, students and
    parents; sent to the sending agency."""

    appointment = models.ForeignKey(Appointment, models.PROTECT, related_name="evaluations")
    school_year = models.PositiveSmallIntegerField()
    scores = models.JSONField()  # {"staff": 0-100, "students": 0-100, "parents": 0-100}
    total = models.DecimalField(max_digits=5, decimal_places=1)
    comment = models.TextField(_("comment"))
    evaluated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")
    evaluated_at = models.DateTimeField()
    sent_to = models.CharField(_("sent to"), max_length=120)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [models.UniqueConstraint(fields=["appointment", "school_year"], name="one_evaluation_a_year")]

    def __str__(self) -> str:
        return f"{self.appointment} {self.school_year}: {self.total}"


class CorrectionCase(models.Model):
    """A student's correction at the special school (专门学校). Need-to-know: only the staff assigned
    to the case see it, and every view is a ledger entry; no figure, export or page outside them
    carries a name."""

    school = models.ForeignKey(School, models.PROTECT, related_name="correction_cases", verbose_name=_("special school"))
    student_name = EncryptedTextField(_("student"))
    admitted_on = models.DateField(_("admitted on"))
    released_on = models.DateField(_("released on"), null=True, blank=True)
    assigned = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="correction_cases",
                                      verbose_name=_("staff assigned"))
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-admitted_on", "-id"]
        indexes = [models.Index(fields=["school", "released_on"])]
        verbose_name = _("correction case")
        verbose_name_plural = _("correction cases")

    def __str__(self) -> str:
        return str(_("Correction case %(n)d") % {"n": self.pk})  # never the name: this string appears in lists and logs


class FollowUp(models.Model):
    case = models.ForeignKey(CorrectionCase, models.CASCADE, related_name="follow_ups")
    on = models.DateField(_("date"))
    method = models.CharField(_("how"), max_length=40)
    note = models.TextField(_("what was found"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("follow-up visit")
        verbose_name_plural = _("follow-up visits")
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.case} {self.on}"


class Reoffence(models.Model):
    """A new offence or violation recorded after release."""

    case = models.ForeignKey(CorrectionCase, models.CASCADE, related_name="reoffences")
    on = models.DateField(_("date"))
    description = models.TextField(_("what happened"))
    source = models.CharField(_("reported by"), max_length=80)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("reoffence")
        verbose_name_plural = _("reoffences")
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.case} {self.on}"


class DemoStage(models.TextChoices):
    """依法治校示范校: 申报 → 资料审查 → 实地评估 → 命名."""

    APPLIED = "applied", _("Applied")
    MATERIALS_PASSED = "materials_passed", _("Passed the material review")
    ASSESSED = "assessed", _("Assessed on site")
    NAMED = "named", _("Named a demonstration school")
    NOT_PASSED = "not_passed", _("Not passed")


DEMO_ORDER = [DemoStage.APPLIED, DemoStage.MATERIALS_PASSED, DemoStage.ASSESSED, DemoStage.NAMED]


class DemoApplication(models.Model):
    school = models.ForeignKey(School, models.PROTECT, related_name="demo_applications")
    year = models.PositiveSmallIntegerField(_("year"))
    stage = models.CharField(_("stage"), max_length=20, choices=DemoStage.choices, default=DemoStage.APPLIED)
    materials_passed_on = models.DateField(null=True, blank=True)
    case_title = models.CharField(_("rule-of-law case"), max_length=200, blank=True)
    case_adopted_on = models.DateField(_("case adopted by the city on"), null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("model-school application")
        verbose_name_plural = _("model-school applications")
        ordering = ["-year", "school__name"]
        constraints = [models.UniqueConstraint(fields=["school", "year"], name="one_demo_application_a_year")]

    def __str__(self) -> str:
        return f"{self.school} {self.year}"


class Course(models.Model):
    """A course of the legal-education catalogue; a dual-teacher course pairs a teacher and an officer."""

    organisation = models.ForeignKey("accounts.Organisation", models.PROTECT, related_name="law_courses")
    title = models.CharField(_("title"), max_length=200)
    teacher = models.CharField(_("teacher"), max_length=60)
    officer = models.CharField(_("police or judicial officer"), max_length=60, blank=True)
    added_on = models.DateField(_("added on"))

    class Meta:
        verbose_name = _("law course")
        verbose_name_plural = _("law courses")
        ordering = ["-added_on", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def dual_teacher(self) -> bool:
        return bool(self.officer)


class QuizParticipation(models.Model):
    """A school's return for a legal-education campaign (e.g. the online constitution quiz):
    participants and the enrolled students they are counted against, imported from XLSX."""

    campaign = models.CharField(_("campaign"), max_length=120)
    year = models.PositiveSmallIntegerField(_("year"))
    school = models.ForeignKey(School, models.PROTECT, related_name="quiz_returns")
    participants = models.PositiveIntegerField(_("participants"))
    enrolled = models.PositiveIntegerField(_("enrolled students"))

    class Meta:
        verbose_name = _("quiz participation")
        verbose_name_plural = _("quiz participations")
        constraints = [models.UniqueConstraint(fields=["campaign", "year", "school"], name="one_return_per_school")]

    def __str__(self) -> str:
        return f"{self.campaign} {self.school}: {self.participants}/{self.enrolled}"


class ContestKind(models.TextChoices):
    CONSTITUTION = "constitution", _("National constitution contest")
    COMICS = "comics", _("Rule-of-law comics contest")
    COURSE = "course", _("Rule-of-law course competition")


class Award(models.TextChoices):
    NONE = "", _("No award")
    FIRST = "first", _("First prize")
    SECOND = "second", _("Second prize")
    THIRD = "third", _("Third prize")


class ContestEntry(models.Model):
    kind = models.CharField(_("contest"), max_length=20, choices=ContestKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    school = models.ForeignKey(School, models.PROTECT, related_name="contest_entries")
    entrant = models.CharField(_("student or teacher"), max_length=60)
    title = models.CharField(_("entry"), max_length=200, blank=True)
    forwarded = models.BooleanField(_("forwarded to the city round"), default=False)
    finalist = models.BooleanField(_("in the city final"), default=False)
    award = models.CharField(_("city award"), max_length=10, choices=Award.choices, blank=True)

    class Meta:
        verbose_name = _("contest entry")
        verbose_name_plural = _("contest entries")
        ordering = ["-year", "kind", "school__name"]
        indexes = [models.Index(fields=["kind", "year"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.entrant}"


# ---- the school's own rule of law: its charter, rule-of-law lessons, the constitution week,
# communication with families (issue 32) -------------------------------------------------------------

class CharterStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted for approval")
    APPROVED = "approved", _("Approved (核准)")
    RETURNED = "returned", _("Returned for changes")
    PUBLISHED = "published", _("Approved and published")


class CharterRevision(models.Model):
    """A revision of the school's charter (章程): adopted by the school, approved (核准) by the bureau,
    then published; never published without the approval."""

    school = models.ForeignKey(School, models.PROTECT, related_name="charter_revisions", verbose_name=_("school"))
    version = models.PositiveSmallIntegerField(_("revision"))
    summary = models.CharField(_("what the revision changes"), max_length=300)
    adopted_on = models.DateField(_("adopted by the school (教代会) on"))
    submitted_on = models.DateField(_("submitted on"))
    status = models.CharField(_("status"), max_length=10, choices=CharterStatus.choices,
                              default=CharterStatus.SUBMITTED)
    decided_on = models.DateField(_("approved or returned on"), null=True, blank=True)
    decision_note = models.CharField(_("the bureau's opinion"), max_length=300, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    published_on = models.DateField(_("published on"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("charter revision")
        verbose_name_plural = _("charter revisions")
        ordering = ["school__name", "-version"]
        constraints = [models.UniqueConstraint(fields=["school", "version"], name="charter_revision_once")]

    def __str__(self) -> str:
        return f"{self.school} · {self.version}"


class Lesson(models.Model):
    """A rule-of-law lesson the school gave (法治课): at least two a term in every school."""

    school = models.ForeignKey(School, models.PROTECT, related_name="law_lessons", verbose_name=_("school"))
    held_on = models.DateField(_("date"))
    term_start = models.DateField(_("term"))  # kernel.calendar.school_term(held_on)[0]
    class_name = models.CharField(_("class or grade"), max_length=60)
    topic = models.CharField(_("topic"), max_length=120)
    teacher = models.CharField(_("taught by"), max_length=60)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("rule-of-law lesson")
        verbose_name_plural = _("rule-of-law lessons")
        ordering = ["-held_on", "school__name"]
        constraints = [models.UniqueConstraint(fields=["school", "held_on", "class_name", "topic"],
                                               name="lesson_once")]
        indexes = [models.Index(fields=["term_start", "school"])]

    def __str__(self) -> str:
        return f"{self.held_on} {self.school} {self.topic}"


class ConstitutionWeek(models.Model):
    """The school's part in the constitution week (宪法宣传周, around 4 December): whether it took part in
    the morning reading of the constitution (宪法晨读), how many took part, what it held."""

    school = models.ForeignKey(School, models.PROTECT, related_name="constitution_weeks", verbose_name=_("school"))
    year = models.PositiveSmallIntegerField(_("year"))
    morning_reading = models.BooleanField(_("took part in the morning reading (宪法晨读)"), default=False)
    participants = models.PositiveIntegerField(_("students and teachers who took part"))
    activities = models.CharField(_("what the school held"), max_length=300)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("constitution week participation")
        verbose_name_plural = _("constitution week participations")
        ordering = ["-year", "school__name"]
        constraints = [models.UniqueConstraint(fields=["school", "year"], name="constitution_week_once")]

    def __str__(self) -> str:
        return f"{self.year} {self.school}"


class ParentChannelKind(models.TextChoices):
    COMMITTEE = "committee", _("Parents' committee (家委会)")
    SCHOOL = "school", _("Parents' school (家长学校)")
    OPEN_DAY = "open_day", _("Open day")
    HOTLINE = "hotline", _("Principal's telephone or mailbox")
    VISIT = "visit", _("Home visits (家访)")
    ONLINE = "online", _("Class group online")


class ParentMeeting(models.Model):
    """A meeting with families (家长会, 家委会, 家长学校 session, open day)."""

    school = models.ForeignKey(School, models.PROTECT, related_name="parent_meetings", verbose_name=_("school"))
    kind = models.CharField(_("channel"), max_length=12, choices=ParentChannelKind.choices)
    held_on = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)
    attended = models.PositiveIntegerField(_("families present"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("meeting with families")
        verbose_name_plural = _("meetings with families")
        ordering = ["-held_on", "school__name"]
        constraints = [models.UniqueConstraint(fields=["school", "kind", "held_on", "topic"],
                                               name="parent_meeting_once")]

    def __str__(self) -> str:
        return f"{self.held_on} {self.school} {self.topic}"


class ParentOpinion(models.Model):
    """An opinion or suggestion from families (家长意见) and what the school did about it."""

    school = models.ForeignKey(School, models.PROTECT, related_name="parent_opinions", verbose_name=_("school"))
    kind = models.CharField(_("channel"), max_length=12, choices=ParentChannelKind.choices)
    received_on = models.DateField(_("received on"))
    summary = models.CharField(_("what the families said"), max_length=300)
    response = models.CharField(_("what the school did"), max_length=300, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("opinion from families")
        verbose_name_plural = _("opinions from families")
        ordering = ["-received_on", "school__name"]
        constraints = [models.UniqueConstraint(fields=["school", "received_on", "summary"], name="parent_opinion_once")]

    def __str__(self) -> str:
        return f"{self.received_on} {self.school}"
