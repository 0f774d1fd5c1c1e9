from __future__ import annotations

import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import ledger, merkle
from .permissions import can_read_ledger
from .selectors import entries_for


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
    page = Paginator(qs, settings.EDUGOV["PAGE_SIZE"]).get_page(request.GET.get("page"))
    head = ledger.latest_head()
    proofs = head is not None and request.GET.get("proofs") == "1"
    rows = []
    for e in page:
        proof = None
        if proofs and head is not None and e.tree_index is not None and e.tree_index < head.tree_size:
            proof = ledger.inclusion_proof(e.tree_index, head.tree_size)  # O(log n) stored nodes
        rows.append({"entry": e, "body": json.loads(e.body), "proof": proof,
                     "leaf": bytes(e.leaf_hash).hex() if e.leaf_hash else ""})
    return render(request, "audit/home.html", {
        "page": page, "rows": rows, "head": head, "pending": ledger.pending_count(), "target": target,
        "action": action, "empty_root": merkle.EMPTY_ROOT.hex(),
    })
