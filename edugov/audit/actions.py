"""Writes of the audit app itself: releasing a quarantined entry, rotating the tree-signing key.
Each is recorded in the ledger it acts on."""

from __future__ import annotations

import base64
import os
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from edugov.accounts.models import Role, User
from edugov.accounts.permissions import has_role
from edugov.kernel import ledger_port
from edugov.kernel.errors import PermissionDenied, ValidationFailed

from . import ledger, signing
from .models import Entry, Quarantine

ledger_port.declare("audit", ("entry", "reason", "old_key", "new_key", "endorsement"))

ROTATION_MESSAGE = "edugov-key-rotation-v1\n{old}\n{new}"


@transaction.atomic
def release(*, actor: User | None, entry_id: int, reason: str) -> Quarantine:
    """Let a quarantined entry into the tree after a system administrator looked at it (a long
    transaction, a clock that was wrong): the release is an entry of its own, with the reason."""
    if not has_role(actor, {Role.SYSADMIN}):
        raise PermissionDenied(_("Only a system administrator may release a quarantined ledger entry."))
    reason = reason.strip()
    if len(reason) < 10:
        raise ValidationFailed(_("Say why the entry may be integrated (at least 10 characters)."), field="reason")
    q = Quarantine.objects.select_for_update().filter(entry_id=entry_id).first()
    if q is None:
        raise ValidationFailed(_("Entry %(id)s is not quarantined.") % {"id": entry_id}, field="entry")
    if q.released:
        raise ValidationFailed(_("Entry %(id)s was released already.") % {"id": entry_id}, field="entry")
    q.released = True
    q.save(update_fields=["released"])
    ledger.record(actor=actor, action="audit.release", target_type="audit.entry", target_id=str(entry_id),
                  after={"entry": entry_id, "reason": reason})
    return q


def rotate_key(path: Path) -> tuple[str, str]:
    """Replace the tree-signing key. The ledger first records an entry naming the new key with the
    old key's signature over both fingerprints, and integrates it under a head the old key signs;
    then the old public key is kept for old heads and the new key signs from then on. Returns the
    old and new fingerprints."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    old_private = signing.private_key()
    old_fp = signing.fingerprint()
    new_private = Ed25519PrivateKey.generate()
    new_fp = signing.fingerprint(new_private.public_key())
    endorsement = old_private.sign(ROTATION_MESSAGE.format(old=old_fp, new=new_fp).encode())
    with transaction.atomic():
        ledger.record(actor=None, action="audit.key_rotate", target_type="audit.key", target_id=new_fp[:16],
                      after={"old_key": old_fp, "new_key": new_fp,
                             "endorsement": base64.b64encode(endorsement).decode()})
    ledger.integrate()
    signing.retire_current_key()  # its public key, for the heads it signed
    path.unlink()  # the old private key is not kept: nothing may sign as it again
    pem = new_private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
    fd = os.open(str(path), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    signing._load.cache_clear()
    return old_fp, new_fp


def rotations() -> list[Entry]:
    return list(Entry.objects.filter(action="audit.key_rotate", tree_index__isnull=False).order_by("tree_index"))
