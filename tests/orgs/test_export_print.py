"""Every export of the platform prints as an office expects, and every download arrives under its Chinese name.

Each export is downloaded the way a user does (the page's link, or the export job's download), opened with
openpyxl, and every sheet checked: A4, one page wide, header row repeated, print area, the title (merged and
centred in row 1, or in the page header of a listing), bold header, thin borders, bold 合计 and group rows,
number formats, the footer "第 &P 页 共 &N 页" and the status line at the top of every page.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from io import BytesIO
from urllib.parse import quote

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.utils import get_column_letter

from awards import notice as awards_notice
from chiefservice.models import LedgerEntry
from investment import notice as investment_notice
from investment.models import Publication, PublicationStatus, ResultRow, TargetSet
from orgs.excel import EXAMPLE_MARK
from orgs.exporting import export_request
from orgs.models import ExportJob, Organization
from orgs.xlsx import FOOTER, NINE_POINT_WIDTH, pages_across, status_as_of

from ..chiefservice.factories import LedgerEntryFactory, OfficerFactory
from ..sprouts.factories import CaseFactory

pytestmark = pytest.mark.django_db

GROUP_LABELS = {"合计", "第一组", "第二组"}


@dataclass
class Expected:
    title: str
    title_row: bool = False
    formats: dict[str, str] = field(default_factory=dict)  # column letter -> number format of its numbers


@dataclass
class Download:
    response: object
    filename: str
    status: str = ""
    sheets: dict[str, Expected] = field(default_factory=dict)

    def workbook(self):
        return load_workbook(BytesIO(self.response.getvalue()))


def today() -> str:
    return status_as_of(timezone.localdate())


def _job_download(client, user, job) -> object:
    client.force_login(user)
    return client.get(f"/exports/{job.pk}/download/")


def awards_allocation(client, personas, capture) -> Download:
    client.force_login(personas.fgw_clerk)
    title = "2019年全市百大项目建设奖励资金分配表"
    return Download(
        client.get("/awards/2019/export/"),
        f"{title}.xlsx",
        "市政府批复 双政办发〔2020〕15号 2020年7月23日",
        {
            "奖励资金分配表": Expected(title, True, {"C": "0.00", "D": "0", "E": "#,##0"}),
            "评分明细": Expected(f"{title} — 评分明细", formats={"E": "0.00"}),
            "项目清单": Expected(
                "2019年百大项目清单", formats={"E": "#,##0.00", "F": "#,##0.00", "I": "#,##0.00"}
            ),
            "调整说明": Expected(f"{title} — 调整说明", formats={"B": "#,##0", "C": "#,##0"}),
        },
    )


def awards_import_template(client, personas, capture) -> Download:
    client.force_login(personas.reporter)
    return Download(
        client.get("/awards/import/template/"),
        "百大项目导入模板.xlsx",
        "导入模板：表头不要改动，自第 2 行起每行填写一条；【示例】行不导入",
        {
            "项目清单": Expected("百大项目导入模板 — 项目清单"),
            "产业项目目标": Expected("百大项目导入模板 — 产业项目目标"),
        },
    )


def investment_targets(client, personas, capture) -> Download:
    client.force_login(personas.city_office)
    target_set = TargetSet.objects.get(year=2020)
    return Download(
        client.get(f"/investment/targets/{target_set.pk}/export/"),
        "双鸭山市2020年度招商引资工作目标任务分解表（第1版）.xlsx",
        "已下达 双政办发〔2020〕16号 2020年7月23日",
        {
            "表（一）": Expected(
                "双鸭山市2020年度招商引资工作目标任务分解表（一）", True, {"A": "0", "F": "0"}
            ),
            "表（二）": Expected("双鸭山市2020年度招商引资工作目标任务分解表（二）", True, {"A": "0"}),
        },
    )


def _publish_2020() -> Publication:
    publication = Publication.objects.create(
        year=2020, status=PublicationStatus.PUBLISHED, published_at=timezone.now()
    )
    for rank, (name, score) in enumerate([("宝清县", "95.5"), ("集贤县", "90")], start=1):
        ResultRow.objects.create(
            publication=publication,
            organization=Organization.objects.get(name=name),
            group="县（区）",
            score=Decimal(score),
            rank=rank,
            is_late=rank == 2,
        )
    return publication


def investment_results(client, personas, capture) -> Download:
    publication = _publish_2020()
    client.force_login(personas.reporter)
    day = timezone.localdate(publication.published_at)
    return Download(
        client.get("/investment/results/2020/export/"),
        "双鸭山市2020年度招商引资目标责任考核结果通报.xlsx",
        f"已通报 {day.year}年{day.month}月{day.day}日",
        {"考核结果": Expected("双鸭山市2020年度招商引资目标责任考核结果通报", True, {"B": "0", "D": "0.00"})},
    )


def chiefservice_month(client, personas, capture) -> Download:
    officer = OfficerFactory(unit=Organization.objects.get(name="宝清县"))
    LedgerEntryFactory(officer=officer, created_by=personas.reporter, received_on=date(2020, 9, 3))
    client.force_login(personas.reporter)
    return Download(
        client.get("/chiefservice/ledger/export/", {"year": 2020, "month": 9}),
        "宝清县2020年9月首席服务员工作台账.xlsx",
        f"未报送 — {today()}",
        {"2020年9月": Expected("宝清县 2020年9月首席服务员工作台账", True, {"A": "0"})},
    )


def chiefservice_year(client, personas, capture) -> Download:
    LedgerEntryFactory(
        officer=OfficerFactory(unit=Organization.objects.get(name="宝清县")), created_by=personas.reporter
    )
    client.force_login(personas.reporter)
    with capture(execute=True):
        client.post("/chiefservice/ledger/export/", {"year": 2020})
    assert LedgerEntry.objects.exists()
    return Download(
        _job_download(client, personas.reporter, ExportJob.objects.get()),
        "2020年服务台账.xlsx",
        today(),
        {"2020年服务台账": Expected("首席服务员2020年服务台账")},
    )


def sprouts_cases(client, personas, capture) -> Download:
    CaseFactory(by=personas.market)
    client.force_login(personas.market)
    with capture(execute=True):
        client.post("/sprouts/statistics/export/")
    return Download(
        _job_download(client, personas.market, ExportJob.objects.get()),
        "豆芽质量安全案件统计.xlsx",
        today(),
        {
            "统计": Expected("豆芽质量安全案件统计", True, {"B": "0"}),
            "案件清单": Expected("豆芽质量安全案件统计 — 案件清单"),
        },
    )


def orgs_directory(client, personas, capture) -> Download:
    with capture(execute=True):
        job = export_request(kind="orgs.directory", params={}, by=personas.leader)
    return Download(
        _job_download(client, personas.leader, job),
        "组织机构名录.xlsx",
        today(),
        {"组织机构名录": Expected("组织机构名录", formats={"A": "0"})},
    )


EXPORTS = [
    awards_allocation,
    awards_import_template,
    investment_targets,
    investment_results,
    chiefservice_month,
    chiefservice_year,
    sprouts_cases,
    orgs_directory,
]


def awards_notice_download(client, personas, capture) -> Download:
    client.force_login(personas.fgw_approver)
    return Download(client.get("/awards/2019/notice/"), awards_notice.FILENAME.format(year=2019))


def investment_notice_download(client, personas, capture) -> Download:
    investment_notice.issue(_publish_2020())  # published as the service does: under its number
    client.force_login(personas.reporter)
    return Download(
        client.get("/investment/results/2020/notice/"), investment_notice.FILENAME.format(year=2020)
    )


def is_total(row) -> bool:
    """合计 or a group in column A (or in B under an empty A): 合计, 第一组, 按环节 …"""
    first, second = row[0].value, row[1].value if len(row) > 1 else None
    if isinstance(first, str):
        return first in GROUP_LABELS or first.startswith("按")
    return first is None and second in GROUP_LABELS


def assert_prints_as_an_office_expects(ws, expected: Expected, status: str) -> int:
    """Checks one sheet; returns how many number formats it checked."""
    header_row = 2 if expected.title_row else 1
    width = max(len([c for c in ws[header_row] if c.value is not None]), 1)
    last = get_column_letter(width)
    setup = ws.page_setup
    # A4, one page wide — a table too wide for 9 pt on one page: as many across as keep it at 9 pt
    across = pages_across(widths_of(ws))
    assert (str(setup.paperSize), setup.fitToWidth, setup.fitToHeight) == ("9", across, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_options.horizontalCentered
    assert ws.print_title_rows == f"${header_row}:${header_row}"
    assert ws.print_area == f"'{ws.title}'!$A$1:${last}${ws.max_row}"
    # one sheet: the renderer's own count; several: each sheet counts its own pages from 1
    assert ws.oddFooter.center.text == FOOTER or re.fullmatch(r"第 &P 页 共 \d+ 页", ws.oddFooter.center.text)
    assert (setup.firstPageNumber, setup.useFirstPageNumber) == (1, True)
    assert ws.oddHeader.right.text == status
    if expected.title_row:
        assert f"A1:{last}1" in {str(r) for r in ws.merged_cells.ranges}
        assert (ws["A1"].value, ws["A1"].alignment.horizontal, ws["A1"].font.b) == (
            expected.title,
            "center",
            True,
        )
    else:
        assert ws.oddHeader.center.text == expected.title
    assert all(c.font.b and c.border.left.style == "thin" for c in ws[header_row][:width])
    checked = 0
    for row in ws.iter_rows(min_row=header_row + 1, max_col=width):
        assert all(c.border.top.style == c.border.bottom.style == "thin" for c in row)
        # 合计 and group rows bold, others not (a merged cell shows its first cell); a template's example row
        # is grey italics
        assert all(bool(c.font.b) == is_total(row) for c in row if not isinstance(c, MergedCell))
        if str(row[0].value).startswith(EXAMPLE_MARK):
            continue
        for column, cell in enumerate(row, start=1):
            wanted = expected.formats.get(get_column_letter(column))
            if wanted and isinstance(cell.value, int | float):
                assert cell.number_format == wanted, cell.coordinate
                checked += 1
    return checked


@pytest.mark.parametrize("export", EXPORTS, ids=lambda f: f.__name__)
def test_every_export_prints_as_an_office_expects(
    export, client, personas, django_capture_on_commit_callbacks
):
    download = export(client, personas, django_capture_on_commit_callbacks)
    workbook = download.workbook()

    assert workbook.sheetnames == list(download.sheets)
    checked = sum(
        assert_prints_as_an_office_expects(workbook[name], expected, download.status)
        for name, expected in download.sheets.items()
    )
    assert checked or not any(e.formats for e in download.sheets.values())


def test_the_totals_of_the_allocation_table_are_bold_and_in_number_formats(client, personas):
    rows = list(awards_allocation(client, personas, None).workbook()["奖励资金分配表"].iter_rows(min_row=3))
    total, group1 = rows[0], rows[1]

    assert [c.value for c in total[:2]] == [None, "合计"] and all(c.font.b for c in total)
    assert [c.value for c in group1[:2]] == [None, "第一组"] and all(c.font.b for c in group1)
    assert [c.number_format for c in total[2:]] == ["0.00", "0", "#,##0"]


def test_a_draft_allocation_prints_as_a_draft(gazette):
    from awards.exports import AllocationExport
    from awards.models import Allocation

    draft = Allocation.objects.create(year=2030, rate=Decimal("4.56"))
    workbook = load_workbook(BytesIO(AllocationExport(draft).content()))

    assert {workbook[name].oddHeader.right.text for name in workbook.sheetnames} == {"草稿 — 未经批复"}


def test_every_download_arrives_under_its_chinese_name(client, personas, django_capture_on_commit_callbacks):
    names = []
    for export in [*EXPORTS, awards_notice_download, investment_notice_download]:
        ExportJob.objects.all().delete()
        Publication.objects.all().delete()
        download = export(client, personas, django_capture_on_commit_callbacks)
        assert download.response.status_code == 200, export.__name__
        names.append(download.response["Content-Disposition"])
        assert names[-1] == f"attachment; filename*=utf-8''{quote(download.filename)}", export.__name__
    assert len(set(names)) == len(names)


DETAIL_SHEETS = {"评分明细", "项目清单", "调整说明"}


def test_every_detail_sheet_prints_landscape_across_pages_at_9_pt(client, personas):
    workbook = awards_allocation(client, personas, None).workbook()
    for name in DETAIL_SHEETS:
        ws = workbook[name]
        setup = ws.page_setup
        assert (setup.orientation, setup.fitToWidth, setup.fitToHeight) == ("landscape", 1, 0), name
        assert ws.print_title_rows == "$1:$1", name
        assert sum(widths_of(ws)) <= NINE_POINT_WIDTH, name


def widths_of(ws) -> list[float]:
    return [ws.column_dimensions[get_column_letter(n)].width for n in range(1, ws.max_column + 1)]


@pytest.mark.parametrize("export", EXPORTS)
def test_every_sheet_prints_at_9_pt_or_more(export, client, personas, django_capture_on_commit_callbacks):
    """A sheet that fits 134 characters prints one page wide; a wider one (the sprouts case list) over as many
    pages across as keep 9 pt, its first column repeated on each, and its page count counts them."""
    Publication.objects.all().delete()
    for ws in export(client, personas, django_capture_on_commit_callbacks).workbook().worksheets:
        widths = widths_of(ws)
        across = ws.page_setup.fitToWidth
        assert across == pages_across(widths), ws.title
        assert sum(widths) + (across - 1) * widths[0] <= across * NINE_POINT_WIDTH, ws.title
        if across > 1:
            assert ws.print_title_cols == "$A:$A", ws.title  # its first column on each page across


def test_a_wrapped_header_gets_the_height_of_its_lines(client, personas):
    ws = investment_targets(client, personas, None).workbook()["表（一）"]
    assert ws.row_dimensions[2].height > ws.sheet_format.defaultRowHeight  # 力争当年新开工项目（个） wraps


def test_an_empty_sheet_says_so_instead_of_printing_a_bare_header(client, personas):
    ws = awards_allocation(client, personas, None).workbook()[
        "项目清单"
    ]  # the archived 2019 year: no projects
    assert ws["A2"].value == "本年度尚无项目"
    assert "A2:I2" in {str(r) for r in ws.merged_cells.ranges}
