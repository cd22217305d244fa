"""Excel export of a unit's month of ledger (第二十一条), in the official layout."""

from __future__ import annotations

from collections.abc import Iterator
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from orgs.excel import append_rows, print_setup, safe_value
from orgs.models import Organization

from . import rules, selectors

HEADER = [
    "序号",
    "受理日期",
    "服务员",
    "职责",
    "服务对象",
    "类别",
    "内容",
    "首受单位",
    "转办/协办单位",
    "状态",
    "办理期限",
    "办理结果",
    "销号日期",
    "企业满意度",
    "本月情况",
]


class MonthLedgerExport:
    """``rows()`` yields the header then one row per entry; ``workbook_bytes()`` lays it out for print."""

    def __init__(self, *, unit: Organization, year: int, month: int):
        self.unit, self.year, self.month = unit, year, month

    def rows(self) -> Iterator[list]:
        yield HEADER
        entries = selectors.month_entries(unit=self.unit, year=self.year, month=self.month)
        for number, e in enumerate(entries, start=1):
            position = rules.month_position(
                received_on=e.received_on, closed_on=e.closed_on, year=self.year, month=self.month
            )
            situation = "上月结转" if position.carried_over else "本月新增"
            situation += "，本月销号" if position.closed_in_month else "，结转下月"
            yield [
                number,
                e.received_on.isoformat(),
                e.officer.name,
                e.officer.get_role_display(),
                e.subject.name,
                e.get_kind_display(),
                e.description,
                e.first_receiving_unit.name,
                "、".join(u.name for u in e.co_units.all()),
                e.get_status_display() if position.open_at_end or e.closed_on is None else "已销号",
                e.due_on.isoformat(),
                e.resolution if position.closed_in_month else "",
                e.closed_on.isoformat() if position.closed_in_month else "",
                e.get_satisfaction_display() if position.closed_in_month else "",
                situation,
            ]

    def workbook_bytes(self) -> bytes:
        wb = Workbook()
        ws = wb.active
        ws.title = f"{self.year}年{self.month}月"
        ws.append([safe_value(f"{self.unit.name} {self.year}年{self.month}月首席服务员工作台账")])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
        ws["A1"].font = Font(bold=True, size=14)
        ws["A1"].alignment = Alignment(horizontal="center")
        rows = list(self.rows())
        append_rows(ws, rows)
        for cell in ws[2]:
            cell.font = Font(bold=True)
        summary = selectors.month_summary(unit=self.unit, year=self.year, month=self.month)
        append_rows(
            ws,
            [
                [
                    "合计",
                    f"上月结转 {summary['carried_over']} 件，本月新增 {summary['new']} 件，"
                    f"本月销号 {summary['closed']} 件，月末未销号 {summary['open_at_end']} 件",
                ]
            ],
        )
        for column, width in zip(
            "ABCDEFGHIJKLMNO", (6, 12, 10, 10, 24, 10, 40, 18, 24, 10, 12, 30, 12, 10, 16), strict=True
        ):
            ws.column_dimensions[column].width = width
        print_setup(ws, header_rows="1:2")
        buffer = BytesIO()
        wb.save(buffer)
        return buffer.getvalue()
