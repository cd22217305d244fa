import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from orgs.excel import (
    MAX_ROWS,
    TOO_MANY_ROWS,
    RowError,
    WorkbookErrors,
    clean_text,
    open_workbook,
    read_sheet,
    safe_value,
)
from orgs.uploads import BAD_TYPE, NOT_XLSX, TOO_LARGE, ZIP_BOMB, check_evidence, check_xlsx


def xlsx_bytes() -> bytes:
    wb = Workbook()
    wb.active.append(["项目名称"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name="a.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_a_real_workbook_passes():
    check_xlsx(upload(xlsx_bytes()))


def test_a_text_file_renamed_xlsx_is_refused():
    with pytest.raises(ValidationError, match=NOT_XLSX):
        check_xlsx(upload(b"just text, not a workbook"))


def test_a_truncated_workbook_is_refused():
    with pytest.raises(ValidationError, match=NOT_XLSX):
        check_xlsx(upload(xlsx_bytes()[:300]))


def test_an_archive_bomb_is_refused_before_parsing():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (30 * 1024 * 1024))
    with pytest.raises(ValidationError, match="压缩炸弹"):
        check_xlsx(upload(buffer.getvalue()))
    assert ZIP_BOMB


def test_a_file_over_the_limit_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as info:
        check_xlsx(upload(xlsx_bytes() + b"\0" * 2048))
    assert info.value.messages[0] == TOO_LARGE.format(limit=0)


def test_evidence_is_judged_by_content_not_name():
    assert check_evidence(upload(b"%PDF-1.7 rest", name="scan.jpg")) == "pdf"
    with pytest.raises(ValidationError, match=BAD_TYPE):
        check_evidence(upload(b"MZ\x90\x00 an executable", name="report.pdf"))


def test_open_workbook_reports_a_bad_file_as_a_row_error():
    with pytest.raises(WorkbookErrors) as info:
        open_workbook(upload(b"not a zip"))
    assert str(info.value.errors[0]) == f"文件：{NOT_XLSX}"


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x","y")', "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"])
def test_formula_like_text_is_neutralised(text):
    assert safe_value(text) == "'" + text


def test_numbers_and_plain_text_are_left_alone():
    assert safe_value(-5) == -5
    assert safe_value("集贤县") == "集贤县"


def test_row_errors_read_sheet_row_column_message():
    assert str(RowError("项目清单", 3, "项目类别", "未知类别")) == "项目清单 第3行 项目类别：未知类别"


def workbook_upload(rows, sheet="项目清单", write_only=False) -> SimpleUploadedFile:
    wb = Workbook(write_only=write_only)
    ws = wb.create_sheet(sheet) if write_only else wb.active
    if not write_only:
        ws.title = sheet
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return upload(buffer.getvalue())


def read_all(source, headers, sheet="项目清单"):
    errors: list[RowError] = []
    rows = list(read_sheet(open_workbook(source), sheet, headers, errors))
    return rows, errors


def test_wrong_headers_are_reported_on_row_one():
    rows, errors = read_all(workbook_upload([["名称", "金额"], ["甲", 1]]), ["项目名称", "金额"])
    assert rows == [] and str(errors[0]).startswith("项目清单 第1行：表头应为“项目名称 | 金额”")


def test_an_empty_sheet_is_reported_not_parsed():
    rows, errors = read_all(workbook_upload([]), ["项目名称"])
    assert rows == [] and len(errors) == 1


def test_a_missing_sheet_is_named():
    rows, errors = read_all(workbook_upload([["项目名称"]], sheet="Sheet9"), ["项目名称"])
    assert str(errors[0]) == "项目清单：缺少工作表“项目清单”"


def test_control_characters_in_cells_are_dropped_and_formulas_read_as_text():
    rows, errors = read_all(workbook_upload([["项目名称"], ["道路\t工程\r"], ["'=1+1"]]), ["项目名称"])
    assert errors == []
    assert clean_text(rows[0][1]["项目名称"]) == "道路工程"
    assert clean_text(rows[1][1]["项目名称"]).endswith("=1+1")


def test_a_workbook_of_more_than_100000_rows_is_refused_with_a_row_error():
    rows = [["项目名称"], *([f"项目{i}"] for i in range(MAX_ROWS + 1))]
    parsed, errors = read_all(workbook_upload(rows, write_only=True), ["项目名称"])
    assert len(parsed) == MAX_ROWS
    assert errors == [RowError("项目清单", MAX_ROWS + 2, "", TOO_MANY_ROWS.format(limit=MAX_ROWS))]
