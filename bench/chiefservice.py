"""Benchmark of the chiefservice app over the seeded 【压测】 ledger (``bench_seed``): credit-code checks, a
unit's monthly summary and month export, the coverage query, the streamed full-year export (rows/s and peak
memory), and our year export against django-import-export's xlsx export of the same rows."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.db import connection

from bench.metrics import median, peak_memory_mb, timed
from bench.seed import LAST_YEAR, MARK

MONTH = 6
COMPARE_ROWS = 5_000


def _count_queries(fn) -> int:
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        fn()
    return len(queries)


def _bench_unit():
    from chiefservice.models import Officer

    return Officer.objects.filter(name__startswith=MARK).select_related("unit").order_by("pk").first().unit


def ledger_resource():
    """django-import-export's resource over the same columns as our year export."""
    from import_export import resources

    from chiefservice.exports import YEAR_FIELDS
    from chiefservice.models import LedgerEntry

    class LedgerResource(resources.ModelResource):
        class Meta:
            model = LedgerEntry
            fields = YEAR_FIELDS[1:]

    return LedgerResource()


def measure(record) -> None:
    from bench.seed import bench_user
    from chiefservice import exports, rules, selectors
    from chiefservice.models import LedgerEntry

    codes = [(b := f"91230500{i:09d}") + rules.credit_code_check_character(b) for i in range(10_000)]
    ms = median(timed(lambda: [rules.credit_code_errors(c) for c in codes], repeat=3))
    record(
        "chiefservice_credit_code_us_per_check", ms * 1000 / len(codes), "µs", "< 50", ms * 100 < 50 * 1000
    )

    unit, leader = _bench_unit(), bench_user("leader")
    n = _count_queries(lambda: selectors.month_summary(unit=unit, year=LAST_YEAR, month=MONTH))
    record("chiefservice_month_summary_queries", n, "queries", "≤ 1", n <= 1)
    ms = median(timed(lambda: selectors.month_summary(unit=unit, year=LAST_YEAR, month=MONTH), repeat=5))
    record("chiefservice_month_summary", ms, "ms", "< 200", ms < 200)

    month = exports.MonthLedgerExport(unit=unit, year=LAST_YEAR, month=MONTH)
    rows = selectors.month_entries(unit=unit, year=LAST_YEAR, month=MONTH).count()
    ms = median(timed(month.workbook_bytes, repeat=3))
    record(f"chiefservice_month_export_{rows}_rows", ms, "ms", "< 3000", ms < 3000)
    ms = median(timed(lambda: selectors.uncovered_subjects(leader).exists(), repeat=5))
    record("chiefservice_coverage_query", ms, "ms", "< 200", ms < 200)

    year_count = exports.year_entries(leader, LAST_YEAR).count()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "year.xlsx"
        seconds = (
            timed(lambda: exports.build_year({"year": LAST_YEAR}, leader, path, lambda n: None))[0] / 1000
        )
        rate = year_count / seconds if seconds else 0
        record(f"chiefservice_year_export_{year_count}_rows", seconds * 1000, "ms", "", True)
        record("chiefservice_year_export_rows_per_s", rate, "rows/s", "> 20000", rate > 20_000)
        peak, _ = peak_memory_mb(
            lambda: exports.build_year({"year": LAST_YEAR}, leader, path, lambda n: None)
        )
        record("chiefservice_year_export_peak_memory", peak, "MB", "< 300", peak < 300)

        # Side by side: the same rows (the year's first COMPARE_ROWS entries), the same machine.
        year = LedgerEntry.objects.filter(received_on__year=LAST_YEAR).order_by("received_on", "id")
        ids = list(year.values_list("pk", flat=True)[:COMPARE_ROWS])
        same = LedgerEntry.objects.filter(pk__in=ids)
        ours = median(
            timed(
                lambda: exports.write_ledger(path, "台账", exports.ledger_rows(same), lambda n: None),
            )
        )
        resource = ledger_resource()
        theirs = median(
            timed(lambda: resource.export(queryset=same.order_by("received_on", "id")).export("xlsx"))
        )
        ratio = ours / theirs if theirs else 0
        record(f"chiefservice_export_{len(ids)}_rows_ours", ours, "ms", "", True)
        record(f"chiefservice_export_{len(ids)}_rows_import_export", theirs, "ms", "", True)
        record("chiefservice_export_vs_import_export", ratio, "ratio", "<= 0.5", ratio <= 0.5)
