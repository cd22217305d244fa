"""Benchmark of the sprouts app: routing every combination of facts, statistics and the Excel export
over the seeded 【压测】 cases of the last seeded year."""

from __future__ import annotations

import tempfile
from datetime import date
from itertools import product
from pathlib import Path

from django.db import connection

from bench.metrics import median, timed
from bench.seed import LAST_YEAR

MARK = "【压测】"


def _ensure_reference_data() -> None:
    from orgs import gazette as orgs_gazette
    from sprouts import gazette
    from sprouts.models import RoutingRule

    if not RoutingRule.objects.exists():
        orgs_gazette.load()
        gazette.load()


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

    # The seeded 【压测】 cases of the last seeded year (2,000 at S, 20,000 at L); nothing is created or deleted.
    cases = Case.objects.filter(business_name__startswith=MARK, found_on__year=LAST_YEAR)
    total = cases.count()
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        selectors.statistics(cases)
    record("sprouts_statistics_queries", len(queries), "queries", "≤ 8", len(queries) <= 8)
    ms = median(timed(lambda: selectors.statistics(cases), repeat=5))
    record(f"sprouts_statistics_{total}_cases", ms, "ms", "< 500", ms < 500)

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sprouts.xlsx"
        ms = median(timed(lambda: StatisticsExport(cases).build(path, lambda n: None), repeat=3))
    record(f"sprouts_export_{total}_cases", ms, "ms", "< 5000", ms < 5000)
