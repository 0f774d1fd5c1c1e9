from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Entry(models.Model):
    """One act on the record. Append-only: `body` is the canonical JSON that is hashed as the leaf;
    the other columns repeat parts of it for querying, and verify checks they still agree.

    The only change a row ever sees is the sequencer setting `tree_index` and `leaf_hash` once
    (a database trigger refuses anything else on PostgreSQL and SQLite)."""

    # Only the indexes the ledger's queries use: every extra index is paid on every write.
    # The time is in the body only (what is shown is what was hashed).
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                              related_name="+", db_constraint=False, db_index=False, verbose_name=_("actor"))
    action = models.CharField(_("action"), max_length=60)
    target_type = models.CharField(_("target type"), max_length=60)
    target_id = models.CharField(_("target id"), max_length=40)
    organisation = models.ForeignKey("accounts.Organisation", models.PROTECT, null=True, blank=True,
                                     related_name="+", db_constraint=False, db_index=False,
                                     verbose_name=_("organisation"))
    request_id = models.CharField(max_length=64, blank=True)
    body = models.TextField()
    tree_index = models.BigIntegerField(null=True, blank=True, unique=True)
    leaf_hash = models.BinaryField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        indexes = [
            models.Index(fields=["target_type", "target_id"]),
            models.Index(fields=["id"], name="audit_entry_pending", condition=models.Q(tree_index__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.target_type}:{self.target_id}"

    @property
    def time(self) -> str:
        """The entry's time as recorded in its hashed body (ISO 8601, UTC)."""
        import json

        return str(json.loads(self.body)["time"])


class TreeState(models.Model):
    """The sequencer's frontier (one row): the tree size and the roots of its perfect subtrees."""

    tree_size = models.BigIntegerField(default=0)
    frontier = models.BinaryField(default=b"")

    def __str__(self) -> str:
        return f"tree of {self.tree_size} entries"


class TreeHead(models.Model):
    """A signed tree head, one per integrated batch. Append-only."""

    tree_size = models.BigIntegerField(unique=True)
    root_hash = models.CharField(max_length=64)
    timestamp = models.CharField(max_length=40)
    signature = models.CharField(max_length=100)
    key_id = models.CharField(max_length=32)
    max_entry_id = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["tree_size"]
        get_latest_by = "tree_size"

    def __str__(self) -> str:
        return f"{self.tree_size} {self.root_hash[:12]}"


class TreeNode(models.Model):
    """The root of a perfect subtree (level >= 1) over leaves [index·2^level, (index+1)·2^level),
    written by the sequencer as the frontier merges. Proofs read O(log n) of them instead of every
    leaf. A wrong node cannot forge a proof: a proof built from it fails against the signed root."""

    level = models.PositiveSmallIntegerField()
    index = models.BigIntegerField()
    hash = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["level", "index"], name="treenode_unique")]

    def __str__(self) -> str:
        return f"node {self.level}:{self.index}"
