"""The agency API (/api/v1/agency/): what other government systems ask the bureau for, mostly for
credit sharing: an institution's registration and permits, its licensing decisions, the published
penalty decisions. Each request carries a key made with `edugov apikey create` as
`Authorization: Bearer <key>`; a key sees the bureau it was made for, and is rate-limited
(EDUGOV["RATE_LIMITS"]["api"]). Only what the bureau publishes or registers is served: no
applicant's identity number, no complainant, nothing taken down."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer

from edugov.accounts.actions import api_key_check
from edugov.accounts.models import ApiKey, Organisation
from edugov.documents.api import DocumentOut
from edugov.documents.api import answer as document_answer
from edugov.documents.selectors import certificate_by_number
from edugov.enforcement.models import PublicationKind
from edugov.enforcement.opendata import published as published_results
from edugov.kernel import ratelimit
from edugov.kernel.errors import ValidationFailed
from edugov.kernel.validators import validate_credit_code
from edugov.portal import selectors
from edugov.registries.models import Institution
from edugov.services.models import ApplicantKind
from edugov.services.opendata import published_decisions

PAGE = 100


class AgencyKey(HttpBearer):
    """A bearer API key; over the key's rate the request is refused with 429 and Retry-After."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiKey | None:
        key = api_key_check(token)
        if key is None:
            return None
        verdict = ratelimit.check(request, "api.agency", ratelimit.rate("api"), key=lambda g, r: f"key:{key.pk}")
        if verdict.limited:
            raise ratelimit.Throttled(verdict.retry_after)
        return key


router = Router(tags=["agency"], auth=AgencyKey())


def _bureau(request: HttpRequest) -> Organisation:
    key: ApiKey = request.auth  # type: ignore[attr-defined]
    return key.organisation.bureau or key.organisation


def _credit_code(value: str) -> str:
    try:
        return validate_credit_code(value.strip().upper())
    except ValidationFailed as exc:
        raise HttpError(422, f"credit_code: {exc.message}") from None


class InstitutionOut(Schema):
    credit_code: str
    name: str
    kind: str
    status: str
    permit_number: str
    permit_valid_until: dt.date | None
    address: str


class LicenceOut(Schema):
    reference: str
    item: str
    applicant: str
    credit_code: str
    decision: str
    certificate_number: str
    valid_from: dt.date | None
    valid_until: dt.date | None
    decided_at: dt.datetime | None
    revoked: bool


class PenaltyOut(Schema):
    id: int
    title: str
    body: str
    published_at: dt.datetime
    comes_down_on: dt.date
    url: str


@router.get("/institutions/{credit_code}", response=InstitutionOut,
            summary="An off-campus training institution in the register, by unified social credit code")
def institution(request: HttpRequest, credit_code: str) -> Institution:
    code = _credit_code(credit_code)
    found = selectors.registered_institution(code, _bureau(request).path)
    if found is None:
        raise HttpError(404, "no registered institution has that credit code")
    return found


@router.get("/licences", response=list[LicenceOut],
            summary="Published licensing decisions for an institution (?credit_code=, newest first, 100 a page)")
def licences(request: HttpRequest, credit_code: str, page: int = Query(1, ge=1, le=10_000)) -> list[dict[str, Any]]:  # noqa: B008
    code = _credit_code(credit_code)
    bureau = _bureau(request)
    qs = (published_decisions().filter(credit_code=code, applicant_kind=ApplicantKind.INSTITUTION,
                                       case__organisation__path__startswith=bureau.path)
          .select_related("case", "item").order_by("-decided_at", "-id"))[(page - 1) * PAGE:page * PAGE]
    return [{"reference": a.case.reference, "item": a.item.name, "applicant": a.institution_name,
             "credit_code": a.credit_code, "decision": a.decision, "certificate_number": a.certificate_number,
             "valid_from": a.valid_from, "valid_until": a.valid_until, "decided_at": a.decided_at,
             "revoked": a.case.state == "revoked"} for a in qs]


@router.get("/certificates/{number}", response=DocumentOut,
            summary="A licence certificate (电子证照) by its number: whether it stands (valid, revoked, amended, expired)")
def certificate(request: HttpRequest, number: str) -> dict[str, Any]:
    doc = certificate_by_number(_bureau(request), number[:80])
    if doc is None:
        raise HttpError(404, "no licence certificate has that number")
    return document_answer(doc)


@router.get("/penalties", response=list[PenaltyOut],
            summary="Published penalty decisions (?party= part of the party's name, ?since=YYYY-MM-DD; 100 a page)")
def penalties(request: HttpRequest, party: str = "", since: dt.date | None = None,
              page: int = Query(1, ge=1, le=10_000)) -> list[dict[str, Any]]:  # noqa: B008
    bureau = _bureau(request)
    qs = published_results().filter(kind=PublicationKind.PENALTY, organisation__path__startswith=bureau.path)
    if party.strip():
        qs = qs.filter(Q(penalty__party_name__icontains=party.strip()[:60]) | Q(title__icontains=party.strip()[:60]))
    if since:
        qs = qs.filter(published_at__date__gte=since)
    rows = qs.order_by("-published_at", "-id")[(page - 1) * PAGE:page * PAGE]
    return [{"id": p.pk, "title": p.title, "body": p.body, "published_at": p.published_at,
             "comes_down_on": p.take_down_on, "url": request.build_absolute_uri(f"/enforcement/results/{p.pk}/")}
            for p in rows]
