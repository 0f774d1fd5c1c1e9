"""Every URL, generated from the URL configuration: anonymous visitors and members of the public
are refused everywhere except the pages listed as public here. A new endpoint that forgets its
permission check fails this test until it is either protected or deliberately listed."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from edugov.accounts.models import UserKind
from tests.public_routes import PUBLIC

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
