"""Benchmark of the awards engine: scoring and allocating a synthetic year of 10,000 projects."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection

from bench.metrics import median, timed

BENCH_YEAR = 2099
PROJECTS = 10_000


def build_year(year: int = BENCH_YEAR, count: int = PROJECTS) -> int:
    """Replace ``year``'s projects and targets with ``count`` synthetic ones (bulk_create); returns the count."""
    from awards.models import Allocation, Category, IndustrialTarget, Project
    from orgs import gazette
    from orgs.models import Organization

    entities = list(Organization.objects.filter(award_group__isnull=False).order_by("pk"))
    if not entities:
        gazette.load()
        entities = list(Organization.objects.filter(award_group__isnull=False).order_by("pk"))
    Allocation.objects.filter(year=year).delete()
    Project.objects.filter(year=year).delete()
    IndustrialTarget.objects.filter(year=year).delete()
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
            )
            for i in range(count)
        ),
        batch_size=1000,
    )
    IndustrialTarget.objects.bulk_create(
        IndustrialTarget(year=year, entity=e, target_count=100 + n, target_amount=Decimal(500000))
        for n, e in enumerate(entities)
    )
    return count


def measure(record) -> None:
    from awards import services

    build_year()
    services.allocation_compute(year=BENCH_YEAR)  # warm-up
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        services.allocation_compute(year=BENCH_YEAR)
    record("awards_allocate_queries", len(queries), "queries", "≤ 25", len(queries) <= 25)
    times = timed(lambda: services.allocation_compute(year=BENCH_YEAR), repeat=5)
    ms = median(times)
    record("awards_allocate_10000_projects", ms, "ms", "< 1000", ms < 1000)
    clear_year()


def clear_year(year: int = BENCH_YEAR) -> None:
    """Leave no synthetic rows behind for the other benchmarks."""
    from awards.models import Allocation, IndustrialTarget, Project

    Allocation.objects.filter(year=year).delete()
    Project.objects.filter(year=year).delete()
    IndustrialTarget.objects.filter(year=year).delete()
