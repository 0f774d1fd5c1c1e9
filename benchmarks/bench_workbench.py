"""The workbench's overdue list of one department over 1,000,000 cases in PostgreSQL.

edugov's selector (the ORM query the page runs, with its joins and decryption of the contact
fields) vs a bare indexed SELECT of the same rows, same run. Goal: at most 2x (ratio >= 0.5).
Both the first page (25 rows, what the page shows) and the whole list are measured."""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time

from harness import report, save, setup_django

N_CASES = int(os.environ.get("BENCH_WORKBENCH_CASES", "1000000"))
DEPARTMENTS = 20


def populate() -> tuple[int, dt.date]:
    from django.db import connection

    from edugov.accounts.models import Organisation, OrgKind
    from edugov.kernel.crypto import blind_index, encrypt

    bureau = Organisation.objects.create(code="WB", name="bench bureau", kind=OrgKind.BUREAU, case_prefix="WB")
    depts = [Organisation.objects.create(code=f"WB-{i}", name=f"dept {i}", kind=OrgKind.DEPARTMENT, parent=bureau)
             for i in range(DEPARTMENTS)]
    first, last = depts[0].pk, depts[-1].pk
    phone = encrypt("13812345678")
    name = encrypt("张三")
    today = dt.date(2026, 11, 27)
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        # 15% of cases open; their next due dates spread 60 days either side of today.
        cur.execute(f"""
            INSERT INTO cases_case (kind, reference, year, number, title, state, is_open, organisation_id,
                department_id, priority, opened_at, closed_at, next_due_on, contact_name, contact_name_index,
                contact_phone, contact_phone_index, version)
            SELECT 'petition', 'WB〔' || (2020 + g %% 7) || '〕' || g || '号', 2020 + g %% 7, g, '家长反映问题 ' || g,
                   CASE WHEN g %% 100 < 15 THEN 'accepted' ELSE 'closed' END, g %% 100 < 15, %s,
                   {first} + (g %% {DEPARTMENTS}), 0, now() - (g %% 2000) * interval '1 hour',
                   CASE WHEN g %% 100 < 15 THEN NULL ELSE now() END,
                   CASE WHEN g %% 100 < 15 THEN %s::date + ((g::bigint * 7919) %% 121 - 60)::int END,
                   %s, %s, %s, %s, 0
            FROM generate_series(1, %s) AS g
        """, [bureau.pk, today, name, blind_index("张三", purpose="name"), phone,
              blind_index("13812345678", purpose="phone"), N_CASES])
        cur.execute("ANALYZE cases_case")
    print(f"# populated {N_CASES} cases in {time.perf_counter() - t0:.1f}s (departments {first}..{last})", flush=True)
    return first, today


def median_ms(fn, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples) * 1000


def main() -> None:
    setup_django()
    from django.db import connection

    from edugov.cases.selectors import overdue_for_department

    dept, today = populate()
    # the same columns the list loads (selectors.LIST_FIELDS), without the joins' names
    columns = ("id, kind, reference, title, state, is_open, next_due_on, opened_at, closed_at, organisation_id, "
               "department_id, assignee_id, version")
    bare_sql = (f"SELECT {columns} FROM cases_case WHERE department_id = %s AND is_open AND next_due_on < %s "
                "ORDER BY next_due_on")

    def orm_page() -> None:
        rows = list(overdue_for_department(dept, today)[:25])
        assert rows and rows[0].department.name

    def bare_page() -> None:
        with connection.cursor() as cur:
            cur.execute(bare_sql + " LIMIT 25", [dept, today])
            assert cur.fetchall()

    def orm_all() -> int:
        return len(list(overdue_for_department(dept, today)))

    def bare_all() -> int:
        with connection.cursor() as cur:
            cur.execute(bare_sql, [dept, today])
            return len(cur.fetchall())

    rows = orm_all()
    assert rows == bare_all() and rows > 0
    for fn in (orm_page, bare_page, orm_all, bare_all):
        fn()  # warm
    orm_p, bare_p = median_ms(orm_page, 60), median_ms(bare_page, 60)
    orm_a, bare_a = median_ms(orm_all, 15), median_ms(bare_all, 15)
    with connection.cursor() as cur:
        cur.execute("EXPLAIN " + bare_sql + " LIMIT 25", [dept, today])
        plan = " / ".join(r[0].strip() for r in cur.fetchall())
    print(f"# plan: {plan}", flush=True)
    report("workbench_overdue_page", bare_p / orm_p, "bare indexed SELECT of the same 25 rows",
           cases=N_CASES, department_overdue=rows, median_ms=orm_p, bare_median_ms=bare_p)
    report("workbench_overdue_all", bare_a / orm_a, "bare indexed SELECT of the same rows",
           cases=N_CASES, rows=rows, median_ms=orm_a, bare_median_ms=bare_a)

    # every tab's count for one member of staff of that unit (issue 26: within 50 ms at this size),
    # against one bare count of the unit's open cases, and the whole page as the person sees it
    from django.test import Client

    from edugov.accounts.models import Grant, Organisation, Role, User
    from edugov.cases.selectors import workbench_counts
    from edugov.cases.views import COUNTED

    staff = User.objects.create_user(username="bench.staff", password="x")
    Grant.objects.create(user=staff, role=Role.DEPARTMENT_STAFF, organisation=Organisation.objects.get(pk=dept))

    def counts() -> dict[str, int]:
        return workbench_counts(staff, COUNTED, today)

    def bare_count() -> int:
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM cases_case WHERE department_id = %s AND is_open", [dept])
            return int(cur.fetchone()[0])

    counts(), bare_count()
    orm_c, bare_c = median_ms(counts, 15), median_ms(bare_count, 15)
    report("workbench_tab_counts", bare_c / orm_c, "one bare count of the unit's open cases",
           cases=N_CASES, tabs=len(COUNTED), median_ms=orm_c, bare_median_ms=bare_c, goal_ms=50)
    client = Client()
    client.force_login(staff)

    def page() -> None:
        assert client.get("/cases/").status_code == 200

    page()
    report("workbench_page", bare_p / median_ms(page, 10), "bare indexed SELECT of 25 overdue rows",
           cases=N_CASES, median_ms=median_ms(page, 10))
    save()


if __name__ == "__main__":
    main()
