"""Excel exports in the gazette's layout: 表（一）/表（二） of 双政办发〔2020〕16号, and the 通报 ranking.

``rows()`` yields a header then data; ``sheets()`` applies the official form through ``orgs.xlsx`` (title
row, bold 合计, A4 landscape, the status line — 已下达 文号 日期 / 已通报 日期, or 草稿 — on every page).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from orgs import xlsx
from orgs.xlsx import INTEGER, SCORE, Sheet, Total

from . import selectors
from .models import Publication, TargetSet

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
TABLE_ONE_TITLE = "双鸭山市{year}年度招商引资工作目标任务分解表（一）"
TABLE_TWO_TITLE = "双鸭山市{year}年度招商引资工作目标任务分解表（二）"
RESULT_TITLE = "双鸭山市{year}年度招商引资目标责任考核结果通报"
TARGETS_FILENAME = "双鸭山市{year}年度招商引资工作目标任务分解表（第{version}版）.xlsx"
TARGETS_DRAFT = "草稿（第{version}版）— 未下达"
TARGETS_ISSUED = "已下达 {number} {date}"
RESULTS_DRAFT = "草稿 — 未通报"
RESULTS_PUBLISHED = "已通报 {date}"


def chinese_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def targets_status(target_set: TargetSet) -> str:
    if not target_set.is_issued:
        return TARGETS_DRAFT.format(version=target_set.version)
    return TARGETS_ISSUED.format(
        number=target_set.document_number, date=chinese_date(target_set.issued_on)
    ).strip()


def results_status(publication: Publication) -> str:
    if publication.published_at is None:
        return RESULTS_DRAFT
    status = RESULTS_PUBLISHED.format(date=chinese_date(timezone.localdate(publication.published_at)))
    if publication.edition > 1:
        status += f"（第{publication.edition}版）"
    if publication.withdrawn_at is not None:
        status += f"；已于{chinese_date(timezone.localdate(publication.withdrawn_at))}撤回"
    return status


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
        yield Total(
            [
                None,
                "合计",
                number(totals["foreign_musd"]),
                number(totals["domestic_yi"]),
                number(totals["signing_yi"]),
                totals["new_projects"],
                number(totals["leading_share_pct"]) if totals["leading_share_pct"] is not None else None,
            ]
        )
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

    def sheets(self) -> list[Sheet]:
        year, status = self.target_set.year, targets_status(self.target_set)
        # Targets print as the gazette prints them (210, 2.5): General format, whole numbers as integers.
        return [
            Sheet(
                "表（一）",
                self.table_one_rows(),
                widths=(6, 26, 14, 14, 16, 16, 16),
                title=TABLE_ONE_TITLE.format(year=year),
                title_row=True,
                status=status,
                formats=(INTEGER, None, None, None, None, INTEGER),
            ),
            Sheet(
                "表（二）",
                self.table_two_rows(),
                widths=(6, 26, 40),
                title=TABLE_TWO_TITLE.format(year=year),
                title_row=True,
                status=status,
                formats=(INTEGER,),
            ),
        ]

    @property
    def filename(self) -> str:
        return TARGETS_FILENAME.format(year=self.target_set.year, version=self.target_set.version)

    def content(self) -> bytes:
        return xlsx.workbook_bytes(self.sheets())


class ResultsExport:
    def __init__(self, publication: Publication):
        self.publication = publication

    def rows(self):
        yield RESULT_HEADER
        for row in selectors.result_rows(self.publication):
            # A unit that never submitted is listed as 未申报, without rank or score.
            yield [
                row.group,
                None if row.not_submitted else row.rank,
                row.organization.name,
                "未申报" if row.not_submitted else row.score,
                "是" if row.is_late else "",
                "是" if row.falsified else "",
            ]

    def sheets(self) -> list[Sheet]:
        return [
            Sheet(
                "考核结果",
                self.rows(),
                widths=(14, 8, 28, 12, 10, 10),
                title=RESULT_TITLE.format(year=self.publication.year),
                title_row=True,
                status=results_status(self.publication),
                formats=(None, INTEGER, None, SCORE),
            )
        ]

    @property
    def filename(self) -> str:
        version = f"（第{self.publication.edition}版）" if self.publication.edition > 1 else ""
        return f"{RESULT_TITLE.format(year=self.publication.year)}{version}.xlsx"

    def content(self) -> bytes:
        return xlsx.workbook_bytes(self.sheets())
