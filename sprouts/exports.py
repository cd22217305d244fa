"""Excel export of the sprouts statistics and case list, built by a Celery worker (orgs.exporting).

``StatisticsExport`` yields the rows from the selectors; ``build`` applies the layout (title row, 合计,
A4 landscape, header repeated) and streams every cell through ``safe_value``.
"""

from __future__ import annotations

from collections.abc import Iterator

from openpyxl import Workbook

from orgs import exporting
from orgs.access import visible
from orgs.excel import print_setup

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


class StatisticsExport:
    def __init__(self, cases):
        self.cases = cases

    def case_rows(self) -> Iterator[list]:
        yield CASE_HEADER
        qs = self.cases.select_related("district", "lead_office").order_by("found_on", "id")
        for case in qs.iterator(chunk_size=2000):
            yield [
                case.number,
                case.found_on.isoformat(),
                case.district.name,
                case.get_stage_display(),
                case.get_source_display(),
                case.business_name,
                case.business_address,
                "是" if case.criminal_suspected else "否",
                case.get_lead_sector_display(),
                case.lead_office.name,
                case.get_status_display(),
                case.get_outcome_display() if case.outcome else "",
            ]

    def stat_rows(self) -> Iterator[list]:
        yield [TITLE, ""]
        for title, rows in selectors.statistics(self.cases).items():
            yield []
            yield [f"按{title}", "案件数"]
            yield from ([label, n] for label, n in rows)
            yield ["合计", sum(n for _, n in rows)]

    def build(self, path, progress) -> None:
        workbook = Workbook(write_only=True)
        summary = workbook.create_sheet("统计")
        print_setup(summary, landscape=False)
        summary.column_dimensions["A"].width = 28
        exporting.stream_rows(summary, self.stat_rows(), lambda n: None)
        cases = workbook.create_sheet("案件清单")
        print_setup(cases)
        for column in "ABCDEFGHIJKL":
            cases.column_dimensions[column].width = 16
        exporting.stream_rows(cases, self.case_rows(), progress)
        workbook.save(path)


def _count(params, user) -> int:
    return visible(user, Case).count() + 1


def _build(params, user, path, progress) -> None:
    StatisticsExport(visible(user, Case)).build(path, progress)


CASES = exporting.register("sprouts.cases", title=lambda params: TITLE, build=_build, count=_count)
