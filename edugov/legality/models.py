"""Legality review (合法性审查, issue 28): the bureau's normative documents (行政规范性文件), its major
administrative decisions (重大行政决策), the contracts it signs and its legal advisers' opinions.

Each of the four is a case on the engine (`workflow.py`): the case carries the state, the clocks and
the timeline; the record here keeps what the steps established (the review's opinion, the meeting,
the number, the filing), which the figures and the public lists read."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from edugov.accounts.models import Organisation
from edugov.cases.models import Attachment, Case


class AdviserKind(models.TextChoices):
    INTERNAL = "internal", _("Internal legal adviser (公职律师)")
    FIRM = "firm", _("Retained law firm")


class Adviser(models.Model):
    """A legal adviser of the bureau: a public-sector lawyer on its staff or a retained firm, with the
    term of the engagement."""

    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="legal_advisers")
    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=10, choices=AdviserKind.choices)
    firm = models.CharField(_("law firm"), max_length=120, blank=True)
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"))
    scope = models.CharField(_("scope of the engagement"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("legal adviser")
        verbose_name_plural = _("legal advisers")
        ordering = ["-term_end", "name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.firm}）" if self.firm else self.name

    def serving_on(self, day: dt.date) -> bool:
        return self.term_start <= day <= self.term_end


class SubjectKind(models.TextChoices):
    DECISION = "decision", _("Major administrative decision")
    NORMATIVE = "normative", _("Normative document")
    CONTRACT = "contract", _("Contract")
    ENFORCEMENT = "enforcement", _("Major enforcement decision")
    DISPUTE = "dispute", _("Dispute, reconsideration or lawsuit")
    OTHER = "other", _("Other legal question")


class Opinion(models.Model):
    """A request for the legal adviser's written opinion, its answer, and whether the bureau followed it."""

    case = models.OneToOneField(Case, models.PROTECT, related_name="legal_opinion")
    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="+")
    adviser = models.ForeignKey(Adviser, models.PROTECT, related_name="opinions")
    subject_kind = models.CharField(_("subject"), max_length=20, choices=SubjectKind.choices)
    subject = models.ForeignKey(Case, models.PROTECT, null=True, blank=True, related_name="adviser_opinions",
                                verbose_name=_("matter asked about"))
    question = models.TextField(_("question"))
    asked_on = models.DateField(_("asked on"))
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    followed = models.BooleanField(_("followed"), null=True)
    follow_note = models.CharField(_("how it was followed, or why not"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("legal adviser's opinion")
        verbose_name_plural = _("legal adviser's opinions")
        ordering = ["-asked_on", "-id"]

    def __str__(self) -> str:
        return f"{self.adviser}：{self.question[:40]}"


class DocStatus(models.TextChoices):
    DRAFT = "draft", _("Being drafted")
    IN_FORCE = "in_force", _("In force")
    AMENDED = "amended", _("Amended (replaced by a new version)")
    REPEALED = "repealed", _("Repealed")
    WITHDRAWN = "withdrawn", _("Draft withdrawn")


class NormativeDocument(models.Model):
    """A 行政规范性文件 of the bureau, from the draft to its filing, and its life after: in force,
    amended (a new version replaces it) or repealed by a clean-up."""

    case = models.OneToOneField(Case, models.PROTECT, related_name="normative_document")
    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("purpose and main content"))
    body = models.TextField(_("text"))
    market_related = models.BooleanField(_("closely related to businesses' operations"), default=False)
    replaces = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="replacements",
                                 verbose_name=_("replaces"))
    comment_channel = models.CharField(_("where the draft was published for comment"), max_length=200, blank=True)
    comment_opened_on = models.DateField(_("comment opened on"), null=True, blank=True)
    comment_closed_on = models.DateField(_("comment closed on"), null=True, blank=True)
    fair_competition = models.TextField(_("fair-competition review"), blank=True)
    review_opinion = models.TextField(_("legality review opinion"), blank=True)
    review_passed = models.BooleanField(_("legality review passed"), null=True)
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    meeting = models.CharField(_("collective discussion"), max_length=200, blank=True)
    discussed_on = models.DateField(_("discussed on"), null=True, blank=True)
    number = models.CharField(_("document number"), max_length=60, blank=True)
    issued_on = models.DateField(_("issued and published on"), null=True, blank=True)
    effective_on = models.DateField(_("takes effect on"), null=True, blank=True)
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    filing_body = models.CharField(_("filed with"), max_length=120, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=DocStatus.choices, default=DocStatus.DRAFT)
    to_amend = models.BooleanField(_("to be amended (clean-up)"), default=False)
    ended_on = models.DateField(_("amended or repealed on"), null=True, blank=True)
    end_note = models.CharField(_("why it was amended or repealed"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("normative document")
        verbose_name_plural = _("normative documents")
        ordering = ["-issued_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "number"], condition=~models.Q(number=""),
                                               name="legality_one_number_per_document")]

    def __str__(self) -> str:
        return f"{self.title}（{self.number}）" if self.number else self.title


class Cleanup(models.Model):
    """A clean-up (清理) of the bureau's normative documents: each one in force kept, marked for
    amendment or repealed, and the list of documents in force published."""

    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="+")
    done_on = models.DateField(_("done on"))
    note = models.CharField(_("basis and scope"), max_length=300)
    kept = models.PositiveIntegerField(_("kept"), default=0)
    to_amend = models.PositiveIntegerField(_("to be amended"), default=0)
    repealed = models.PositiveIntegerField(_("repealed"), default=0)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("clean-up of normative documents")
        verbose_name_plural = _("clean-ups of normative documents")
        ordering = ["-done_on", "-id"]

    def __str__(self) -> str:
        return f"{self.done_on:%Y-%m-%d} {self.note}"


