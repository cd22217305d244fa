"""Excel export of the sprouts statistics and case list, built by a Celery worker (orgs.exporting).

``StatisticsExport`` yields the rows from the selectors; ``build`` applies the layout (title row, 合计,
A4 landscape, header repeated) and streams every cell through ``safe_value``.
"""

from __future__ import annotations

from collections.abc import Iterator

from orgs import exporting, xlsx
from orgs.access import visible

from . import selectors
from .models import Case

TITLE = "豆芽质量安全案件统计"
CASE_HEADER = [
    "案件编号",
    "发现日期",
    "县（区）",
    "环节",
    "发现来源",
    "经营者名称",
    "经营地址",
    "涉嫌犯罪",
    "牵头部门",
    "承办单位",
    "状态",
    "办理结果",
]
CHOICE_FIELDS = ("stage", "source", "lead_sector", "status", "outcome")
CASE_WIDTHS = (14, 11, 10, 8, 10, 24, 30, 8, 10, 20, 8, 10)


class StatisticsExport:
    def __init__(self, cases):
        self.cases = cases

    def case_rows(self) -> Iterator[list]:
        """One row per case, read as plain values in chunks (no model instances)."""
        yield CASE_HEADER
        labels = {field: dict(Case._meta.get_field(field).choices) for field in CHOICE_FIELDS}
        values = self.cases.order_by("found_on", "id").values_list(
            "number",
            "found_on",
            "district__name",
            "stage",
            "source",
            "business_name",
            "business_address",
            "criminal_suspected",
            "lead_sector",
            "lead_office__name",
            "status",
            "outcome",
        )
        for row in values.iterator(chunk_size=2000):
            (
                number,
                found,
                district,
                stage,
                source,
                name,
                address,
                criminal,
                sector,
                office,
                status,
                outcome,
            ) = row
            yield [
                number,
                found.isoformat(),
                district,
                labels["stage"].get(stage, stage),
                labels["source"].get(source, source),
                name,
                address,
                "是" if criminal else "否",
                labels["lead_sector"].get(sector, sector),
                office,
                labels["status"].get(status, status),
                labels["outcome"].get(outcome, outcome),
            ]

    def stat_rows(self) -> Iterator[list]:
        yield [TITLE, ""]
        for title, rows in selectors.statistics(self.cases).items():
            yield []
            yield [f"按{title}", "案件数"]
            yield from ([label, n] for label, n in rows)
            yield ["合计", sum(n for _, n in rows)]

    def build(self, path, progress) -> int:
        # Ten years of cases are hundreds of thousands of rows: streamed, see orgs.xlsx.
        summary = xlsx.Sheet(
            "统计", self.stat_rows(), widths=(28, 10), landscape=False, counts_progress=False
        )
        cases = xlsx.Sheet("案件清单", self.case_rows(), widths=CASE_WIDTHS)
        return xlsx.write_workbook(path, [summary, cases], progress)


def _count(params, user) -> int:
    return visible(user, Case).count() + 1


def _build(params, user, path, progress) -> None:
    StatisticsExport(visible(user, Case)).build(path, progress)


CASES = exporting.register("sprouts.cases", title=lambda params: TITLE, build=_build, count=_count)
