"""The year's allocation table in the layout of 双政办发〔2020〕15号 附件, plus detail sheets; the import template.

``AllocationExport.rows()`` yields the table (header, 合计, 第一组 …); ``sheets()`` lays it out for print
(``orgs.xlsx``: row 1 the title, row 2 the header, then 合计 …; scores 0.00, 万元 #,##0; the status line —
草稿 — 未经批复, or 市政府批复 文号 日期 — at the top of every page).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone

from orgs import xlsx
from orgs.excel import choice_lists, example_row, headers
from orgs.xlsx import INTEGER, SCORE, WAN, Group, Sheet, Total

from . import columns
from .models import Allocation, Disqualification, IndustrialTarget, Project
from .selectors import line_order, money_summary

TABLE_SHEET = "奖励资金分配表"
DETAIL_SHEET = "评分明细"
PROJECT_SHEET = columns.PROJECT_SHEET
ADJUST_SHEET = "调整说明"
NO_DETAILS = "尚无评分明细"
NO_PROJECTS = "本年度尚无项目"
NO_ADJUSTMENTS = "本年度无金额调整，无取消奖励资格的单位"
MONEY_SHEET = "资金拨付情况"
MONEY_HEADER = [
    "序号",
    "县区/单位",
    "批复金额（万元）",
    "已拨付（万元）",
    "已收回（万元）",
    "待拨付（万元）",
    "待收回（万元）",
]
TITLE = "{year}年全市百大项目建设奖励资金分配表"
DRAFT_STATUS = "草稿 — 未经批复"
APPROVED_STATUS = "市政府批复 {number} {date}"
# The archived 2019 allocation is the gazette's own: 双政办发〔2020〕15号 is dated 2020年7月23日.
PUBLISHED_ON = {"双政办发〔2020〕15号": date(2020, 7, 23)}


def table_header(year: int) -> list[str]:
    return [
        "序号",
        "县区/单位",
        f"{year}年项目建设考核得分",
        "折算后得分",
        f"{year}年百大项目建设奖励金额（万元）",
    ]


def chinese_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def status_line(allocation: Allocation) -> str:
    """草稿 until 市政府 has approved (双政办发〔2020〕14号 六: 以市政府批复为准); then the 批复's number and date."""
    if not allocation.city_document_no:
        return DRAFT_STATUS
    day = approval_date(allocation)
    return APPROVED_STATUS.format(
        number=allocation.city_document_no, date=chinese_date(day) if day else ""
    ).strip()


def approval_date(allocation: Allocation) -> date | None:
    return allocation.city_document_date or PUBLISHED_ON.get(allocation.city_document_no)


class AllocationExport:
    def __init__(self, allocation: Allocation):
        self.allocation = allocation
        self.lines = list(allocation.lines.select_related("entity"))

    def group_lines(self, group: int):
        """The group's lines in the page's order (``selectors.line_order``)."""
        return [line for line in line_order(self.lines) if line.group == group]

    def rows(self):
        """The header, then 合计, 第一组 with its subtotals and entities, 第二组 likewise (15号 附件)."""
        yield table_header(self.allocation.year)
        groups = {g: self.group_lines(g) for g in (1, 2)}

        def sums(lines):
            return (
                sum((x.raw_score for x in lines), start=Decimal(0)),
                sum(x.converted_score for x in lines),
                sum(x.final_amount for x in lines),
            )

        yield Total([None, "合计", *sums(groups[1] + groups[2])])
        for number, label in ((1, "第一组"), (2, "第二组")):
            yield Group([None, label, *sums(groups[number])])
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
        """The year's projects in the import's layout (``columns.PROJECT_COLUMNS``): the sheet imports again."""
        yield headers(columns.PROJECT_COLUMNS)
        projects = (
            Project.objects.filter(year=self.allocation.year)
            .select_related("entity")
            .order_by("entity__award_group", "entity__directory_order", "category", "name")
        )
        yield from project_rows(projects)

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

    def money_rows(self):
        """Each unit's money across the year's revisions (``selectors.money_summary``): 合计 first, as in the
        table sheet, then the units in the table's order."""
        summary = self.money
        yield MONEY_HEADER

        def figures(row):
            return [row.approved, row.paid, row.recovered, row.to_pay, row.to_recover]

        yield Total([None, "合计", *figures(summary.total)])
        for index, row in enumerate(summary.rows, start=1):
            yield [index, row.name, *figures(row)]

    def money_sheets(self) -> list[Sheet]:
        """The money sheet once 市政府 has approved a revision (never for the gazette's archived year, whose
        money was paid before the platform kept it)."""
        self.money = money_summary(self.allocation.year)
        if self.money.approved_revision is None or self.money.archived:
            return []
        year = self.allocation.year
        return [
            Sheet(
                MONEY_SHEET,
                self.money_rows(),
                widths=(8, 24, 16, 16, 16, 16, 16),
                title=f"{year}年百大项目建设奖励资金拨付情况（截至导出时，含各修订版本）",
                status=status_line(self.allocation),
                formats=(INTEGER, None, WAN, WAN, WAN, WAN, WAN),
            )
        ]

    def sheets(self) -> list[Sheet]:
        year, status = self.allocation.year, status_line(self.allocation)
        title = TITLE.format(year=year)
        # Landscape A4 holds about 110 characters of 11 pt text: the detail sheets' widths stay within it, so
        # fit-to-width never shrinks them below 9 pt; their long texts wrap, each row as tall as it needs.
        return [
            Sheet(
                TABLE_SHEET,
                self.rows(),
                widths=(8, 24, 22, 14, 30),
                title=title,
                title_row=True,
                status=status,
                formats=(INTEGER, None, SCORE, INTEGER, WAN),
            ),
            Sheet(
                DETAIL_SHEET,
                self.detail_rows(),
                widths=(16, 8, 14, 20, 8, 44),
                title=f"{title} — {DETAIL_SHEET}",
                status=status,
                formats=(None, None, None, None, SCORE),
                empty=NO_DETAILS,
            ),
            Sheet(
                PROJECT_SHEET,
                self.project_rows(),
                widths=[c.width for c in columns.PROJECT_COLUMNS],
                title=f"{year}年百大项目清单",
                status=status,
                formats=[c.number_format for c in columns.PROJECT_COLUMNS],
                empty=NO_PROJECTS,
            ),
            Sheet(
                ADJUST_SHEET,
                self.adjustment_rows(),
                widths=(16, 12, 12, 34, 8, 28),
                title=f"{title} — {ADJUST_SHEET}",
                status=status,
                formats=(None, WAN, WAN),
                empty=NO_ADJUSTMENTS,
            ),
            *self.money_sheets(),
        ]

    @property
    def filename(self) -> str:
        return f"{TITLE.format(year=self.allocation.year)}.xlsx"

    def content(self) -> bytes:
        return xlsx.workbook_bytes(self.sheets())