class Adoption(models.TextChoices):
    ADOPTED = "adopted", _("Adopted")
    PARTLY = "partly", _("Partly adopted")
    NOT_ADOPTED = "not_adopted", _("Not adopted")


class PublicComment(models.Model):
    """An opinion received while a draft (normative document or major decision) was open for comment,
    and the answer published with it. Who commented is not kept: the answer is public."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="public_comments")
    received_on = models.DateField(_("received on"))
    text = models.TextField(_("opinion"))
    adoption = models.CharField(_("adopted"), max_length=12, choices=Adoption.choices, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)

    class Meta:
        verbose_name = _("public comment")
        verbose_name_plural = _("public comments")
        ordering = ["received_on", "id"]

    def __str__(self) -> str:
        return self.text[:40]


class Catalogue(models.Model):
    """The year's catalogue of major administrative decisions (重大行政决策事项目录), published."""

    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="+")
    year = models.PositiveIntegerField(_("year"))
    published_on = models.DateField(_("published on"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")

    class Meta:
        verbose_name = _("catalogue of major decisions")
        verbose_name_plural = _("catalogues of major decisions")
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="legality_one_catalogue_a_year")]

    def __str__(self) -> str:
        return f"{self.year}"


class MajorDecision(models.Model):
    """A 重大行政决策 of the year's catalogue, through public participation, expert argument, risk
    assessment, legality review and the leadership meeting's collective decision to its publication
    and, where the bureau evaluates it, the post-decision evaluation."""

    case = models.OneToOneField(Case, models.PROTECT, related_name="major_decision")
    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="+")
    year = models.PositiveIntegerField(_("catalogue year"))
    title = models.CharField(_("decision"), max_length=200)
    description = models.TextField(_("what is to be decided and why"))
    comment_channel = models.CharField(_("where the draft was published for comment"), max_length=200, blank=True)
    comment_opened_on = models.DateField(_("comment opened on"), null=True, blank=True)
    participation = models.TextField(_("public participation: what was heard and adopted"), blank=True)
    expert_argument = models.TextField(_("expert argument"), blank=True)
    risk_assessment = models.TextField(_("risk assessment"), blank=True)
    review_opinion = models.TextField(_("legality review opinion"), blank=True)
    review_passed = models.BooleanField(_("legality review passed"), null=True)
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    meeting = models.CharField(_("leadership meeting"), max_length=200, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision = models.TextField(_("what was decided"), blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    evaluation = models.TextField(_("post-decision evaluation"), blank=True)
    evaluated_on = models.DateField(_("evaluated on"), null=True, blank=True)

    class Meta:
        verbose_name = _("major administrative decision")
        verbose_name_plural = _("major administrative decisions")
        ordering = ["-year", "id"]

    def __str__(self) -> str:
        return self.title


class Contract(models.Model):
    """A contract the bureau signs: its text reviewed for legality before signing, then the signed copy."""

    case = models.OneToOneField(Case, models.PROTECT, related_name="contract")
    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="+")
    title = models.CharField(_("contract"), max_length=200)
    counterparty = models.CharField(_("other party"), max_length=120)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    text = models.ForeignKey(Attachment, models.PROTECT, null=True, related_name="+", verbose_name=_("text reviewed"))
    review_opinion = models.TextField(_("legality review opinion"), blank=True)
    review_passed = models.BooleanField(_("legality review passed"), null=True)
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_copy = models.ForeignKey(Attachment, models.PROTECT, null=True, related_name="+",
                                    verbose_name=_("signed copy"))

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title
