"""The year's allocation table in the layout of 双政办发〔2020〕15号 附件, plus detail sheets.

``AllocationExport.rows()`` yields the table rows (title, header, 合计, 第一组 …); ``write()`` lays them out
in a write-only workbook with A4 landscape print setup. Every cell goes through ``orgs.excel.safe_value``.
"""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

from orgs.excel import print_setup, safe_value

from .models import Allocation, Disqualification, Project

TABLE_SHEET = "奖励资金分配表"
DETAIL_SHEET = "评分明细"
PROJECT_SHEET = "项目清单"
ADJUST_SHEET = "调整说明"
TITLE = "{year}年全市百大项目建设奖励资金分配表"


def table_header(year: int) -> list[str]:
    return [
        "序号",
        "县区/单位",
        f"{year}年项目建设考核得分",
        "折算后得分",
        f"{year}年百大项目建设奖励金额（万元）",
    ]


class AllocationExport:
    def __init__(self, allocation: Allocation):
        self.allocation = allocation
        self.lines = list(allocation.lines.select_related("entity"))

    def group_lines(self, group: int):
        lines = [line for line in self.lines if line.group == group]
        if group == 1:
            return sorted(lines, key=lambda x: (x.directory_order, x.entity.name))
        return sorted(
            lines,
            key=lambda x: (
                x.rank is None,
                x.rank or 0,
                -x.converted_score,
                -x.raw_score,
                x.directory_order,
                x.entity.name,
            ),
        )

    def rows(self):
        year = self.allocation.year
        yield [TITLE.format(year=year)]
        yield table_header(year)
        groups = {g: self.group_lines(g) for g in (1, 2)}

        def sums(lines):
            return (
                sum((x.raw_score for x in lines), start=0),
                sum(x.converted_score for x in lines),
                sum(x.final_amount for x in lines),
            )

        everything = groups[1] + groups[2]
        yield [None, "合计", *sums(everything)]
        for number, label in ((1, "第一组"), (2, "第二组")):
            yield [None, label, *sums(groups[number])]
            for index, line in enumerate(groups[number], start=1):
                yield [index, line.entity.name, line.raw_score, line.converted_score, line.final_amount]

    def detail_rows(self):
        yield ["责任主体", "分组", "类别", "指标", "得分", "计算过程"]
        for group in (1, 2):
            for line in self.group_lines(group):
                details = line.details or {}
                for _code, category in line.category_details():
                    for item in category["indicators"]:
                        yield [
                            line.entity.name,
                            line.get_group_display(),
                            category["label"],
                            item["label"],
                            float_free(item["value"]),
                            item["derivation"],
                        ]
                for item in details.get("bonuses", []):
                    yield [
                        line.entity.name,
                        line.get_group_display(),
                        "加分项",
                        item["label"],
                        float_free(item["value"]),
                        item["derivation"],
                    ]
                yield [
                    line.entity.name,
                    line.get_group_display(),
                    "折算",
                    "折算后得分",
                    line.converted_score,
                    details.get("conversion", ""),
                ]

    def project_rows(self):
        yield [
            "项目名称",
            "项目类别",
            "责任主体",
            "是否单体",
            "年度计划投资（万元）",
            "年度完成投资（万元）",
            "是否开复工",
            "是否竣工",
        ]
        yes = {True: "是", False: "否"}
        projects = (
            Project.objects.filter(year=self.allocation.year)
            .select_related("entity")
            .order_by("entity__award_group", "entity__directory_order", "category", "name")
        )
        for p in projects.iterator(chunk_size=2000):
            yield [
                p.name,
                p.get_category_display(),
                p.entity.name,
                yes[p.single],
                p.planned_investment,
                p.actual_investment,
                yes[p.started],
                yes[p.completed],
            ]

    def adjustment_rows(self):
        yield [
            "责任主体",
            "计算金额（万元）",
            "分配金额（万元）",
            "调整理由",
            "取消奖励资格",
            "取消依据及说明",
        ]
        grounds = {
            d.line_id: f"{d.get_ground_display()}：{d.description}"
            for d in Disqualification.objects.filter(line__allocation=self.allocation)
        }
        for line in self.lines:
            if line.adjusted or line.adjustment_reason or line.disqualified:
                yield [
                    line.entity.name,
                    line.computed_amount,
                    line.final_amount,
                    line.adjustment_reason,
                    "是" if line.disqualified else "否",
                    grounds.get(line.pk, ""),
                ]

    def write(self) -> bytes:
        wb = Workbook(write_only=True)
        bold = Font(bold=True)
        sheets = (
            (TABLE_SHEET, self.rows(), "2:2", [8, 24, 22, 14, 30]),
            (DETAIL_SHEET, self.detail_rows(), "1:1", [20, 10, 16, 22, 10, 80]),
            (PROJECT_SHEET, self.project_rows(), "1:1", [36, 14, 20, 10, 18, 18, 12, 10]),
            (ADJUST_SHEET, self.adjustment_rows(), "1:1", [20, 16, 16, 60, 14, 60]),
        )
        for title, rows, header_rows, widths in sheets:
            ws = wb.create_sheet(title)
            for index, width in enumerate(widths):
                ws.column_dimensions[chr(ord("A") + index)].width = width
            print_setup(ws, header_rows=header_rows)
            for number, row in enumerate(rows, start=1):
                cells = [safe_value(v) for v in row]
                if title == TABLE_SHEET and number <= 2:
                    from openpyxl.cell import WriteOnlyCell

                    styled = []
                    for v in cells:
                        cell = WriteOnlyCell(ws, value=v)
                        cell.font = bold
                        styled.append(cell)
                    cells = styled
                ws.append(cells)
        out = BytesIO()
        wb.save(out)
        return out.getvalue()


def float_free(text):
    """Stored indicator values are decimal strings; write them as numbers."""
    from decimal import Decimal

    return Decimal(text)


def export_allocation(allocation: Allocation) -> bytes:
    return AllocationExport(allocation).write()
