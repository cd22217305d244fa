"""Benchmark of the awards engine over a synthetic year of 10,000 projects (year 2099, marked 【压测】):
allocating it, exporting the allocation, and a 10,000-row Excel import (rolled back, so it can be repeated),
read by calamine (the platform's reader) and, for comparison in the same run, by openpyxl."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction

from bench.metrics import median, peak_memory_mb, timed

BENCH_YEAR = 2099
# a past year: its rows declare 开复工 and 完成投资, which the entry rules refuse for a year still to come
IMPORT_YEAR = 2001
PROJECTS = 10_000
IMPORT_ROWS = 10_000


def build_year(year: int = BENCH_YEAR, count: int = PROJECTS) -> int:
    """``count`` synthetic projects and the targets of ``year`` (bulk_create, kept between runs)."""
    from awards.models import Category, IndustrialTarget, Project, Verification
    from orgs.models import Organization

    verified = Project.objects.filter(year=year, verification=Verification.VERIFIED, in_statistics=True)
    if verified.count() == count:
        return count
    entities = list(Organization.objects.filter(award_group__isnull=False).order_by("pk"))
    clear_year(year)
    categories = [Category.PROV, Category.CITY, Category.IND]
    Project.objects.bulk_create(
        (
            Project(
                year=year,
                name=f"【压测】项目{i:05d}",
                category=categories[i % 3],
                entity=entities[i % len(entities)],
                single=i % 11 == 0,
                planned_investment=Decimal(1000 + (i * 37) % 90000),
                actual_investment=Decimal((i * 53) % 60000) if i % 4 else Decimal(0),
                started=i % 4 != 0,
                completed=i % 4 != 0 and i % 9 == 0,
                total_investment=Decimal(5000 + i) if i % 3 == 2 else None,
                # verified, its 入统 figure the declared one (only verified facts are computed)
                verification=Verification.VERIFIED,
                in_statistics=True,
                statistics_investment=Decimal((i * 53) % 60000) if i % 4 else Decimal(0),
            )
            for i in range(count)
        ),
        batch_size=2000,
    )
    IndustrialTarget.objects.bulk_create(
        IndustrialTarget(year=year, entity=e, target_count=100 + n, target_amount=Decimal(500000))
        for n, e in enumerate(entities)
    )
    return count


def clear_year(year: int = BENCH_YEAR) -> None:
    from awards.models import Allocation, AllocationLog, IndustrialTarget, Project

    AllocationLog.objects.filter(allocation__year=year).delete()  # the synthetic year's own log only
    Allocation.objects.filter(year=year).delete()
    Project.objects.filter(year=year).delete()
    IndustrialTarget.objects.filter(year=year).delete()


def import_workbook_bytes(rows: int = IMPORT_ROWS) -> bytes:
    from openpyxl import Workbook

    from awards import imports
    from orgs.models import Organization

    entities = list(Organization.objects.filter(award_group__isnull=False).order_by("pk"))
    labels = ["省级百大项目", "市级百大项目", "产业项目"]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(imports.PROJECT_SHEET)
    ws.append([*imports.PROJECT_HEADERS, imports.TOTAL_INVESTMENT])
    for i in range(rows):
        started = i % 4 != 0
        ws.append(
            [
                f"【压测】导入项目{i:05d}",
                labels[i % 3],
                entities[i % len(entities)].name,
                "是" if i % 11 == 0 else "否",
                1000 + (i * 37) % 90000,
                (i * 53) % 60000 if started else 0,
                "是" if started else "否",
                "是" if started and i % 9 == 0 else "否",
                5000 + i if i % 3 == 2 else None,
            ]
        )
    ws = wb.create_sheet(imports.TARGET_SHEET)
    ws.append(imports.TARGET_HEADERS)
    for n, entity in enumerate(entities):
        ws.append([entity.name, 100 + n, 500000])
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _rolled_back(fn):
    """Run ``fn`` inside a transaction that is always rolled back; returns its result."""
    with transaction.atomic():
        result = fn()
        transaction.set_rollback(True)
    return result


def measure(record) -> None:
    from awards import exports, imports, services
    from bench.seed import bench_user
    from orgs import excel

    build_year()
    services.allocation_compute(year=BENCH_YEAR)  # warm-up
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        services.allocation_compute(year=BENCH_YEAR)
    record("awards_allocate_queries", len(queries), "queries", "≤ 25", len(queries) <= 25)
    ms = median(timed(lambda: services.allocation_compute(year=BENCH_YEAR), repeat=5))
    record("awards_allocate_10000_projects", ms, "ms", "< 1000", ms < 1000)

    allocation = services.allocation_compute(year=BENCH_YEAR)
    ms = median(timed(lambda: exports.export_allocation(allocation), repeat=3))
    record("awards_export_10000_projects", ms, "ms", "< 3000", ms < 3000)

    content = import_workbook_bytes()
    clerk = bench_user("fgw_clerk")  # 发改委经办 corrects any unit's projects

    def run_import():
        upload = SimpleUploadedFile("projects.xlsx", content)
        return _rolled_back(lambda: imports.import_workbook(upload, year=IMPORT_YEAR, by=clerk))

    def read():
        return imports.parse(SimpleUploadedFile("projects.xlsx", content), year=IMPORT_YEAR)

    # The same workbook read by each reader in this run: calamine (the platform's, orgs.excel) against
    # openpyxl. "read" is opening, the zip checks and every row checked (imports.parse); the import adds the
    # model's checks of every row and the write of the 10,000 rows and their history. Each costs seconds: one
    # timed run each, untraced, but the platform's whole import (the gated figure) is the median of three, as
    # the allocation and the export are.
    read()  # warm-up (imports, the organization directory)
    for reader, suffix in ((excel.OPENPYXL, "_openpyxl"), (excel.CALAMINE, "")):
        with excel.workbook_reader(reader):
            ms = timed(read)[0]
            target, ok = ("< 2000", ms < 2000) if reader == excel.CALAMINE else ("(reference)", True)
            record(f"awards_import_10000_rows_read{suffix}", ms, "ms", target, ok)
            if reader == excel.CALAMINE:
                ms = median(timed(run_import, repeat=3))
                target, ok = "< 2000", ms < 2000
            else:
                ms, target, ok = timed(run_import)[0], "(reference)", True
            record(f"awards_import_10000_rows{suffix}", ms, "ms", target, ok)
    # The peak memory under tracemalloc, which slows Python code two to three times and so must not be in
    # the timed runs.
    peak, counts = peak_memory_mb(run_import)
    record("awards_import_10000_rows_peak_memory", peak, "MB", "< 300", peak < 300)
    added = counts.get("add", 0) if isinstance(counts, dict) else 0
    record("awards_import_10000_rows_added", added, "rows", f">= {IMPORT_ROWS}", added >= IMPORT_ROWS)
