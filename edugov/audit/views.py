from __future__ import annotations

import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from edugov.kernel import ratelimit

from . import describe, ledger, merkle, selectors, signing, witnessing
from .permissions import can_read_ledger
from .selectors import entries_for
from .witness import Witness


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if not can_read_ledger(request.user):  # type: ignore[arg-type]
        raise PermissionDenied(_("The ledger is for auditors, system administrators and bureau leaders."))
    qs = entries_for(request.user).select_related("actor").order_by("-id")  # type: ignore[arg-type]
    target = request.GET.get("target", "")
    if ":" in target:
        ttype, tid = target.split(":", 1)
        qs = qs.filter(target_type=ttype, target_id=tid)
    action = request.GET.get("action", "").strip()
    if action:
        qs = qs.filter(action__startswith=action)
    reference = request.GET.get("reference", "").strip()[:60]
    if reference:  # 文号: the entries of the cases whose reference contains it
        matched = describe.targets_with_reference(reference)
        qs = qs.filter(target_type="cases.case", target_id__in=[tid for _t, tid in matched])
    page = Paginator(qs, settings.EDUGOV["PAGE_SIZE"]).get_page(request.GET.get("page"))
    head = ledger.latest_head()
    proofs = head is not None and request.GET.get("proofs") == "1"
    rows = []
    names = describe.target_labels((e.target_type, e.target_id) for e in page)
    for e in page:
        proof = None
        if proofs and head is not None and e.tree_index is not None and e.tree_index < head.tree_size:
            proof = ledger.inclusion_proof(e.tree_index, head.tree_size)  # O(log n) stored nodes
        body = json.loads(e.body)
        family, done = describe.sentence(e.action)
        rows.append({"entry": e, "body": body, "acted": describe.local_time(body.get("acted_at") or body["time"]),
                     "recorded": describe.local_time(body["time"]), "proof": proof,
                     "family": family, "done": done, "target": names.get((e.target_type, e.target_id), ""),
                     "actor": body.get("actor_name") if body.get("actor") else describe.SYSTEM,
                     "leaf": bytes(e.leaf_hash).hex() if e.leaf_hash else ""})
    return render(request, "audit/home.html", {
        "page": page, "rows": rows, "head": head, "pending": ledger.pending_count(), "target": target,
        "quarantined": selectors.quarantined_count(), "reference": reference,
        "action": action, "empty_root": merkle.EMPTY_ROOT.hex(),
    })


@require_GET
def public(request: HttpRequest) -> HttpResponse:
    """The ledger's public face: the newest signed head as a checkpoint with the witnesses'
    cosignatures, the key's full fingerprint and whether it is pinned, what each witness holds,
    and how to check it all without trusting this server."""
    head = ledger.latest_head()
    pins = signing.pinned()
    return render(request, "audit/public.html", {
        "head": head, "checkpoint": witnessing.checkpoint_note(head) if head else "",
        "fingerprint": signing.fingerprint(), "pinned": signing.fingerprint() in pins if pins else None,
        "origin": witnessing.origin(), "log_vkey": witnessing.log_vkey(),
        "witnesses": selectors.witness_rows(), "quarantined": selectors.quarantined_count(),
    })


def _witness() -> Witness:
    folder = settings.EDUGOV.get("WITNESS_DIR")
    if not folder:
        raise Http404(_("This installation is not a witness."))
    return Witness(folder)


def _throttle(request: HttpRequest, group: str) -> None:
    verdict = ratelimit.check(request, group, ratelimit.rate("proof"))
    if verdict.limited:
        raise ratelimit.Throttled(verdict.retry_after)


MAX_REQUEST = 64 * 1024  # a checkpoint, 16 signatures and 63 proof lines fit many times over


@csrf_exempt  # a log's server posts here (c2sp.org/tlog-witness); the checkpoint's signature is the authentication
@require_POST
def witness_add_checkpoint(request: HttpRequest) -> HttpResponse:
    """POST /witness/add-checkpoint when this installation witnesses other ledgers (WITNESS_DIR)."""
    witness = _witness()
    _throttle(request, "witness.add")
    if len(request.body) > MAX_REQUEST:
        return HttpResponse("the request is too large\n", status=413, content_type="text/plain")
    answer = witness.add_checkpoint(request.body)
    return HttpResponse(answer.body, status=answer.status, content_type=answer.content_type)


@require_GET
def witness_checkpoint(request: HttpRequest, origin_hash: str) -> HttpResponse:
    """GET /witness/<sha256(origin)>/checkpoint: the newest checkpoint this witness cosigned."""
    witness = _witness()
    _throttle(request, "witness.read")
    found = witness.latest_by_hash(origin_hash)
    if found is None:
        raise Http404(_("This witness has cosigned nothing for that ledger."))
    return HttpResponse(found, content_type="text/plain; charset=utf-8")
