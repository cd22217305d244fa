"""The one import reader: calamine behind the zip checks, giving the importers what openpyxl gave them."""

import io
import zipfile
from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from orgs import excel
from orgs.excel import CALAMINE, OPENPYXL, CellReader, RowError, WorkbookErrors, open_workbook, read_sheet
from orgs.uploads import NOT_XLSX, ZIP_BOMB

HEADERS = ["名称", "金额", "个数", "日期", "是否"]
ROWS = [
    HEADERS,
    ["  道路\t工程 ", 30000, 3, date(2020, 5, 1), "是"],
    ["=1+1", 12.5, 2.0, "2020/05/02", "否"],
    [None, None, None, None, None],  # an empty row is skipped
    ["合计", "abc", 1.5, datetime(2020, 5, 3, 10, 30), "也许"],
    [12345, -1, -2, 20200504, True],
]


def upload(rows=ROWS, sheet="项目清单") -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("a.xlsx", buffer.getvalue())


def read_with(reader: str):
    errors: list[RowError] = []
    with excel.workbook_reader(reader):
        workbook = open_workbook(upload())
        rows = list(read_sheet(workbook, "项目清单", HEADERS, errors))
        workbook.close()
    for number, values in rows:
        r = CellReader("项目清单", number, values, errors)
        r.text("名称"), r.decimal("金额"), r.integer("个数"), r.yes_no("是否")
    return rows, errors


def test_both_readers_give_the_importers_the_same_rows():
    calamine_rows, _ = read_with(CALAMINE)

    assert calamine_rows == read_with(OPENPYXL)[0]
    assert [number for number, _ in calamine_rows] == [2, 3, 5, 6]


def test_both_readers_give_the_same_error_messages():
    calamine_errors = [str(e) for e in read_with(CALAMINE)[1]]

    assert calamine_errors == [str(e) for e in read_with(OPENPYXL)[1]]
    assert "项目清单 第5行 金额：应为数字，实际为“abc”" in calamine_errors


def test_the_zip_checks_run_before_calamine_sees_the_file(monkeypatch):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (30 * 1024 * 1024))

    class Refuse:
        @staticmethod
        def from_filelike(handle):
            raise AssertionError("calamine parsed a file the zip checks refuse")

    monkeypatch.setattr(excel, "CalamineWorkbook", Refuse)
    with pytest.raises(WorkbookErrors) as info:
        open_workbook(SimpleUploadedFile("bomb.xlsx", buffer.getvalue()))
    assert info.value.errors == [RowError("文件", 0, "", ZIP_BOMB)]


def test_a_zip_calamine_cannot_read_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "not xml at all")

    with pytest.raises(WorkbookErrors) as info:
        open_workbook(SimpleUploadedFile("broken.xlsx", buffer.getvalue()))

    assert info.value.errors == [RowError("文件", 0, "", NOT_XLSX)]