def float_free(text):
    """Stored indicator values are decimal strings; write them as numbers."""
    return Decimal(text)


def export_allocation(allocation: Allocation) -> bytes:
    return AllocationExport(allocation).content()


def project_rows(projects):
    """Each project as a row of ``columns.PROJECT_COLUMNS``."""
    for project in projects.iterator(chunk_size=2000):
        yield [column.export(project) for column in columns.PROJECT_COLUMNS]


class ProjectWorkbook:
    """The project workbook of the import (spec "Excel import"): sheets 项目清单 and 产业项目目标, each header in
    row 1, written from the same declaration (``columns``) the import reads.

    Without a year it is the empty template offered for download: an example row (its first cell marked
    【示例】, which the import skips) and drop-down lists for the columns that take one of a few values. With a
    year it holds that year's projects and targets, and imports again unchanged.
    """

    status = "导入模板：表头不要改动，自第 2 行起每行填写一条；【示例】行不导入"

    def __init__(self, year: int | None = None):
        self.year = year

    @property
    def filename(self) -> str:
        return f"{self.year}年百大项目数据.xlsx" if self.year else "百大项目导入模板.xlsx"

    def _projects(self):
        if self.year is None:
            return [example_row(columns.PROJECT_COLUMNS)]
        projects = (
            Project.objects.filter(year=self.year)
            .select_related("entity")
            .order_by("entity__award_group", "entity__directory_order", "category", "name")
        )
        return project_rows(projects)

    def _targets(self):
        if self.year is None:
            return [example_row(columns.TARGET_COLUMNS)]
        targets = IndustrialTarget.objects.filter(year=self.year).select_related("entity")
        return (
            [column.export(target) for column in columns.TARGET_COLUMNS]
            for target in targets.order_by("entity__directory_order", "entity__pk")
        )

    def sheets(self) -> list[Sheet]:
        title = f"{self.year}年百大项目数据" if self.year else "百大项目导入模板"
        status = self.status if self.year is None else xlsx.status_as_of(timezone.localdate())
        return [
            self._sheet(columns.PROJECT_SHEET, columns.PROJECT_COLUMNS, self._projects(), title, status),
            self._sheet(columns.TARGET_SHEET, columns.TARGET_COLUMNS, self._targets(), title, status),
        ]

    @staticmethod
    def _sheet(name, declared, rows, title, status) -> Sheet:
        """One sheet laid out from its declared columns (headers, widths, formats, drop-down lists)."""
        return Sheet(
            name,
            [headers(declared), *rows],
            widths=[c.width for c in declared],
            title=f"{title} — {name}",
            status=status,
            formats=[c.number_format for c in declared],
            choices=choice_lists(declared),
        )

    def content(self) -> bytes:
        return xlsx.workbook_bytes(self.sheets())
