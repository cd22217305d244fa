"""Benchmark of the sprouts app: routing every combination of facts, statistics and the Excel export
over 5,000 synthetic cases (marked 【压测】 and removed afterwards)."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from itertools import product
from pathlib import Path

from django.db import connection

from bench.metrics import median, timed

CASES = 5_000
MARK = "【压测】"


def _ensure_reference_data() -> None:
    from orgs import gazette as orgs_gazette
    from sprouts import gazette
    from sprouts.models import RoutingRule

    if not RoutingRule.objects.exists():
        orgs_gazette.load()
        gazette.load()


def build_cases(count: int = CASES) -> int:
    from bench.seed import bench_user
    from orgs.models import Organization, OrganizationKind
    from sprouts.choices import Source, Stage, Status
    from sprouts.models import Case

    _ensure_reference_data()
    clear_cases()
    user = bench_user("market")
    counties = list(Organization.objects.filter(kind=OrganizationKind.COUNTY).order_by("pk"))
    offices = {o.district_id: o for o in Organization.objects.filter(sector="market", district__isnull=False)}
    stages, sources = list(Stage.values), list(Source.values)
    Case.objects.bulk_create(
        (
            Case(
                number=f"BENCH{i:07d}",
                source=sources[i % len(sources)],
                stage=stages[i % len(stages)],
                district=counties[i % len(counties)],
                business_name=f"{MARK}豆芽经营者{i:05d}",
                found_on=date(2026, 1, 1) + timedelta(days=i % 300),
                reported_by_office=offices[counties[i % len(counties)].pk],
                reported_by=user,
                lead_sector="market",
                lead_office=offices[counties[i % len(counties)].pk],
                status=Status.CLOSED if i % 3 == 0 else Status.HANDLING,
                outcome="penalized" if i % 3 == 0 else "",
            )
            for i in range(count)
        ),
        batch_size=1000,
    )
    return count


def clear_cases() -> None:
    from sprouts.models import Case

    Case.objects.filter(business_name__startswith=MARK).delete()


def measure(record) -> None:
    from sprouts import rules, selectors
    from sprouts.choices import Source, Stage
    from sprouts.exports import StatisticsExport
    from sprouts.models import Case

    _ensure_reference_data()
    rule_list, offices = selectors.current_rules(), selectors.office_directory()
    counties = sorted({district for district, _ in offices if district})
    facts = [
        rules.Facts(stage=s, source=src, district=d, on=date(2026, 3, 2), criminal=c)
        for s, src, d, c in product(Stage.values, Source.values, counties, (False, True))
    ]
    ms = median(timed(lambda: [rules.route(rule_list, f, offices) for f in facts], repeat=5))
    per_decision = ms / len(facts)
    record("sprouts_route_ms_per_decision", per_decision, "ms", "< 1", per_decision < 1)

    build_cases()
    cases = Case.objects.filter(business_name__startswith=MARK)
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        selectors.statistics(cases)
    record("sprouts_statistics_queries", len(queries), "queries", "≤ 8", len(queries) <= 8)
    ms = median(timed(lambda: selectors.statistics(cases), repeat=5))
    record("sprouts_statistics_5000_cases", ms, "ms", "< 500", ms < 500)

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sprouts.xlsx"
        ms = median(timed(lambda: StatisticsExport(cases).build(path, lambda n: None), repeat=3))
    record("sprouts_export_5000_cases", ms, "ms", "< 5000", ms < 5000)
    clear_cases()
