"""Excel reading and writing shared by every app: safe cells, row errors, print setup.

Every workbook the platform writes goes through ``safe_value`` (formula injection, OWASP ASVS 5.0 §1.2.10);
every workbook it reads is checked by ``orgs.uploads.check_xlsx`` first and opened read-only.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from .uploads import NOT_XLSX, check_xlsx

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\0")

MISSING_SHEET = "缺少工作表“{sheet}”"
BAD_HEADER = "表头应为“{expected}”，实际为“{actual}”"
EMPTY_SHEET = "工作表没有数据行"
REQUIRED = "必填"
NOT_A_NUMBER = "应为数字，实际为“{value}”"
NEGATIVE = "不能为负数"
NOT_AN_INTEGER = "应为非负整数，实际为“{value}”"
NOT_YES_NO = "应为“是”或“否”，实际为“{value}”"
TOO_MANY_ROWS = "数据行过多：最多 {limit} 行"
MAX_ROWS = 100_000


def safe_value(value):
    """Text that Excel would run as a formula is written with a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str):
        value = value.replace("\0", "")
        if value.startswith(FORMULA_PREFIXES):
            return "'" + value
    return value


def safe_csv_value(value):
    return safe_value(value)


@dataclass(frozen=True)
class RowError:
    """One problem in an uploaded workbook, printed as ``<sheet> 第<row>行 <column>：<message>``."""

    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.sheet} 第{self.row}行" if self.row else self.sheet
        return f"{where} {self.column}：{self.message}" if self.column else f"{where}：{self.message}"


class WorkbookErrors(Exception):
    """Raised with every error of an upload; nothing has been written."""

    def __init__(self, errors: list[RowError]):
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


def open_workbook(source):
    """Open an uploaded file or a path as a read-only workbook, after the safety checks."""
    if isinstance(source, str | Path):
        handle = open(source, "rb")  # noqa: SIM115 - closed by the caller's workbook.close()
        upload = File(handle, name=str(source))
    else:
        upload = source
    try:
        check_xlsx(upload)
        return load_workbook(upload, read_only=True, data_only=True)
    except ValidationError as exc:
        raise WorkbookErrors([RowError("文件", 0, "", exc.messages[0])]) from exc
    except (InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise WorkbookErrors([RowError("文件", 0, "", NOT_XLSX)]) from exc


def clean_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "".join(ch for ch in str(value) if ch >= " " or ch == "\n").strip()


def read_sheet(
    workbook, sheet: str, headers: list[str], errors: list[RowError]
) -> Iterator[tuple[int, dict]]:
    """Yield ``(row_number, {header: value})`` for each non-empty data row; header problems go to ``errors``."""
    if sheet not in workbook.sheetnames:
        errors.append(RowError(sheet, 0, "", MISSING_SHEET.format(sheet=sheet)))
        return
    rows = workbook[sheet].iter_rows(values_only=True)
    first = next(rows, None)
    actual = [clean_text(v) for v in (first or ())][: len(headers)]
    if actual != headers:
        errors.append(
            RowError(sheet, 1, "", BAD_HEADER.format(expected=" | ".join(headers), actual=" | ".join(actual)))
        )
        return
    for number, values in enumerate(rows, start=2):
        if number - 1 > MAX_ROWS:
            errors.append(RowError(sheet, number, "", TOO_MANY_ROWS.format(limit=MAX_ROWS)))
            return
        values = tuple(values or ())[: len(headers)]
        if all(v is None or clean_text(v) == "" for v in values):
            continue
        yield number, dict(zip(headers, values + (None,) * (len(headers) - len(values)), strict=True))


class CellReader:
    """Parses one row's cells, collecting every problem as a ``RowError`` instead of stopping at the first."""

    def __init__(self, sheet: str, row: int, values: dict, errors: list[RowError]):
        self.sheet, self.row, self.values, self.errors = sheet, row, values, errors

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.sheet, self.row, column, message))

    def text(self, column: str, required: bool = True) -> str:
        value = clean_text(self.values.get(column))
        if required and not value:
            self.error(column, REQUIRED)
        return value

    def decimal(self, column: str, required: bool = True) -> Decimal | None:
        raw = self.values.get(column)
        if raw is None or clean_text(raw) == "":
            if required:
                self.error(column, REQUIRED)
            return None
        try:
            value = Decimal(str(raw).strip().replace(",", ""))
        except InvalidOperation:
            self.error(column, NOT_A_NUMBER.format(value=clean_text(raw)))
            return None
        if not value.is_finite():
            self.error(column, NOT_A_NUMBER.format(value=clean_text(raw)))
            return None
        if value < 0:
            self.error(column, NEGATIVE)
            return None
        return value

    def integer(self, column: str, required: bool = True) -> int | None:
        value = self.decimal(column, required)
        if value is None:
            return None
        if value != value.to_integral_value():
            self.error(column, NOT_AN_INTEGER.format(value=clean_text(self.values.get(column))))
            return None
        return int(value)

    def yes_no(self, column: str) -> bool | None:
        value = self.text(column)
        if value in ("是", "否"):
            return value == "是"
        if value:
            self.error(column, NOT_YES_NO.format(value=value))
        return None


def print_setup(ws: Worksheet, *, header_rows: str = "1:1", landscape: bool = True) -> None:
    """A4, landscape by default, fit to one page wide, header rows repeated on every page."""
    # Works on normal and write-only sheets alike (write-only ones lack the class constants).
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = (
        Worksheet.ORIENTATION_LANDSCAPE if landscape else Worksheet.ORIENTATION_PORTRAIT
    )
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = header_rows
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4


def append_rows(ws: Worksheet, rows: Iterable[Iterable]) -> None:
    for row in rows:
        ws.append([safe_value(v) for v in row])
