"""Benchmark of the chiefservice app over synthetic rows (marked 【压测】, removed afterwards): credit-code
checks, a unit's monthly summary and Excel export over 5,000 ledger entries, and the coverage page's query."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connection

from bench.metrics import median, timed

ENTRIES = 5_000
SUBJECTS = 5_000
MARK = "【压测】"


def clear() -> None:
    from chiefservice.models import Assignment, LedgerEntry, LedgerLog, Officer, ServedSubject

    LedgerLog.objects.filter(entry__officer__name__startswith=MARK).delete()
    LedgerEntry.objects.filter(officer__name__startswith=MARK).delete()
    Assignment.objects.filter(officer__name__startswith=MARK).delete()
    ServedSubject.objects.filter(name__startswith=MARK).delete()
    Officer.objects.filter(name__startswith=MARK).delete()


def build():
    from bench.seed import bench_user
    from chiefservice import rules
    from chiefservice.models import Assignment, LedgerEntry, Officer, ServedSubject
    from orgs import gazette as orgs_gazette
    from orgs.models import Organization

    if not Organization.objects.filter(name="宝清县").exists():
        orgs_gazette.load()
    clear()
    user = bench_user("reporter")
    unit = Organization.objects.get(name="宝清县")
    officers = Officer.objects.bulk_create(
        Officer(name=f"{MARK}服务员{i:03d}", unit=unit, role=rules.LIAISON, rank="section", phone="0469-0")
        for i in range(50)
    )
    subjects = ServedSubject.objects.bulk_create(
        (
            ServedSubject(
                name=f"{MARK}企业{i:05d}",
                kind="enterprise",
                credit_code=(body := f"9123052{i:010d}") + rules.credit_code_check_character(body),
                district=unit,
                registered_by=unit,
            )
            for i in range(SUBJECTS)
        ),
        batch_size=1000,
    )
    Assignment.objects.bulk_create(
        (
            Assignment(officer=officers[i % 50], subject=s, mode=rules.ONE_TO_MANY, start_on=date(2026, 1, 1))
            for i, s in enumerate(subjects)
            if i % 4
        ),
        batch_size=1000,
    )
    LedgerEntry.objects.bulk_create(
        (
            LedgerEntry(
                officer=officers[i % 50],
                subject=subjects[i % SUBJECTS],
                received_on=(received := date(2026, 1, 1) + timedelta(days=i % 300)),
                kind="difficulty",
                description=f"{MARK}事项{i}",
                first_receiving_unit=unit,
                due_on=received + timedelta(days=30),
                closed_on=received + timedelta(days=i % 90) if i % 3 else None,
                status="resolved" if i % 3 else "open",
                created_by=user,
            )
            for i in range(ENTRIES)
        ),
        batch_size=1000,
    )
    return unit, user


def measure(record) -> None:
    from chiefservice import rules, selectors
    from chiefservice.exports import MonthLedgerExport

    codes = [(b := f"91230500{i:09d}") + rules.credit_code_check_character(b) for i in range(10_000)]
    ms = median(timed(lambda: [rules.credit_code_errors(c) for c in codes], repeat=3))
    record(
        "chiefservice_credit_code_us_per_check", ms * 1000 / len(codes), "µs", "< 50", ms * 100 < 50 * 1000
    )

    unit, user = build()
    try:
        queries = []

        def count(execute, sql, params, many, context):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            summary = selectors.month_summary(unit=unit, year=2026, month=6)
        record("chiefservice_month_summary_queries", len(queries), "queries", "≤ 4", len(queries) <= 4)
        ms = median(timed(lambda: selectors.month_summary(unit=unit, year=2026, month=6), repeat=5))
        record("chiefservice_month_summary_5000_entries", ms, "ms", "< 200", ms < 200)
        record(
            "chiefservice_month_open_at_end",
            summary["open_at_end"],
            "entries",
            "> 0",
            summary["open_at_end"] > 0,
        )
        ms = median(
            timed(lambda: MonthLedgerExport(unit=unit, year=2026, month=6).workbook_bytes(), repeat=3)
        )
        record("chiefservice_month_export_5000_entries", ms, "ms", "< 5000", ms < 5000)
        ms = median(timed(lambda: selectors.uncovered_subjects(user).count(), repeat=5))
        record("chiefservice_coverage_5000_subjects", ms, "ms", "< 200", ms < 200)
    finally:
        clear()
