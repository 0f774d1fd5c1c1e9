"""Bad input: every form on every page, found by reading the pages themselves, is posted with values
hypothesis makes up (odd Unicode, very long text, numbers where text goes and text where numbers
go, numbers past every integer column, dates that do not exist, random files): never a server
error. Every page and API listing is also fetched with made-up values for every query parameter
the code reads (year 0, 0001-01-01, huge integers): never a server error, and a refusal is a 400
that says in Chinese what is accepted. A new form or parameter is fuzzed the day it appears."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.crawl import SKIP, Forms, _api_listings, _pages, _query_names, everyone  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


ODD = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=200,
            max_size=3000),
    st.sampled_from(["", " ", "0", "-1", "99999999999999999999", "1e309", "NaN", "2024-02-30", "2024-13-01",
                     "9999-12-31", "0000-00-00", "<script>alert(1)</script>", "'; DROP TABLE x; --", "../../etc/passwd",
                     "５００１０１１９８００１０１００１１", "１３８００００００００", "\u202e\u200b", "🙂" * 50, "a\x00b", "报告\x0b正文", "\x1b[31m"]),
    st.integers(min_value=-10**20, max_value=10**20).map(str),
    # past every integer column: 2**31 (PostgreSQL integer), 2**63 (bigint, SQLite) and far beyond
    st.sampled_from(["2147483648", "-2147483649", "9223372036854775808", "99999999999999999999999", "1" * 60]),
)


def _value(field: dict, draw) -> object:
    if field["kind"] == "file":
        body = draw(st.sampled_from([b"", b"%PDF-1.4\n%%EOF", b"\x89PNG\r\n\x1a\n" + b"\0" * 30, b"PK\x03\x04junk",
                                     b"GIF89a", b"x" * 4000]))
        name = draw(st.sampled_from(["a.pdf", "../../x.png", "名字.xlsx", "a.exe", "", "x" * 300 + ".pdf"]))
        return SimpleUploadedFile(name or "f", body)
    if field["options"] and draw(st.booleans()):
        return draw(st.sampled_from(field["options"]))
    return draw(ODD)


def _fuzz(client, action: str, form: dict, failures: list) -> None:
    @settings(max_examples=10, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
    @given(st.data())
    def post(data):
        values = {name: _value(field, data.draw) for name, field in form["fields"].items()
                  if name != "csrfmiddlewaretoken" and data.draw(st.integers(0, 9)) > 0}
        try:
            status = client.post(action, values).status_code
        except Exception as exc:  # the test client re-raises what the view raised: that is a 500
            status, values["!"] = 500, repr(exc)
        if status >= 500:
            failures.append((action, {k: str(v)[:120] for k, v in values.items()}))

    post()


def test_every_form_takes_made_up_input_without_a_server_error(client, records, everyone):  # noqa: F811
    seen = 0
    failures = []
    for path, user in _pages(records, everyone):
        client.logout()
        if user is not None:
            client.force_login(user)
        page = client.get(path)
        if page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
            continue
        parser = Forms()
        parser.feed(page.content.decode())
        for form in parser.forms:
            action = form["action"] or path
            if SKIP.match(action) or not action.startswith("/"):
                continue
            seen += 1

            _fuzz(client, action, form, failures)
    print(f"{seen} forms fuzzed")
    assert seen > 60, f"only {seen} forms found: the page walk is not reaching them"
    assert not failures, "\n".join(f"{action}: {values.get('!', '')} with {values}" for action, values in failures[:8])


def test_a_control_character_is_refused_before_anything_is_stored(client, tree):
    from edugov.petitions.models import Petition

    r = client.post("/complaints/new/", {"description": "收费\x0b问题", "complainant_phone": "13800000000"})
    assert r.status_code == 400 and "控制字符" in r.content.decode()
    assert client.get("/search/", {"q": "a\x00"}).status_code == 400
    assert not Petition.objects.exists()


# ---- GET: every query parameter the code reads, on every page and API listing ------------------


BAD_QUERY = st.one_of(
    st.sampled_from(["0001-01-01", "9999-12-31", "0001-01-01T00:00:00", "9999-12-31T23:59:59", "0", "-1", "", " ",
                     "99999999999999999999999", "2147483648", "-2147483649", "9223372036854775808", "1e309", "NaN",
                     "2024-02-30", "2024-13-01", "2024-1", "１２", "\u202e\u200b", "🙂" * 50, "%", "../../etc/passwd",
                     "<script>alert(1)</script>", "'", "a" * 3000, "xlsx", "docx", "pdf", "true", "all", "JZ", "B2",
                     "a\x00b", "2024\x0b", "\x1b[31m"]),
    st.integers(min_value=-10**25, max_value=10**25).map(str),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30),
)
CJK = re.compile(r"[\u4e00-\u9fff]")


def _get_fuzz(client, path: str, names: list[str], failures: list) -> None:
    @settings(max_examples=6, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
    @given(st.dictionaries(st.sampled_from(names), BAD_QUERY, min_size=1, max_size=4))
    def get(params):
        try:
            r = client.get(path, params)
            status, body = r.status_code, (r.content.decode(errors="replace") if not r.streaming else "")
        except Exception as exc:  # the test client re-raises what the view raised: that is a 500
            status, body = 500, repr(exc)
        if status >= 500 or (status == 400 and not CJK.search(body)):
            failures.append((path, params, f"{status} {body[:160]}"))

    get()


def test_every_page_takes_made_up_query_parameters_without_a_server_error(client, records, everyone):  # noqa: F811
    names = _query_names()
    assert {"year", "page", "q", "end_date", "start_date"} <= set(names)
    pages = _pages(records, everyone)
    pages += [(path, user) for path in _api_listings() for user in (None, everyone[0])]
    pages += [(f"/open311/v2/{p}", None) for p in ("services.json", "requests.json", "requests.xml")]
    failures: list[tuple[str, dict, str]] = []
    tried = 0
    for path, user in pages:
        client.logout()
        if user is not None:
            client.force_login(user)
        _get_fuzz(client, path, names, failures)
        tried += 1
    print(f"{tried} pages fetched with made-up query strings")
    assert len(pages) > 100, "the page walk is not reaching the pages"
    assert not failures, "\n".join(f"{p} {q}: {why}" for p, q, why in failures[:12])
