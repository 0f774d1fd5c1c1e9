"""Committing to a draw and drawing it. The commitment's ledger entry (with its place in the
signed Merkle tree) proves the candidates and the sealed secret were fixed before the draw."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation, User
from edugov.audit.ledger import record
from edugov.kernel import ledger_port
from edugov.kernel.errors import Conflict, PermissionDenied, ValidationFailed

from . import algorithm
from .models import Draw, DrawState
from .permissions import can_run_draw

# What this module's ledger entries record (the ledger refuses any other field).
# "secret" is the draw's seed, recorded when it is revealed: from then on it is public by design
# (INTERFACES.md, draw algorithm), never before.
ledger_port.declare("draw", ("candidates", "candidates_digest", "commitment", "constraints", "draw_id", "k",
                             "public_value", "purpose", "secret", "selected", "selected_count"))


MAX_CANDIDATES = 5_000_000


@transaction.atomic
def draw_commit(*, actor: User | None, draw_id: str, purpose: str, organisation: Organisation,
                candidates: Sequence[str], k: int = 0, constraints: Mapping[str, Any] | None = None,
                labels: Mapping[str, str] | None = None, at: dt.datetime | None = None) -> Draw:
    """Freeze the candidates, seal a fresh 32-byte secret and publish its commitment.

    `actor=None` is for the system's own scheduled draws (e.g. a monthly sample); `at` dates a
    draw taken over from earlier records (the demo's history), never a request."""
    if actor is not None and not can_run_draw(actor, organisation):
        raise PermissionDenied(_("You may not run draws for this organisation."))
    ids = [str(c) for c in candidates]
    if not ids:
        raise ValidationFailed(_("A draw needs at least one candidate."))
    if len(ids) > MAX_CANDIDATES:
        raise ValidationFailed(_("A draw takes at most %(n)d candidates.") % {"n": MAX_CANDIDATES})
    if len(set(ids)) != len(ids):
        raise ValidationFailed(_("Each candidate may appear once only."))
    if not algorithm.SAFE_ID.match(draw_id):
        raise ValidationFailed(_("A draw id uses letters, digits and - _ . only."))
    if Draw.objects.filter(draw_id=draw_id).exists():
        raise ValidationFailed(_("A draw with id %(id)s exists already.") % {"id": draw_id})
    constraints = dict(constraints or {})
    try:  # the constraints must be satisfiable whatever the order turns out to be
        algorithm.select(ids, k, constraints)
    except (algorithm.DrawError, KeyError, TypeError, ValueError) as exc:
        raise ValidationFailed(_("The draw's constraints cannot be met: %(why)s") % {"why": exc}) from None
    secret = secrets.token_bytes(32)
    draw = Draw.objects.create(
        draw_id=draw_id, purpose=purpose, organisation=organisation, candidates=ids,
        candidates_digest=algorithm.candidates_digest(ids), commitment=algorithm.commitment(secret),
        committed_at=at or timezone.now(), sealed_secret=secret.hex(), k=k, constraints=constraints, created_by=actor,
        labels={c: str(labels[c])[:200] for c in ids if labels and labels.get(c)})
    record(actor=actor, action="draw.commit", target=draw, organisation=organisation, at=draw.committed_at,
           after={"draw_id": draw_id, "purpose": purpose, "candidates": len(ids), "k": k,
                  "candidates_digest": draw.candidates_digest, "commitment": draw.commitment})
    return draw


@transaction.atomic
def draw_reveal(*, actor: User | None, draw: Draw, public_value: str = "", at: dt.datetime | None = None,
                constraints: Mapping[str, Any] | None = None) -> Draw:
    """Reveal the secret, compute the order and the selection, publish the bundle.

    `constraints` replaces those given at the commitment where they depend on an earlier draw's
    outcome (the recusal of inspectors from the targets drawn); the order depends on the secret,
    the public value and the candidates alone, so no constraint can steer it, and the bundle
    carries the constraints applied."""
    locked = Draw.objects.select_for_update().get(pk=draw.pk)
    if actor is not None and not can_run_draw(actor, locked.organisation):
        raise PermissionDenied(_("You may not run draws for this organisation."))
    if locked.state != DrawState.COMMITTED:
        raise Conflict(_("Draw %(id)s has been drawn already; its result cannot change.") % {"id": locked.draw_id})
    now = at or timezone.now()
    if now <= locked.committed_at:  # never in the same step as the commitment: it must visibly precede the draw
        raise ValidationFailed(_("The draw comes after its commitment was published (%(at)s).")
                               % {"at": timezone.localtime(locked.committed_at).strftime("%Y-%m-%d %H:%M")})
    if constraints is not None:
        try:
            algorithm.select(locked.candidates, locked.k, dict(constraints))
        except (algorithm.DrawError, KeyError, TypeError, ValueError) as exc:
            raise ValidationFailed(_("The draw's constraints cannot be met: %(why)s") % {"why": exc}) from None
        locked.constraints = dict(constraints)
    secret_hex = str(locked.sealed_secret)
    outcome = algorithm.run(draw_id=locked.draw_id, candidates=locked.candidates, secret_hex=secret_hex,
                            public_value=public_value, k=locked.k, constraints=locked.constraints)
    locked.secret, locked.public_value, locked.drawn_at = secret_hex, public_value, now
    locked.order, locked.selected, locked.assignments = outcome.order, outcome.selected, outcome.assignments
    locked.state = DrawState.DRAWN
    locked.save()
    record(actor=actor, action="draw.reveal", target=locked, organisation=locked.organisation, at=locked.drawn_at,
           after={"draw_id": locked.draw_id, "secret": secret_hex, "public_value": public_value,
                  "selected": outcome.selected[:200], "selected_count": len(outcome.selected),
                  **({"constraints": locked.constraints} if constraints is not None else {})})
    return locked


def bundle(draw: Draw) -> dict[str, Any]:
    """The published bundle (INTERFACES.md); only for a drawn draw."""
    if draw.state != DrawState.DRAWN:
        raise Conflict(_("Draw %(id)s has not been drawn yet.") % {"id": draw.draw_id})
    data: dict[str, Any] = {
        "v": algorithm.VERSION, "draw_id": draw.draw_id, "purpose": draw.purpose, "candidates": draw.candidates,
        "candidates_digest": draw.candidates_digest, "commitment": draw.commitment,
        "committed_at": draw.committed_at.isoformat(), "secret": draw.secret, "public_value": draw.public_value,
        "drawn_at": draw.drawn_at.isoformat() if draw.drawn_at else None, "k": draw.k,
        "constraints": draw.constraints, "order": draw.order, "selected": draw.selected,
    }
    if draw.assignments:
        data["assignments"] = draw.assignments
    return data
