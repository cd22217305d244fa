"""Excel export of the sprouts statistics and the case list (every cell through ``safe_value``)."""

from __future__ import annotations

from collections.abc import Iterator
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

from orgs.excel import append_rows, print_setup

from . import selectors

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
    """``rows()`` per sheet from the selectors; ``to_bytes()`` applies the layout (title, 合计, A4 landscape)."""

    def __init__(self, cases):
        self.cases = cases

    def case_rows(self) -> Iterator[list]:
        yield CASE_HEADER
        qs = self.cases.select_related("district", "lead_office").order_by("found_on", "id")
        for case in qs.iterator():
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

    def stat_rows(self) -> Iterator[tuple[str, list[list]]]:
        for title, rows in selectors.statistics(self.cases).items():
            yield (
                title,
                [[title, "案件数"], *[[label, n] for label, n in rows], ["合计", sum(n for _, n in rows)]],
            )

    def to_bytes(self) -> bytes:
        workbook = Workbook()
        summary = workbook.active
        summary.title = "统计"
        summary.append(["豆芽质量安全案件统计"])
        summary["A1"].font = Font(bold=True, size=14)
        for _title, rows in self.stat_rows():
            summary.append([])
            append_rows(summary, rows)
        summary.column_dimensions["A"].width = 28
        print_setup(summary, header_rows="1:1")
        sheet = workbook.create_sheet("案件清单")
        append_rows(sheet, self.case_rows())
        for column in "ABCDEFGHIJKL":
            sheet.column_dimensions[column].width = 16
        print_setup(sheet)
        buffer = BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
