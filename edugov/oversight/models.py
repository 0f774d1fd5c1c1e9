"""Registers of open government (政务公开) and study (学法、宣讲): what was published, the
inquiries answered and the problems they solved, the lectures given."""

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
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["organisation", "answered_on"])]

    def __str__(self) -> str:
        return self.summary


class Lecture(models.Model):
    """A lecture given in a school on the rule of law or party documents (宣讲, 场次)."""

    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="lectures")
    held_on = models.DateField(_("held on"))
    title = models.CharField(_("title"), max_length=200)
    place = models.CharField(_("where"), max_length=120)
    audience = models.PositiveIntegerField(_("audience"), default=0)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["organisation", "held_on"])]

    def __str__(self) -> str:
        return self.title
