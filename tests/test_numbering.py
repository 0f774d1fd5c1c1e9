"""Issue 24, kernel.numbering: official numbers (文号, case references) are issued once each, also
when requests come at the same moment. Before, letters of appointment and rectification notices
were `count() + 1`: two concurrent requests got the same 文号. The concurrency tests need separate
connections committing at once, which is PostgreSQL's (SQLite serialises every writer)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections, transaction

from edugov.kernel import numbering
from edugov.kernel.models import Counter

pytestmark = pytest.mark.django_db(transaction=True)
postgres_only = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="concurrent writers need PostgreSQL")


def _at_once(n, work):
    """Run `work(i)` in n threads, each in its own connection and transaction, started together and
    held open briefly so that they overlap; returns their results."""
    barrier, results, errors = threading.Barrier(n), [None] * n, []

    def run(i):
        try:
            barrier.wait(timeout=30)
            with transaction.atomic():
                results[i] = work(i)
                connection.cursor().execute("SELECT pg_sleep(0.05)")  # hold the transaction open
        except Exception as exc:  # noqa: BLE001 - handed to the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    return results


@postgres_only
@pytest.mark.parametrize("gapless", [True, False])
def test_numbers_drawn_at_the_same_moment_are_all_different(gapless):
    got = _at_once(8, lambda i: numbering.next_number("test_letter", 42, 2026, gapless=gapless))
    assert sorted(got) == list(range(1, 9))


def test_a_series_begun_before_continues_after_its_highest_number():
    with transaction.atomic():  # numbers are drawn inside the transaction that uses them
        assert numbering.next_number("legacy", 7, 2024, floor=lambda: 239) == 240
        assert numbering.next_number("legacy", 7, 2024, floor=lambda: 0) == 241  # floor is asked once
        assert numbering.next_number("legacy", 7, 2025) == 1  # each year its own series
    assert Counter.objects.get(series="legacy", scope=7, year=2024).last == 241


def test_a_rolled_back_document_gives_its_number_back():
    with pytest.raises(RuntimeError), transaction.atomic():
        assert numbering.next_number("notice", 3, 2026) == 1
        raise RuntimeError
    with transaction.atomic():
        assert numbering.next_number("notice", 3, 2026) == 1


@postgres_only
def test_two_letters_of_appointment_at_once_get_two_numbers(tree, make_user):
    from edugov.accounts.models import Role
    from edugov.registries.models import Person, PersonKind, School
    from edugov.schools import actions

    staff = make_user(Role.DEPARTMENT_STAFF, tree.dept)
    people = [Person.objects.create(organisation=tree.bureau, kind=PersonKind.LEGAL_VP, name=f"法副{n}",
                                    identity_number=f"50010119800501{n:03d}X", gender="M",
                                    birth_date=dt.date(1980, 5, 1), sending_agency="police", agency_name="甲区公安分局")
              for n in (1, 2)]
    schools = [School.objects.get(code="S1"), School.objects.get(code="S2")]
    letters = _at_once(2, lambda i: actions.appoint(actor=staff, person=people[i], school=schools[i],
                                                     starts_on=dt.date(2026, 9, 1)).letter_number)
    assert sorted(letters) == ["甲教法聘〔2026〕001号", "甲教法聘〔2026〕002号"]


def test_month_arithmetic_and_query_codes_each_live_in_one_place():
    """Issue 24, mechanisms once: last month (January → December of the year before) and citizens'
    query codes (read out over the phone: no 0/O, 1/I; any case and separators find the code)."""
    from edugov.kernel import querycodes
    from edugov.kernel.calendar import month_start

    assert month_start(dt.date(2026, 1, 15), -1) == dt.date(2025, 12, 1)
    assert month_start(dt.date(2024, 3, 31), -1) == dt.date(2024, 2, 1)
    assert month_start(dt.date(2025, 12, 2), 1) == dt.date(2026, 1, 1)
    code = querycodes.new()
    assert len(code) == 14 and code.count("-") == 2 and not set(code) & set("01OI")
    assert querycodes.canonical(code.lower().replace("-", " ")) == code
    assert len(querycodes.new(8, group=0)) == 8
