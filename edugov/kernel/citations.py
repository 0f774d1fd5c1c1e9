"""Marking a citation of a document that is no longer in force (issue 28): wherever edugov shows a
legal basis (a service guide, an enforcement item), a cited normative document the bureau has
repealed or amended is marked as such, so nobody relies on it unawares.

The legality app knows which documents those are; the kernel cannot import it (the layer contract),
so the app registers its source here from its AppConfig.ready(), as the ledger's port does."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

_sources: list[Callable[[], dict[str, str]]] = []


def register_source(source: Callable[[], dict[str, str]]) -> None:
    """`source()` → {document number: "repealed" | "amended"}."""
    if source not in _sources:
        _sources.append(source)


def withdrawn() -> dict[str, str]:
    found: dict[str, str] = {}
    for source in _sources:
        found.update(source())
    return found


def mark(text: object) -> SafeString:
    """The text escaped, each cited number of a repealed or amended document followed by a mark."""
    escaped = str(conditional_escape(str(text) if text is not None else ""))
    numbers = withdrawn()
    if not numbers or not escaped:
        return mark_safe(escaped)  # noqa: S308 - escaped above
    labels = {"repealed": _("repealed"), "amended": _("amended: a new version is in force")}
    pattern = re.compile("|".join(re.escape(str(conditional_escape(n))) for n in sorted(numbers, key=len, reverse=True)))

    def one(match: re.Match[str]) -> str:
        status = next(s for n, s in numbers.items() if str(conditional_escape(n)) == match.group(0))
        return str(format_html('{}<mark class="withdrawn" title="{}">（{}）</mark>', match.group(0),
                               labels.get(status, status), labels.get(status, status)))

    return mark_safe(pattern.sub(one, escaped))  # noqa: S308 - built from escaped text and format_html
