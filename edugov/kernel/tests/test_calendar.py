import datetime as dt

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from edugov.kernel.calendar import PACKAGE_YEARS, LegalCalendar, get_calendar, years_missing_data
from edugov.kernel.models import CalendarDay, CalendarYear

cal = LegalCalendar()
known_years = st.dates(min_value=dt.date(2010, 1, 1), max_value=dt.date(2025, 10, 31))


def test_national_day_2024_and_its_working_saturday():
    # 2024-09-29 (Sunday) and 2024-10-12 (Saturday) were working days; 1–7 October were not.
    assert not cal.is_workday(dt.date(2024, 9, 28))
    assert cal.is_workday(dt.date(2024, 9, 29))
    assert not cal.is_workday(dt.date(2024, 10, 1))
    assert cal.is_workday(dt.date(2024, 10, 12))
    assert cal.add_working_days(dt.date(2024, 9, 27), 5).date == dt.date(2024, 10, 10)


def test_start_day_is_not_counted_and_natural_days_move_off_rest_days():
    assert cal.add_natural_days(dt.date(2024, 3, 1), 1).date == dt.date(2024, 3, 4)  # Sat 2 → Mon 4
    assert cal.add_natural_days(dt.date(2024, 9, 30), 1).date == dt.date(2024, 10, 8)
    assert cal.add_natural_days(dt.date(2024, 3, 4), 15).date == dt.date(2024, 3, 19)


def test_months_end_on_the_same_day_or_the_months_last_day():
    assert cal.add_months(dt.date(2024, 1, 31), 1).date == dt.date(2024, 2, 29)
    assert cal.add_months(dt.date(2024, 3, 15), 6).date == dt.date(2024, 9, 18)  # 15 Sep was a Sunday, 16–17 the Mid-Autumn holiday


def test_a_year_without_data_falls_back_to_weekdays_and_is_provisional():
    far = max(PACKAGE_YEARS) + 1
    result = cal.add_working_days(dt.date(far, 3, 2), 3)
    assert result.provisional
    assert result.date.weekday() < 5
    assert not cal.add_working_days(dt.date(2024, 3, 1), 3).provisional


@pytest.mark.django_db
def test_overrides_loaded_by_an_administrator_take_effect_and_end_the_warning():
    far = max(PACKAGE_YEARS) + 1
    assert far in years_missing_data(dt.date(far, 1, 5))
    CalendarDay.objects.create(date=dt.date(far, 1, 1), is_workday=False, name="元旦")
    CalendarDay.objects.create(date=dt.date(far, 1, 2), is_workday=False, name="元旦")
    CalendarYear.objects.create(year=far, source="国办发明电〔test〕")
    loaded = get_calendar()
    assert not loaded.is_workday(dt.date(far, 1, 1))
    result = loaded.add_working_days(dt.date(far, 3, 2), 3)
    assert not result.provisional
    assert far not in years_missing_data(dt.date(far, 1, 5))


@settings(max_examples=300, deadline=None)
@given(known_years, st.integers(0, 90), st.sampled_from(["working", "natural", "months"]))
def test_a_deadline_never_falls_on_a_rest_day(start, n, unit):
    if unit == "months":
        n = n % 13
    result = cal.deadline(start, n, unit)
    assert n == 0 and unit == "working" or cal.is_workday(result.date)


@settings(max_examples=300, deadline=None)
@given(known_years, st.integers(0, 60), st.integers(0, 30), st.sampled_from(["working", "natural"]))
def test_more_days_never_give_an_earlier_deadline(start, n, extra, unit):
    assert cal.deadline(start, n + extra, unit).date >= cal.deadline(start, n, unit).date


@settings(max_examples=300, deadline=None)
@given(known_years, st.integers(1, 40), st.integers(0, 20), st.integers(0, 20))
def test_a_pause_moves_a_working_day_deadline_by_the_working_days_lost_in_it(start, n, offset, k):
    plain = cal.add_working_days(start, n).date
    paused_on = start + dt.timedelta(days=offset)
    assume(paused_on < plain)
    resumed_on = paused_on + dt.timedelta(days=k)
    lost = cal.working_days_between(paused_on, resumed_on)
    with_pause = cal.add_working_days(start, n, [(paused_on, resumed_on)]).date
    assert cal.working_days_between(plain, with_pause) == lost
