"""The streamed year export of the ledger: a readable workbook, formulas neutralised, built by the worker."""

from datetime import date

import pytest
from openpyxl import load_workbook

from bench.seed import LAST_YEAR, bench_reader, seed
from chiefservice import exports
from orgs import xlsx
from orgs.exporting import export_request, export_run
from orgs.models import ExportJob


def test_streamed_workbook_reads_back_with_numbers_text_and_empty_cells(tmp_path):
    path = tmp_path / "out.xlsx"

    rows = [["甲", "乙", "丙"], [1, "文本", None], [2.5, "", date(2025, 1, 2)]]
    written = xlsx.write_workbook(path, [xlsx.Sheet("台账", iter(rows))], lambda n: None)

    ws = load_workbook(path).active
    assert written == 2
    assert ws.title == "台账"
    assert [[c.value for c in row] for row in ws.iter_rows()] == [
        ["甲", "乙", "丙"],
        [1, "文本", None],
        [2.5, None, "2025-01-02"],
    ]


def test_streamed_workbook_neutralises_formulas_and_drops_control_characters(tmp_path):
    path = tmp_path / "out.xlsx"

    rows = [["内容"], ['=HYPERLINK("http://x")<&>\x01']]
    xlsx.write_workbook(path, [xlsx.Sheet("台账", iter(rows))], lambda n: None)

    assert load_workbook(path).active["A2"].value == '\'=HYPERLINK("http://x")<&>'


def test_streamed_sheets_print_on_a4_one_page_wide_with_the_header_repeated(tmp_path):
    path = tmp_path / "out.xlsx"
    sheets = [
        xlsx.Sheet(
            "统计", iter([["标题"], ["合计", 3]]), widths=(28, 10), landscape=False, counts_progress=False
        ),
        xlsx.Sheet("案件清单", iter([["编号", "名称"], ["1", "甲"], ["2", "乙"]]), widths=(14, 24)),
    ]

    written = xlsx.write_workbook(path, sheets, lambda n: None)

    book = load_workbook(path)
    assert written == 2  # the rows of the sheet that counts progress
    assert book.sheetnames == ["统计", "案件清单"]
    summary, cases = book["统计"], book["案件清单"]
    assert (summary.page_setup.orientation, cases.page_setup.orientation) == ("portrait", "landscape")
    assert cases.page_setup.paperSize == 9 and cases.page_setup.fitToWidth == 1
    assert cases.sheet_properties.pageSetUpPr.fitToPage
    assert cases.print_title_rows == summary.print_title_rows == "$1:$1"  # as openpyxl reads its own
    assert cases.column_dimensions["B"].width == 24
    assert cases.freeze_panes == "A2"
    assert cases["A1"].font.b and not cases["A2"].font.b


def test_year_export_job_writes_every_entry_of_the_year(gazette, settings):
    seed("T", log=lambda line: None)
    admin = bench_reader()
    expected = exports.year_entries(admin, LAST_YEAR).count()

    job = export_request(kind=exports.LEDGER_YEAR.kind, params={"year": LAST_YEAR}, by=admin)
    export_run(job.pk)  # idempotent: a no-op when the eager worker already built it

    job = ExportJob.objects.get(pk=job.pk)
    assert job.status == ExportJob.Status.DONE
    assert job.total == expected > 0
    ws = load_workbook(settings.MEDIA_ROOT / job.file.name).active
    assert ws.max_row == expected + 1
    assert ws["A1"].value == "受理日期"


@pytest.mark.parametrize("year", ["", "abc", "1999"])
def test_year_export_refuses_a_bad_year(client, gazette, year):
    client.force_login(bench_reader())

    response = client.post("/chiefservice/ledger/export/", {"year": year})

    assert response.status_code == 404
    assert not ExportJob.objects.exists()
