"""Issue 27: a scan of every staff page in a Chinese session finds no internal identifier (a
snake_case code, a dotted key, a model label) and no English word outside names and the codes a
reader is meant to copy (those sit in `class="mono"`, `<code>` or `lang="en"` elements).

The pages are those the form fuzzer walks: every route as a member of staff holding every role,
and every record page of the object-access table as its owner."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from tests.crawl import _pages, everyone  # noqa: F401  (fixture)
from tests.records import records  # noqa: F401  (fixture)

# Words a Chinese reader meets as they are: formats, standards and product names.
ALLOWED = {"PDF", "JSON", "CSV", "Word", "Excel", "API", "SHA", "URL", "SMS", "UTC", "ID", "OK", "IP", "XLSX", "DOCX",
           "TOTP", "HTTP", "HTTPS", "Open311", "GeoReport", "CC", "BY", "edugov", "Merkle", "C2SP", "SM3", "SM4", "v1",
           "Ed25519", "Chromium", "Celery", "Redis", "PostgreSQL", "GB", "KB", "MB", "PIPL", "QR", "Tab", "Enter",
           "Ctrl", "App", "WeChat", "Mermaid", "XLS", "ZIP", "JPG", "JPEG", "PNG", "Z", "AM", "PM", "Word/PDF",
           "bt", "btxx"}  # the search hint's examples of pinyin initials
FILE_NAME = re.compile(r"\S+\.(?:png|jpe?g|pdf|docx?|xlsx?|csv|json|zip|txt)\b", re.IGNORECASE)
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
DOTTED = re.compile(r"\b[a-z_]+\.[a-z_]+(?:\.[a-z_]+)*\b")
WORD = re.compile(r"[A-Za-z][A-Za-z0-9/+-]*[A-Za-z0-9]|[A-Za-z]")
SKIP_TAGS = {"script", "style", "code", "pre", "textarea", "option", "title"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Visible(HTMLParser):
    """The text a reader sees, without the elements that hold codes on purpose."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []  # for each open element: is its content skipped?
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        skip = (tag in SKIP_TAGS or "mono" in classes or a.get("lang", "").startswith("en")
                or a.get("translate") == "no" or "sr-only" in classes)
        self.stack.append(skip or bool(self.stack and self.stack[-1]))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            self.text.append(data)


def _findings(html: str, names: set[str]) -> list[str]:
    main = html.split('<main', 1)[-1].split("</main>", 1)[0]  # the page, not the site's frame
    parser = Visible()
    parser.feed("<main" + main + "</main>")
    text = " ".join(parser.text)
    for name in names:
        text = text.replace(name, " ")
    text = FILE_NAME.sub(" ", text)  # a file's name is the uploader's, like a person's
    found = [m.group(0) for m in SNAKE.finditer(text)] + [m.group(0) for m in DOTTED.finditer(text)]
    found += [w for w in WORD.findall(text) if w not in ALLOWED and not re.fullmatch(r"[A-Z0-9-]{2,}", w)
              and len(w) > 1]
    return found


def test_no_staff_page_shows_an_internal_identifier_or_an_english_word(client, records, everyone):  # noqa: F811
    from edugov.accounts.models import User

    names = {u.username for u in User.objects.all()} | {str(u) for u in User.objects.all()}
    seen, failures = 0, {}
    for path, user in _pages(records, everyone):
        if user is None or getattr(user, "is_public", False):
            continue
        client.force_login(user)
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans")
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        seen += 1
        found = _findings(response.content.decode(), names)
        if found:
            failures[path] = sorted(set(found))[:8]
    assert seen > 60, "the scan is not reaching the staff pages"
    assert not failures, "\n".join(f"{p}: {w}" for p, w in sorted(failures.items()))
