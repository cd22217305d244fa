"""Benchmark of the investment app over synthetic rows (marked 【压测】, removed afterwards): a year's
indicators and scores for every county over 20,000 projects, and parsing a 2,000-row project upload."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import BytesIO

from django.db import connection

from bench.metrics import median, timed

BENCH_YEAR = 2099
# The workbook parsed is of a past year: a signing date still to come is refused (nothing before its cause).
PARSE_YEAR = 2001
PROJECTS = 20_000
UPLOAD_ROWS = 2_000


def build_year(year: int = BENCH_YEAR, count: int = PROJECTS) -> None:
    from investment import gazette
    from investment.models import CountyTarget, Project, TargetSet, TargetStatus

    clear_year(year)
    gazette.load()
    source = TargetSet.objects.get(year=gazette.YEAR, version=1)
    target_set = TargetSet.objects.create(
        year=year,
        version=1,
        status=TargetStatus.ISSUED,
        document_number="【压测】",
        issued_on=date(year, 1, 1),
    )
    rows = list(source.county_targets.all())
    for row in rows:
        row.pk, row.target_set = None, target_set
    CountyTarget.objects.bulk_create(rows)
    units = [r.organization for r in rows]
    Project.objects.bulk_create(
        (
            Project(
                organization=units[i % len(units)],
                year=year,
                name=f"【压测】项目{i:05d}",
                investor="【压测】投资方",
                source="foreign" if i % 5 == 0 else "domestic",
                signed_on=date(year, 1 + i % 12, 1),
                contract_wan=Decimal(1000 + (i * 37) % 90000),
                is_leading=i % 3 != 0,
                started_on=date(year, 1 + i % 12, 2) if i % 2 else None,
                received_foreign_musd=Decimal((i * 7) % 700) if i % 5 == 0 else Decimal(0),
                received_domestic_wan=Decimal((i * 53) % 40000),
            )
            for i in range(count)
        ),
        batch_size=1000,
    )


def upload_bytes(rows: int = UPLOAD_ROWS) -> bytes:
    from openpyxl import Workbook

    from investment import imports

    wb = Workbook()
    ws = wb.active
    ws.title = imports.SHEET
    ws.append(imports.HEADERS)
    for i in range(rows):
        ws.append(
            [f"【压测】项目{i}", "投资方", "内资", f"{PARSE_YEAR}-03-01", 1000, "食品", "是", None, 0, 500]
        )
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def measure(record) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from investment import imports, rules, selectors

    build_year()
    target_set = selectors.current_targets(BENCH_YEAR)

    def all_scores():
        table = selectors.weights(BENCH_YEAR)
        for row in selectors.county_rows(target_set):
            _, items = selectors.unit_indicators(row.organization, BENCH_YEAR)
            rules.score(items, table)

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        all_scores()
    record("investment_scores_queries", len(queries), "queries", "≤ 120", len(queries) <= 120)
    ms = median(timed(all_scores, repeat=3))
    record("investment_scores_20000_projects", ms, "ms", "< 3000", ms < 3000)

    content = upload_bytes()
    ms = median(
        timed(lambda: imports.parse(SimpleUploadedFile("p.xlsx", content), year=PARSE_YEAR), repeat=3)
    )
    record("investment_parse_2000_rows", ms, "ms", "< 5000", ms < 5000)
    clear_year()


def clear_year(year: int = BENCH_YEAR) -> None:
    """Leave no synthetic rows behind for the other benchmarks."""
    from investment.models import Project, TargetSet

    Project.objects.filter(year=year).delete()
    for target_set in TargetSet.objects.filter(year=year):
        target_set.county_targets.all().delete()
        target_set.municipal_lines.all().delete()
        target_set.delete()
