from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema
from ninja.errors import HttpError

from edugov.kernel import ratelimit

from . import ledger, signing, witnessing

router = Router(tags=["audit"])


class TreeHeadOut(Schema):
    tree_size: int
    root_hash: str
    timestamp: str
    signature: str
    key_id: str


class ProofOut(Schema):
    leaf_index: int
    tree_size: int
    root_hash: str
    audit_path: list[str]


@router.get("/public-key", response={200: str}, summary="Ed25519 public key (PEM) that signs tree heads")
def public_key(request: HttpRequest) -> HttpResponse:
    return HttpResponse(signing.public_key_pem(), content_type="application/x-pem-file")


@router.get("/tree-head", response=TreeHeadOut, summary="The newest signed tree head")
def tree_head(request: HttpRequest) -> dict[str, object]:
    head = ledger.latest_head()
    if head is None:
        raise HttpError(404, "the ledger has no tree head yet")
    return {"tree_size": head.tree_size, "root_hash": head.root_hash, "timestamp": head.timestamp,
            "signature": head.signature, "key_id": head.key_id}


@router.get("/proof/{index}", response=ProofOut, summary="Inclusion proof of one entry (RFC 9162 §2.1.3)")
def proof(request: HttpRequest, index: int, tree_size: int | None = None) -> dict[str, object]:
    verdict = ratelimit.check(request, "api.proof", ratelimit.rate("proof"))
    if verdict.limited:
        raise ratelimit.Throttled(verdict.retry_after)
    try:
        return ledger.inclusion_proof(index, tree_size)
    except ValueError as exc:
        raise HttpError(404, str(exc)) from None


@router.get("/checkpoint", response={200: str}, summary="The newest signed head as a C2SP checkpoint, with cosignatures")
def checkpoint(request: HttpRequest) -> HttpResponse:
    head = ledger.latest_head()
    if head is None:
        raise HttpError(404, "the ledger has no tree head yet")
    return HttpResponse(witnessing.checkpoint_note(head), content_type="text/plain; charset=utf-8")


class ConsistencyOut(Schema):
    first: int
    second: int
    first_root: str
    second_root: str
    consistency: list[str]


@router.get("/consistency", response=ConsistencyOut, summary="Consistency proof between two sizes (RFC 9162 §2.1.4)")
def consistency(request: HttpRequest, first: int, second: int) -> dict[str, object]:
    verdict = ratelimit.check(request, "api.proof", ratelimit.rate("proof"))
    if verdict.limited:
        raise ratelimit.Throttled(verdict.retry_after)
    head = ledger.latest_head()
    if not 0 <= first <= second or head is None or second > head.tree_size:
        raise HttpError(404, f"no consistency proof from {first} to {second} in a tree of "
                             f"{head.tree_size if head else 0} entries")
    return ledger.consistency(first, second)
