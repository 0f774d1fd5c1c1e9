"""The legal clock: time limits counted the way Chinese law counts them.

- The start day is not counted (民法典 art. 201).
- "N 个工作日" ends on the N-th working day after the start: weekends and statutory holidays
  are skipped, 调休 working weekends count.
- "N 日" (natural days) ends N days after the start; an end on a rest day moves to the next
  working day (民法典 art. 203).
- Months end on the same day of the month N months later, or that month's last day.
- Paused spans (补正, 听证, 鉴定 …) are not counted. A pause is stored as (paused_on, resumed_on):
  the days after `paused_on` up to and including `resumed_on` do not count.

Working days come from the `chinese-calendar` package, overridden by the CalendarDay table.
A year that neither covers falls back to Monday–Friday and the result is `provisional`.
"""

from __future__ import annotations

import calendar as _stdcal
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import chinese_calendar
from chinese_calendar import constants as _cc

from .errors import ValidationFailed

Unit = Literal["working", "natural", "months"]
Pause = tuple[dt.date, dt.date | None]

PACKAGE_YEARS = range(min(_cc.holidays).year, max(_cc.holidays).year + 1)
MAX_DAYS = 3660


@dataclass(frozen=True)
class Deadline:
    date: dt.date
    provisional: bool

    def __str__(self) -> str:
        return self.date.isoformat()


class LegalCalendar:
    """Working-day arithmetic over the package's data plus the administrator's overrides."""

    def __init__(self, overrides: dict[dt.date, bool] | None = None, loaded_years: Iterable[int] = ()) -> None:
        self.overrides = dict(overrides or {})
        self.loaded_years = set(loaded_years)

    # --- days -----------------------------------------------------------------
    def has_data(self, year: int) -> bool:
        return year in self.loaded_years or year in PACKAGE_YEARS

    def is_workday(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if day.year in PACKAGE_YEARS:
            return bool(chinese_calendar.is_workday(day))
        return day.weekday() < 5

    def next_workday(self, day: dt.date) -> dt.date:
        for _ in range(MAX_DAYS):
            if self.is_workday(day):
                return day
            day += dt.timedelta(days=1)
        raise ValidationFailed("no working day within ten years")  # pragma: no cover - a broken override table

    # --- limits ---------------------------------------------------------------
    def add_working_days(self, start: dt.date, n: int, pauses: Sequence[Pause] = ()) -> Deadline:
        _check_amount(n)
        day, counted, provisional = start, 0, not self.has_data(start.year)
        while counted < n:
            day += dt.timedelta(days=1)
            if (day - start).days > MAX_DAYS:
                raise ValidationFailed("time limit longer than ten years")
            if _paused(day, pauses):
                continue
            if self.is_workday(day):
                counted += 1
            provisional = provisional or not self.has_data(day.year)
        return Deadline(day, provisional)

    def add_natural_days(self, start: dt.date, n: int, pauses: Sequence[Pause] = ()) -> Deadline:
        _check_amount(n)
        lost = sum(_pause_length(p, start) for p in pauses)
        end = self.next_workday(start + dt.timedelta(days=n + lost))
        return Deadline(end, any(not self.has_data(y) for y in range(start.year, end.year + 1)))

    def add_months(self, start: dt.date, n: int, pauses: Sequence[Pause] = ()) -> Deadline:
        _check_amount(n)
        month_index = start.month - 1 + n
        year, month = start.year + month_index // 12, month_index % 12 + 1
        day = min(start.day, _stdcal.monthrange(year, month)[1])
        lost = sum(_pause_length(p, start) for p in pauses)
        end = self.next_workday(dt.date(year, month, day) + dt.timedelta(days=lost))
        return Deadline(end, any(not self.has_data(y) for y in range(start.year, end.year + 1)))

    def deadline(self, start: dt.date, n: int, unit: Unit, pauses: Sequence[Pause] = ()) -> Deadline:
        if unit == "working":
            return self.add_working_days(start, n, pauses)
        if unit == "natural":
            return self.add_natural_days(start, n, pauses)
        if unit == "months":
            return self.add_months(start, n, pauses)
        raise ValidationFailed(f"unknown unit {unit!r}: use working, natural or months")

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (0 when end <= start)."""
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.is_workday(day)
        return count


def _check_amount(n: int) -> None:
    if n < 0:
        raise ValidationFailed("a time limit cannot be negative")


def _paused(day: dt.date, pauses: Sequence[Pause]) -> bool:
    for paused_on, resumed_on in pauses:
        if day > paused_on and (resumed_on is None or day <= resumed_on):
            return True
    return False


def _pause_length(pause: Pause, start: dt.date) -> int:
    paused_on, resumed_on = pause
    if resumed_on is None:
        return 0
    return max(0, (resumed_on - max(paused_on, start)).days)


CACHE_KEY = "edugov:legal-calendar:v1"


CACHE_SECONDS = 300


def get_calendar() -> LegalCalendar:
    """The calendar with the administrator's overrides. Cached in Django's cache (Redis in
    production, so every process sees the same); any change to CalendarDay or CalendarYear
    deletes the cached copy (kernel.signals). With the cache down, it is read from the database:
    deadlines never wait for Redis."""
    from .cache import cache_get, cache_set
    from .models import CalendarDay, CalendarYear

    cached = cache_get(CACHE_KEY)
    if cached is not None:
        overrides, years = cached
        return LegalCalendar(overrides, years)
    overrides = dict(CalendarDay.objects.values_list("date", "is_workday"))
    years = list(CalendarYear.objects.values_list("year", flat=True))
    cache_set(CACHE_KEY, (overrides, years), CACHE_SECONDS)
    return LegalCalendar(overrides, years)


def forget_calendar() -> None:
    from .cache import cache_delete

    cache_delete(CACHE_KEY)


def years_missing_data(today: dt.date, extra_years: Iterable[int] = ()) -> list[int]:
    """Years an administrator should load now: this year, next year once within 90 days of it, and any asked for."""
    cal = get_calendar()
    wanted = {today.year, *extra_years}
    if (dt.date(today.year + 1, 1, 1) - today).days <= 90:
        wanted.add(today.year + 1)
    return sorted(y for y in wanted if not cal.has_data(y))


def years_later(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` later (29 February becomes 28 February): a term or a keeping
    period, not a legal time limit, so it does not move to a working day."""
    return months_later(day, 12 * years)


def months_later(day: dt.date, months: int) -> dt.date:
    """The corresponding day `months` later, or that month's last day (民法典 art. 202): a term, not a
    time limit for an act, so it does not move to a working day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, _stdcal.monthrange(year, month)[1]))


def school_term(day: dt.date) -> tuple[dt.date, dt.date]:
    """The school term `day` falls in: the autumn term from 1 September to the end of January, the
    spring term from 1 February to the end of August (the school calendar's two 学期; holidays
    included, so every day belongs to one term)."""
    if day.month >= 9:
        return dt.date(day.year, 9, 1), dt.date(day.year + 1, 1, 31)
    if day.month == 1:
        return dt.date(day.year - 1, 9, 1), dt.date(day.year, 1, 31)
    return dt.date(day.year, 2, 1), dt.date(day.year, 8, 31)


def month_start(day: dt.date, months: int = 0) -> dt.date:
    """The first day of `day`'s month, moved by `months` (-1: last month; 1: next month). The one
    place month arithmetic is done for reporting periods (bulletins, monthly ledgers, checks)."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)
