"""Issue 21/22: scope comes from the actor's grants, never from a parameter or a posted id.

Generated, not listed: every GET page and API listing (from the URL configuration and the API
schema) is fetched by staff of another district holding every role, with every query parameter
the code reads (found in the source) set to this district's codes and ids; and every POST form
those staff see (read from the pages themselves) is posted with each id field swapped for one only
this district's staff are offered. A page that answers with this district's data, or a form that
writes anything, fails. A route, a parameter or a form added tomorrow is covered tomorrow."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from edugov.accounts.models import Grant, Role, User
from tests.crawl import SKIP, Forms, _api_listings, _query_names, _routes
from tests.public_routes import PUBLIC

pytestmark = pytest.mark.django_db

# Typed parameters: a code in them is a 400 that would stop the others being read in the same
# request; they select a period or a page, never whose records.
TYPED = {"year", "month", "end", "end_date", "start_date", "page", "page_size"}
MARK = "甲区"  # every name in the district under attack carries it; nothing in 乙区's does


SCHOOL_ROLES = (Role.SCHOOL_ADMIN, Role.LEGAL_VP)


def _staff(username: str, org, roles) -> User:
    user = User.objects.create_user(username=username, password="Pass-word-2024", full_name="全能")  # noqa: S106
    for role in roles:
        Grant.objects.create(user=user, role=role, organisation=org)
    return user


def _bureau_and_school_staff(name: str, bureau, school_org) -> list[User]:
    """One account with every bureau role, one with every school role: a page that serves both
    (a school sees its own, the bureau its district) shows each its own forms."""
    return [_staff(f"{name}-bureau", bureau, [r for r in Role if r not in SCHOOL_ROLES]),
            _staff(f"{name}-school", school_org, SCHOOL_ROLES)]


@pytest.fixture
def intruders(tree, records):  # noqa: F811
    """Staff of 乙区, with a little of their own district to work on: a hotline, a category, a
    legal vice-principal in the people register."""
    from edugov.petitions.models import Category, Hotline
    from edugov.registries.models import Person

    office = tree.other_bureau.__class__.objects.create(code="B2-sup", name="乙区督导室", kind="department",
                                                        parent=tree.other_bureau)
    Hotline.objects.create(organisation=tree.other_bureau, office=office, opened_on=dt.date(2024, 3, 1))
    Category.objects.create(organisation=tree.other_bureau, name="乙区分类")
    Person.objects.create(organisation=tree.other_bureau, kind="legal_vp", name="法副乙", agency_name="乙区派出所",
                          identity_number="500101198001010051", gender="M", birth_date=dt.date(1980, 1, 1))
    return _bureau_and_school_staff("intruder", tree.other_bureau, tree.other_district_school.organisation)


@pytest.fixture
def insiders(tree, records):  # noqa: F811
    """Staff of 甲区: whose forms offer 甲区's records."""
    from edugov.registries.models import Person

    Person.objects.create(organisation=tree.bureau, kind="legal_vp", name="法副丙", agency_name="甲区派出所",
                          identity_number="500101198001010078", gender="F", birth_date=dt.date(1981, 1, 1))
    return _bureau_and_school_staff("insider", tree.bureau, tree.school_org)


def _body(response) -> str:
    return "" if response.streaming else response.content.decode(errors="replace")


def _this_districts_values(tree) -> list[str]:
    return [tree.bureau.code, tree.dept.code, tree.school_org.code, str(tree.bureau.pk), str(tree.dept.pk),
            str(tree.school.pk), str(tree.school_org.pk)]


def _published(path: str) -> bool:
    """A page open to everyone (test_url_access lists each with its reason): it shows every
    district's published items on purpose."""
    return any(re.match(pattern, path.lstrip("/")) for pattern in PUBLIC)


def test_no_page_shows_another_districts_records_whatever_the_query_string(client, tree, intruders):
    names = [n for n in _query_names() if n not in TYPED]
    assert {"org", "school", "item"} <= set(names), "the source scan is not finding the parameters"
    pages = [p for p in sorted(set(_routes())) if not SKIP.match(p)] + _api_listings()
    pages = [p for p in pages if not _published(p)]
    leaks, fetched = [], 0
    for intruder in intruders:
        client.force_login(intruder)
        leaks += _leaks(client, pages, _this_districts_values(tree), names)
        fetched += len(pages)
    print(f"{len(pages)} pages, each fetched by {len(intruders)} accounts with 甲区's codes and ids")
    assert len(pages) > 35, "the route walk is not reaching the pages"
    assert not leaks, "\n".join(leaks)


def _leaks(client, pages: list[str], values: list[str], names: list[str]) -> list[str]:
    leaks = []
    for path in pages:
        plain = _body(client.get(path))
        if MARK in plain:
            leaks.append(f"{path}: shows 甲区 with no parameter at all")
            continue
        for value in values:
            response = client.get(path, dict.fromkeys(names, value))
            if response.status_code < 300 and MARK in _body(response):
                leaks.append(f"{path}?…={value}: {response.status_code}, shows 甲区")
                break
    return leaks


def _forms(client, user, paths: list[str]) -> dict[str, dict]:
    """action → the first POST form with that action on any of `paths`, as `user` sees it."""
    client.force_login(user)
    found: dict[str, dict] = {}
    for path in paths:
        response = client.get(path)
        if response.status_code != 200 or response.streaming or "html" not in response.get("Content-Type", ""):
            continue
        parser = Forms()
        parser.feed(_body(response))
        for form in parser.forms:
            found.setdefault(form["action"] or path, form)
    return found


def _filled(form: dict) -> dict[str, str]:
    """What a clerk would post: the first option of each choice, plausible text, today's date."""
    today = dt.date.today().isoformat()
    values: dict[str, str] = {}
    for name, field in form["fields"].items():
        kind, options = field["kind"], field["options"]
        if name == "csrfmiddlewaretoken":
            continue
        if options:
            values[name] = next((o for o in options if o), options[0])
        elif kind == "date":
            values[name] = today
        elif kind == "number":
            values[name] = "1"
        elif kind == "checkbox":
            values[name] = "on"
        elif kind == "file":
            continue
        else:
            values[name] = "测试内容"
    return values


def test_no_form_accepts_an_id_from_another_district(client, tree, intruders, insiders):
    pages = [p for p in sorted(set(_routes())) if not SKIP.match(p)]
    tried, refused = [], []
    for intruder, insider in zip(intruders, insiders, strict=True):
        theirs = _forms(client, insider, pages)
        mine = _forms(client, intruder, pages)
        client.force_login(intruder)
        for action, form in sorted(mine.items()):
            for name, field in form["fields"].items():
                foreign = [o for o in theirs.get(action, {"fields": {}})["fields"].get(name, {}).get("options", [])
                           if re.fullmatch(r"\d+", o or "") and o not in field["options"]]
                if foreign:
                    tried.append(f"{action} {name}")
                    refused += _post_writes(client, action, {**_filled(form), name: foreign[0]})
    print(f"{len(tried)} forms posted with an id only 甲区's staff are offered: {', '.join(tried)}")
    assert len(tried) >= 5, "the form walk is not finding forms that take ids"
    assert not refused, "\n".join(refused)


def _post_writes(client, action: str, values: dict[str, str]) -> list[str]:
    from edugov.audit.models import Entry

    before = Entry.objects.count()
    response = client.post(action, values)
    written = Entry.objects.count() - before
    if written or response.status_code >= 500:
        return [f"{action} {values}: {response.status_code}, {written} ledger entries written"]
    return []
