"""Facts other apps know about registry entries, asked for through hooks so that sibling apps do
not import each other (ARCHITECTURE.md: an explicit hook registered in AppConfig.ready())."""

from __future__ import annotations

from collections.abc import Callable, Iterable

# institution pks → {pk: complaints about it in the last 12 months}
ComplaintCounter = Callable[[Iterable[int]], dict[int, int]]
_COMPLAINT_COUNTERS: list[ComplaintCounter] = []


def register_complaint_counter(counter: ComplaintCounter) -> None:
    if counter not in _COMPLAINT_COUNTERS:
        _COMPLAINT_COUNTERS.append(counter)


def complaints_about_institutions(pks: Iterable[int]) -> dict[int, int]:
    ids = list(pks)
    total: dict[int, int] = {}
    for counter in _COMPLAINT_COUNTERS:
        for pk, n in counter(ids).items():
            total[pk] = total.get(pk, 0) + n
    return total
