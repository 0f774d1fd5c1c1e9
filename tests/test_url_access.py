"""Every URL, generated from the URL configuration: anonymous visitors and members of the public
are refused everywhere except the pages listed as public here. A new endpoint that forgets its
permission check fails this test until it is either protected or deliberately listed."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from edugov.accounts.models import UserKind

# Route patterns open to everyone, each for a reason.
PUBLIC = {
    r"^$": "the portal's home",
    r"^healthz$": "load balancer health check",
    r"^accounts/login/$": "sign-in",
    r"^accounts/phone/$": "SMS sign-in",
    r"^accounts/logout/$": "sign-out",
    r"^i18n/setlang/$": "language switch",
    r"^draws/$": "published draws (一公开)",
    r"^complaints/new/$": "anyone may complain without an account",
    r"^complaints/track/$": "tracking by query code, no account needed",
    r"^complaints/rate/$": "the complainant rates by query code",
    r"^open311/v2/": "Open311 GeoReport v2 (POST needs an api_key; GET hides descriptions without one)",
    r"^draws/<str:draw_id>/$": "a published draw",
    r"^reports/public/": "published yearly reports and their PDFs",
    r"^enforcement/results/$": "published inspection results and penalty decisions (一公开)",
    r"^enforcement/results/<int:pk>/$": "one published result",
    r"^api/v1/public/": "published draws in JSON",
    r"^api/v1/audit/public-key$": "the tree-signing public key",
    r"^api/v1/audit/tree-head$": "the newest signed tree head",
    r"^api/v1/audit/proof/": "inclusion proofs (they reveal hashes only)",
    r"^api/v1/audit/checkpoint$": "the newest head as a C2SP checkpoint, with cosignatures",
    r"^api/v1/audit/consistency$": "consistency proofs (hashes only)",
    r"^audit/public/$": "the ledger's public face: the newest head, the key's fingerprint, the witnesses",
    r"^witness/": "the C2SP witness protocol (only where this installation is a witness)",
    r"^api/v1/(openapi.json|docs)": "the API's documentation",
    r"^media/": "demo-only file serving (the demo settings alone add it)",
    r"^services/$": "the service guides (办事指南)",
    r"^services/items/<int:pk>/$": "one published service guide",
    r"^services/decisions/$": "published licensing decisions",
    r"^services/rate/$": "a counter visit is rated with the code on its receipt, no account needed",
    r"^enrollment/$": "published enrollment policies",
    r"^enrollment/<int:pk>/$": "one published enrollment policy",
    r"^enrollment/<int:pk>/results/$": "published enrollment results (masked names)",
    r"^enrollment/track/$": "tracking by query code and the child's identity number, no account needed",
    r"^open/$": "政务公开: everything published, in one place",
    r"^open/data/": "数据开放: the published datasets as CSV and JSON",
    r"^search/$": "search over guides and published items",
    r"^care/$": "the large-text mode, a cookie for anyone",
}
SKIP = (r"^admin/", r"^static/")  # Django admin has its own staff check; static assets


def _routes(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from _routes(p, route)
        elif isinstance(p, URLPattern):
            yield route


def _sample_path(route):
    path = re.sub(r"<int:[^>]+>", "1", route)
    path = re.sub(r"<(str:|path:)?[^>]+>", "x", path)
    path = path.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\", "")
    return "/" + path


ROUTES = sorted({r for r in _routes() if not any(re.match(s, r) for s in SKIP)})


def _public(route):
    return any(re.match(p, route) for p in PUBLIC)


@pytest.mark.parametrize("route", ROUTES)
def test_anonymous_and_public_users_are_refused_outside_the_public_pages(route, client, make_user, tree):
    path = _sample_path(route)
    if _public(route):  # open on purpose: it must still answer an anonymous visitor without failing
        assert client.get(path).status_code < 500, f"public {path} failed for an anonymous visitor"
        return
    r = client.get(path)
    assert r.status_code in (301, 302, 400, 401, 403, 404, 405, 422), f"{path} answered {r.status_code} to an anonymous visitor"
    if r.status_code in (301, 302):
        assert "/accounts/" in r["Location"], f"{path} redirected an anonymous visitor to {r['Location']}"
    citizen = make_user()
    citizen.kind = UserKind.PUBLIC
    citizen.save()
    client.force_login(citizen)
    if route in ("^my/$", "my/"):
        return  # a citizen's own page
    r = client.get(path)
    # 400/422: an API refusing missing parameters before anything is read
    assert r.status_code in (302, 400, 401, 403, 404, 405, 422), f"{path} answered {r.status_code} to a member of the public"


def test_the_route_list_is_not_empty():
    assert len(ROUTES) > 20
