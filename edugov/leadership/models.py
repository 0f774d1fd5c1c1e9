"""The first responsible person's records (第一责任人, issue 31): the leadership's study sessions with
their attendance and the 第一议题, the lectures leaders and staff give in schools (宣讲), the head's
yearly account of rule-of-law duties (述法), and the reports the education work committee hears
each quarter."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from edugov.accounts.models import Organisation


class SessionKind(models.TextChoices):
    CENTRAL_GROUP = "central_group", _("Theory study group (理论学习中心组)")
    COMMITTEE = "committee", _("Education work committee (工委会)")
    STAFF = "staff", _("Cadres and staff meeting (干部职工会)")
    PRINCIPALS = "principals", _("Secretaries' and principals' meeting (书记校长专题会)")


class StudySession(models.Model):
    """A study session of the leadership or the staff: what was studied, who chaired, who attended."""

    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="study_sessions")
    kind = models.CharField(_("meeting"), max_length=20, choices=SessionKind.choices)
    held_on = models.DateField(_("held on"))
    topic = models.CharField(_("what was studied"), max_length=200)
    chaired_by = models.CharField(_("chaired by"), max_length=60)
    first_topic = models.BooleanField(_("studied as the first item (第一议题)"), default=False)
    on_law = models.BooleanField(_("the study was of law (学法)"), default=False)
    expected = models.PositiveIntegerField(_("members expected"))
    attended = models.PositiveIntegerField(_("members present"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("study session")
        verbose_name_plural = _("study sessions")
        ordering = ["-held_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "kind", "held_on", "topic"],
                                               name="one_session_record")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.topic}"


class Lecture(models.Model):
    """A lecture given in a school on the rule of law or party documents (宣讲, 场次)."""

    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="lectures")
    held_on = models.DateField(_("held on"))
    title = models.CharField(_("title"), max_length=200)
    place = models.CharField(_("where"), max_length=120)
    school = models.ForeignKey("registries.School", models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("school"))
    given_by = models.CharField(_("given by"), max_length=60, blank=True)
    audience = models.PositiveIntegerField(_("audience"), default=0)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("law lecture")
        verbose_name_plural = _("law lectures")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["organisation", "held_on"])]

    def __str__(self) -> str:
        return self.title


class LegalAccount(models.Model):
    """The yearly account of a leader's rule-of-law duties (述法): before whom, what it said, how it
    was assessed."""

    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="legal_accounts")
    year = models.PositiveIntegerField(_("year accounted for"))
    person = models.CharField(_("who gave the account (name and post)"), max_length=80)
    delivered_on = models.DateField(_("given on"))
    before = models.CharField(_("given before"), max_length=120)
    summary = models.TextField(_("what the account said"))
    assessment = models.CharField(_("assessment"), max_length=120, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("account of rule-of-law duties (述法)")
        verbose_name_plural = _("accounts of rule-of-law duties (述法)")
        ordering = ["-year", "-delivered_on"]
        constraints = [models.UniqueConstraint(fields=["organisation", "year", "person"], name="one_account_a_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.person}"


class CommitteeReport(models.Model):
    """A report the education work committee (区委教育工委) heard in a quarter, and what it decided."""

    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="committee_reports")
    year = models.PositiveIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=[(q, str(q)) for q in range(1, 5)])
    heard_on = models.DateField(_("heard on"))
    subject = models.CharField(_("what was reported"), max_length=200)
    reporter = models.CharField(_("reported by"), max_length=80)
    follow_up = models.TextField(_("what the committee decided"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("report heard by the work committee")
        verbose_name_plural = _("reports heard by the work committee")
        ordering = ["-heard_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "year", "quarter", "subject"],
                                               name="one_report_a_subject_a_quarter")]

    def __str__(self) -> str:
        return f"{self.year} Q{self.quarter} {self.subject}"
