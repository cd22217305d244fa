"""Excel exports in the gazette's layout: 表（一）/表（二） of 双政办发〔2020〕16号, and the 通报 ranking.

``rows()`` yields a header then data; ``layout`` applies the official form (title, 合计, A4 landscape).
Every cell goes through ``orgs.excel.safe_value``.
"""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from orgs.excel import print_setup, safe_value

from . import selectors
from .models import Publication, TargetSet

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)

TABLE_ONE_HEADER = [
    "序号",
    "县（区）",
    "外资（万美元）",
    "内资（亿元）",
    "力争当年签约额（亿元）",
    "力争当年新开工项目（个）",
    "新引进主导产业占比（%）",
]
TABLE_TWO_HEADER = ["序号", "单位", "招商引资项目规模及数量"]
RESULT_HEADER = ["类别", "名次", "单位", "综合得分", "逾期申报", "弄虚作假"]
COUNTY_DISPLAY_NAMES = {"市经开区管委会": "经开区管委会"}  # 表（一） prints the short name


def number(value):
    """Whole numbers print as the gazette prints them (210, not 210.00)."""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value


class TargetTablesExport:
    def __init__(self, target_set: TargetSet):
        self.target_set = target_set

    def table_one_rows(self):
        rows = selectors.county_rows(self.target_set)
        totals = selectors.county_totals(rows)
        yield TABLE_ONE_HEADER
        yield [
            "",
            "合计",
            number(totals["foreign_musd"]),
            number(totals["domestic_yi"]),
            number(totals["signing_yi"]),
            totals["new_projects"],
            number(totals["leading_share_pct"]) if totals["leading_share_pct"] is not None else "",
        ]
        for index, row in enumerate(rows, start=1):
            yield [
                index,
                COUNTY_DISPLAY_NAMES.get(row.organization.name, row.organization.name),
                number(row.foreign_musd),
                number(row.domestic_yi),
                number(row.signing_yi),
                row.new_projects,
                number(row.leading_share_pct),
            ]

    def table_two_rows(self):
        yield TABLE_TWO_HEADER
        for index, (organization, lines) in enumerate(selectors.municipal_units(self.target_set), start=1):
            yield [index, organization.name, "、".join(line.label for line in lines)]

    def _sheet(self, wb, title: str, heading: str, rows) -> None:
        ws = wb.create_sheet(title)
        rows = list(rows)
        width = len(rows[0])
        ws.append([safe_value(heading)])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        ws.cell(1, 1).font = Font(bold=True, size=14)
        ws.cell(1, 1).alignment = CENTER
        for row in rows:
            ws.append([safe_value(v) for v in row])
        for line in ws.iter_rows(min_row=2, max_row=ws.max_row, max_col=width):
            for cell in line:
                cell.border, cell.alignment = BOX, CENTER
        for cell in ws[2]:
            cell.font = Font(bold=True)
        for col, size in zip("ABCDEFG", [6, 26, 14, 14, 16, 16, 16], strict=False):
            ws.column_dimensions[col].width = size
        if width == 3:
            ws.column_dimensions["C"].width = 40
        print_setup(ws, header_rows="1:2")

    def workbook(self) -> Workbook:
        wb = Workbook()
        wb.remove(wb.active)
        year = self.target_set.year
        self._sheet(
            wb, "表（一）", f"双鸭山市{year}年度招商引资工作目标任务分解表（一）", self.table_one_rows()
        )
        self._sheet(
            wb, "表（二）", f"双鸭山市{year}年度招商引资工作目标任务分解表（二）", self.table_two_rows()
        )
        return wb

    def content(self) -> bytes:
        buffer = BytesIO()
        self.workbook().save(buffer)
        return buffer.getvalue()


class ResultsExport:
    def __init__(self, publication: Publication):
        self.publication = publication

    def rows(self):
        yield RESULT_HEADER
        for row in self.publication.rows.select_related("organization").order_by("group", "rank", "pk"):
            yield [
                row.group,
                row.rank,
                row.organization.name,
                row.score,
                "是" if row.is_late else "",
                "是" if row.falsified else "",
            ]

    def content(self) -> bytes:
        wb = Workbook()
        ws = wb.active
        ws.title = "考核结果"
        ws.append([safe_value(f"双鸭山市{self.publication.year}年度招商引资目标责任考核结果通报")])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(RESULT_HEADER))
        ws.cell(1, 1).font = Font(bold=True, size=14)
        for row in self.rows():
            ws.append([safe_value(v) for v in row])
        ws.column_dimensions["C"].width = 28
        print_setup(ws, header_rows="1:2")
        buffer = BytesIO()
        wb.save(buffer)
        return buffer.getvalue()
