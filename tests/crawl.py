"""What the generated tests know of the site: its routes, the forms on its pages (read from the
HTML), the query parameters and API listings the code reads. Shared by the form fuzzer and the
generated scope tests."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

SKIP = re.compile(r"^/(admin|static|media|i18n|api|open311|accounts/logout)/")


class Forms(HTMLParser):
    """The POST forms of a page: action, and each field's name, kind and offered values."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "get").lower() == "post":
            self._form = {"action": a.get("action") or "", "fields": {}}
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "textarea", "select") and a.get("name"):
            kind = a.get("type", "text") if tag == "input" else tag
            field = self._form["fields"].setdefault(a["name"], {"kind": kind, "options": []})
            if a.get("value") is not None and kind in ("hidden", "radio", "checkbox", "submit"):
                field["options"].append(a["value"])
            if tag == "select":
                self._select = a["name"]
        elif self._form is not None and tag == "button" and a.get("name"):
            self._form["fields"].setdefault(a["name"], {"kind": "submit", "options": []})["options"].append(
                a.get("value", ""))
        elif tag == "option" and self._form is not None and self._select:
            self._form["fields"][self._select]["options"].append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _routes(resolver=None, prefix=""):
    for p in (resolver or get_resolver()).url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from _routes(p, route)
        elif isinstance(p, URLPattern) and "<" not in route:
            yield "/" + route.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\", "")


def _query_names() -> list[str]:
    """The query-string names the code reads (request.GET, kernel.query), found in the source, so a
    parameter added tomorrow is fuzzed tomorrow."""
    root = Path(__file__).resolve().parents[1] / "edugov"
    names: set[str] = set()
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        names |= set(re.findall(r"request\.GET(?:\.get\(|\[|\.getlist\()\"([a-z_0-9]+)\"", text))
        names |= set(re.findall(r"query\.\w+\(request, \"([a-z_0-9]+)\"", text))
    return sorted(names)


def _api_listings() -> list[str]:
    from django.test import Client

    schema = Client().get("/api/v1/openapi.json").json()
    return sorted("/api/v1" + p if not p.startswith("/api/") else p for p, ops in schema["paths"].items()
                  if "get" in ops and "{" not in p)


@pytest.fixture
def everyone(tree):
    """A member of staff with every role in the district, and a member of the public."""
    from edugov.accounts.models import Grant, Role, User, UserKind

    staff = User.objects.create_user(username="all-roles", password="Pass-word-2024", full_name="全能")
    for role in Role:
        org = tree.school_org if role in (Role.SCHOOL_ADMIN, Role.LEGAL_VP) else tree.bureau
        Grant.objects.create(user=staff, role=role, organisation=org)
    citizen = User.objects.create_user(username="p13900000077", kind=UserKind.PUBLIC, phone="13900000077")
    return staff, citizen


def _pages(records, everyone):
    staff, citizen = everyone
    pages = [(path, staff) for path in sorted(set(_routes())) if not SKIP.match(path)]
    pages += [(path, None) for path in ("/complaints/new/", "/complaints/track/", "/services/rate/",
                                        "/enrollment/track/", "/accounts/phone/", "/accounts/login/")]
    pages += [(path, citizen) for path in ("/complaints/new/", "/my/")]
    pages += [(path, owner) for path, owner in records.values() if path]
    return pages
