from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarYear(models.Model):
    """A year whose State Council holiday notice an administrator has loaded into CalendarDay."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=200, help_text=_("e.g. the notice's document number"))
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """One date whose status differs from the default: a holiday, or a working weekend (调休)."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=60, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.date} {'workday' if self.is_workday else 'rest'}"


class Counter(models.Model):
    """The last number issued in one series (case references, letters, notices) for one scope
    (an organisation, a campaign) and year: kernel.numbering keeps it, nothing else writes it."""

    series = models.CharField(max_length=60)
    scope = models.BigIntegerField()  # the pk of the organisation (or campaign) the series is kept for
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("number counter")
        verbose_name_plural = _("number counters")
        constraints = [models.UniqueConstraint(fields=["series", "scope", "year"], name="counter_unique")]

    def __str__(self) -> str:
        return f"{self.series} {self.scope} {self.year}: {self.last}"
