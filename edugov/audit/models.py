from __future__ import annotations

import json

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
        """When the entry was recorded, by the database's clock (version 2; version 1 entries hold
        the caller's time), as in its hashed body (ISO 8601, UTC)."""
        return str(json.loads(self.body)["time"])

    @property
    def acted_at(self) -> str:
        """When the act took place by the platform's legal clock (version 2's `acted_at`; a version 1
        entry has only its `time`). The demo's 2024 history is recorded today, acted in 2024."""
        body = json.loads(self.body)
        return str(body.get("acted_at") or body["time"])


class TreeState(models.Model):
    """The sequencer's frontier (one row): the tree size and the roots of its perfect subtrees."""

    tree_size = models.BigIntegerField(default=0)
    frontier = models.BinaryField(default=b"")


    class Meta:
        verbose_name = _("ledger tree state")
        verbose_name_plural = _("ledger tree states")

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
        verbose_name = _("signed tree head")
        verbose_name_plural = _("signed tree heads")
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
        verbose_name = _("ledger tree node")
        verbose_name_plural = _("ledger tree nodes")
        constraints = [models.UniqueConstraint(fields=["level", "index"], name="treenode_unique")]

    def __str__(self) -> str:
        return f"node {self.level}:{self.index}"


class Quarantine(models.Model):
    """A pending entry the sequencer would not integrate: dated by the database earlier than the
    newest signed head by more than the tolerance (a row inserted to look older than it is), in the
    future, or with no readable time. It stays out of the tree until an administrator releases it
    (`edugov audit release`), which is itself recorded; `audit verify` lists it until then."""

    entry = models.OneToOneField(Entry, models.PROTECT, related_name="+", db_constraint=False,
                                 verbose_name=_("ledger entry"))
    reason = models.CharField(_("reason"), max_length=300)
    found_at = models.CharField(_("found at"), max_length=40)  # the database's time
    released = models.BooleanField(_("released"), default=False)

    class Meta:
        ordering = ["entry_id"]
        verbose_name = _("quarantined entry")
        verbose_name_plural = _("quarantined entries")

    def __str__(self) -> str:
        return f"#{self.entry_id}: {self.reason}"


class Cosignature(models.Model):
    """A witness's cosignature on one of the ledger's checkpoints, as the witness returned it
    (a C2SP note signature line); published with the checkpoint."""

    witness = models.CharField(max_length=200)  # the witness's key name
    tree_size = models.BigIntegerField()
    timestamp = models.BigIntegerField()  # the witness's time (POSIX seconds)
    line = models.TextField()

    class Meta:
        verbose_name = _("witness cosignature")
        verbose_name_plural = _("witness cosignatures")
        ordering = ["tree_size"]
        constraints = [models.UniqueConstraint(fields=["witness", "tree_size"], name="cosignature_unique")]

    def __str__(self) -> str:
        return f"{self.witness} @ {self.tree_size}"
