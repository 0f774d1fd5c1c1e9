from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from edugov.accounts.models import Organisation
from edugov.kernel.crypto import EncryptedTextField


class DrawState(models.TextChoices):
    COMMITTED = "committed", _("Committed (candidates frozen, secret sealed)")
    DRAWN = "drawn", _("Drawn and published")


class Draw(models.Model):
    """A verifiable draw. Until it is drawn the secret is sealed (encrypted; only its commitment is
    public); at the draw it is revealed and the bundle can be re-run by anyone."""

    draw_id = models.CharField(_("draw id"), max_length=60, unique=True)
    purpose = models.CharField(_("purpose"), max_length=200)
    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="draws",
                                     verbose_name=_("organisation"))
    state = models.CharField(_("state"), max_length=20, choices=DrawState.choices, default=DrawState.COMMITTED)
    candidates = models.JSONField(_("candidates"))
    candidates_digest = models.CharField(max_length=64)
    commitment = models.CharField(max_length=64)
    committed_at = models.DateTimeField(_("committed at"))
    sealed_secret = EncryptedTextField()
    secret = models.CharField(max_length=64, blank=True, help_text=_("revealed at the draw"))
    public_value = models.CharField(_("public value"), max_length=200, blank=True)
    drawn_at = models.DateTimeField(_("drawn at"), null=True, blank=True)
    k = models.PositiveIntegerField(default=0)
    constraints = models.JSONField(default=dict, blank=True)
    order = models.JSONField(null=True, blank=True)
    selected = models.JSONField(null=True, blank=True)
    assignments = models.JSONField(default=dict, blank=True)
    # what the public page shows beside a candidate's id (an institution's name, an officer's);
    # given by the domain at the commitment, only for candidates whose names are public. Not part
    # of the bundle: the draw is verified over the ids alone.
    labels = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["-drawn_at", "-committed_at"]
        verbose_name = _("draw")
        verbose_name_plural = _("draws")
        indexes = [models.Index(fields=["state", "drawn_at"])]

    def __str__(self) -> str:
        return f"{self.draw_id} {self.purpose}"

    def get_absolute_url(self) -> str:
        return reverse("draws:public", args=[self.draw_id])
