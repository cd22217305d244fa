"""Collects benchmark metrics and writes ``bench/results.json`` plus a printed table."""

from __future__ import annotations

import json
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass
class Metric:
    value: float
    unit: str
    target: str
    ok: bool


class Results:
    def __init__(self, scale: str, database: str):
        self.scale, self.database = scale, database
        self.metrics: dict[str, Metric] = {}

    def record(self, name: str, value: float, unit: str, target: str, ok: bool) -> None:
        self.metrics[name] = Metric(round(float(value), 4), unit, target, bool(ok))

    def as_dict(self) -> dict:
        return {
            "scale": self.scale,
            "database": self.database,
            "metrics": {name: asdict(m) for name, m in self.metrics.items()},
        }

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(self.as_dict(), ensure_ascii=False, indent=1), encoding="utf-8")

    def table(self) -> str:
        width = max((len(n) for n in self.metrics), default=10)
        lines = [f"{'metric':<{width}}  {'value':>12}  {'unit':<8}  {'target':<12}  ok"]
        for name, m in self.metrics.items():
            lines.append(
                f"{name:<{width}}  {m.value:>12}  {m.unit:<8}  {m.target:<12}  {'✓' if m.ok else '✗'}"
            )
        failed = sum(not m.ok for m in self.metrics.values())
        lines.append(f"{len(self.metrics) - failed} passed, {failed} failed")
        return "\n".join(lines)


def timed(fn: Callable, repeat: int = 1) -> list[float]:
    """Wall times in milliseconds of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def median(values: list[float]) -> float:
    return statistics.median(values)


def peak_memory_mb(fn: Callable) -> tuple[float, object]:
    """Peak Python heap (MB) while ``fn`` runs, and its result."""
    tracemalloc.start()
    try:
        result = fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / (1024 * 1024), result
