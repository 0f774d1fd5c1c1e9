"""Facts other apps know about registry entries, asked for through hooks so that sibling apps do
not import each other (ARCHITECTURE.md: an explicit hook registered in AppConfig.ready())."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

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


# (person, day) → why the person's enforcement certificate should not be renewed now, or None.
# Enforcement registers one: an officer behind on the year's training hours or who failed the
# yearly assessment (issue 31); `actions.person_update` asks before extending a certificate.
RenewalCheck = Callable[[Any, dt.date], str | None]
_RENEWAL_CHECKS: list[RenewalCheck] = []


def register_renewal_check(check: RenewalCheck) -> None:
    if check not in _RENEWAL_CHECKS:
        _RENEWAL_CHECKS.append(check)


def renewal_objections(person: Any, on: dt.date) -> list[str]:
    return [reason for check in _RENEWAL_CHECKS if (reason := check(person, on))]
