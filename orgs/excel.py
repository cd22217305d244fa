"""Excel reading and writing shared by every app: safe cells, row errors, the one import reader.

Every cell the platform writes goes through ``safe_value`` (characters a workbook cannot hold dropped,
formula injection neutralised: OWASP ASVS 5.0 §1.2.10); the writer is ``orgs.xlsx``. Every workbook it
reads is checked by ``orgs.uploads.check_xlsx`` first (size, zip bomb), then parsed by calamine (Rust),
which reads a 10,000-row workbook several times faster than openpyxl; openpyxl stays selectable
(``workbook_reader``) so the benchmark measures both on the same file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from python_calamine import CalamineError, CalamineWorkbook

from .uploads import NOT_XLSX, check_xlsx
from .validators import EXCEL_CELL_LIMIT

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\0")
# What XML 1.0 cannot hold (so no workbook can): C0 controls but tab, newline and carriage return; lone
# surrogates; U+FFFE and U+FFFF. A superset of openpyxl's ILLEGAL_CHARACTERS_RE.
UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
CALAMINE, OPENPYXL = "calamine", "openpyxl"
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f]")  # what clean_text drops: C0 controls but the line break

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
CELL_LIMIT = EXCEL_CELL_LIMIT
CUT_MARK = "……（超出 Excel 单元格 32767 字符的上限，以下已截去）"


def safe_value(value):
    """The one cell sanitiser of every writer: characters a workbook cannot hold are dropped, and text
    that Excel would run as a formula gets a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str):
        if UNWRITABLE.search(value):
            value = UNWRITABLE.sub("", value)
        if value.startswith(FORMULA_PREFIXES):
            value = "'" + value
        if len(value) > CELL_LIMIT // 2:  # below half the limit no text can exceed it, even in UTF-16 pairs
            value = fit_cell(value)
    return value


def fit_cell(value: str) -> str:
    """``value`` cut to what one Excel cell holds (32,767 UTF-16 units), saying so at its end.

    Every text field's limit is below it (``orgs.validators``); a longer text stored before the limits, or
    one composed of several, is cut here rather than written into a file Excel repairs or refuses.
    """
    if _utf16_units(value) <= CELL_LIMIT:
        return value
    room = CELL_LIMIT - _utf16_units(CUT_MARK)
    cut = value[:room]
    while _utf16_units(cut) > room:
        cut = cut[: -max(1, (_utf16_units(cut) - room) // 2)]
    return cut + CUT_MARK


def _utf16_units(value: str) -> int:
    return len(value.encode("utf-16-le")) // 2


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


_reader: ContextVar[str] = ContextVar("workbook_reader", default=CALAMINE)


@contextmanager
def workbook_reader(name: str):
    """Parse the workbooks opened inside the block with ``name`` (``CALAMINE`` or ``OPENPYXL``)."""
    token = _reader.set(name)
    try:
        yield
    finally:
        _reader.reset(token)


def _cell(value):
    """A calamine value as openpyxl gives it, so both readers feed the same rows to the importers."""
    if value.__class__ is str:
        return value or None  # an empty cell
    if value.__class__ is float and value.is_integer() and abs(value) < 2**53:
        return int(value)  # Excel stores 10 as "10": openpyxl reads an int
    if value.__class__ is date:
        return datetime.combine(value, time())  # openpyxl reads every date cell as a datetime
    return value


class CalamineSheet:
    """The part of openpyxl's read-only worksheet the importers use: ``title`` and ``iter_rows``."""

    def __init__(self, title: str, sheet):
        self.title, self._sheet = title, sheet

    def iter_rows(self, values_only: bool = True, max_col: int | None = None) -> Iterator[tuple]:
        # Every row from A1 (skip_empty_area=False keeps the row numbers of the file); at most one row past
        # the import limit is read, so an enormous sheet stops there.
        for row in self._sheet.to_python(skip_empty_area=False, nrows=MAX_ROWS + 2):
            yield tuple(map(_cell, row[:max_col] if max_col else row))


class CalamineBook:
    """The part of openpyxl's read-only workbook the importers use."""

    def __init__(self, book: CalamineWorkbook):
        self._book = book
        self.sheetnames: list[str] = list(book.sheet_names)

    def __getitem__(self, name: str) -> CalamineSheet:
        return CalamineSheet(name, self._book.get_sheet_by_name(name))

    @property
    def worksheets(self) -> list[CalamineSheet]:
        return [self[name] for name in self.sheetnames]

    def close(self) -> None:
        self._book.close()


def open_workbook(source):
    """Open an uploaded file or a path as a read-only workbook, after the safety checks."""
    opened = book = None
    if isinstance(source, str | Path):
        opened = open(source, "rb")  # noqa: SIM115 - closed below, or by the caller's workbook.close()
        upload = File(opened, name=str(source))
    else:
        upload = source
    try:
        check_xlsx(upload)  # size and zip-bomb checks before any parser sees the file
        if _reader.get() == OPENPYXL:
            book = load_workbook(upload, read_only=True, data_only=True)
        else:
            upload.seek(0)
            book = CalamineBook(CalamineWorkbook.from_filelike(upload))
        return book
    except ValidationError as exc:
        raise WorkbookErrors([RowError("文件", 0, "", exc.messages[0])]) from exc
    except (CalamineError, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise WorkbookErrors([RowError("文件", 0, "", NOT_XLSX)]) from exc
    finally:
        # calamine has read the file whole; openpyxl reads on until the caller's workbook.close()
        if opened is not None and (book is None or isinstance(book, CalamineBook)):
            opened.close()


def clean_text(value) -> str:
    """A cell as text: control characters but the line break dropped, surrounding blanks stripped."""
    if value is None:
        return ""
    if value.__class__ is not str:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        value = str(value)
    if _CONTROL.search(value):
        value = _CONTROL.sub("", value)
    return value.strip()


def read_sheet(
    workbook, sheet: str, headers: list[str], errors: list[RowError], optional: tuple[str, ...] = ()
) -> Iterator[tuple[int, dict]]:
    """Yield ``(row_number, {header: value})`` for each non-empty data row; header problems go to ``errors``.

    ``optional`` columns may follow the required ones (in that order); a row's dict has them only when the
    sheet has them.
    """
    if sheet not in workbook.sheetnames:
        errors.append(RowError(sheet, 0, "", MISSING_SHEET.format(sheet=sheet)))
        return
    rows = workbook[sheet].iter_rows(values_only=True)
    first = next(rows, None)
    header_row = [clean_text(v) for v in (first or ())]
    actual = header_row[: len(headers)]
    if actual != headers:
        errors.append(
            RowError(sheet, 1, "", BAD_HEADER.format(expected=" | ".join(headers), actual=" | ".join(actual)))
        )
        return
    extra = header_row[len(headers) : len(headers) + len(optional)]
    headers = headers + [name for name, given in zip(optional, extra, strict=False) if name == given]
    for number, values in enumerate(rows, start=2):
        if number - 1 > MAX_ROWS:
            errors.append(RowError(sheet, number, "", TOO_MANY_ROWS.format(limit=MAX_ROWS)))
            return
        values = tuple(values or ())[: len(headers)]
        if all(v is None or clean_text(v) == "" for v in values):
            continue
        if values and clean_text(values[0]).startswith(EXAMPLE_MARK):
            continue  # the template's example row
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
        kind = raw.__class__
        if kind is int or kind is float:  # a number cell: no text to clean (a bool is not an int here)
            value = Decimal(raw) if kind is int else Decimal(str(raw))
        elif raw is None or clean_text(raw) == "":
            if required:
                self.error(column, REQUIRED)
            return None
        else:
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

    def yes_no(self, column: str, empty: bool | None = None) -> bool | None:
        """是 / 否; an empty cell is ``empty``, or an error (必填) when ``empty`` is None."""
        value = self.text(column, required=empty is None)
        if value in ("是", "否"):
            return value == "是"
        if value:
            self.error(column, NOT_YES_NO.format(value=value))
            return None
        return empty


# An import template's example row starts with this mark; the reader skips such rows, so a template filled in
# under its example imports as it is.
EXAMPLE_MARK = "【示例】"
TEXT, DECIMAL, INTEGER, YES_NO = "text", "decimal", "integer", "yes_no"
YES_NO_CHOICES = ("是", "否")


@dataclass(frozen=True)
class Column:
    """One column of a workbook that the platform both writes and reads back: the one place its header, its
    field, its type, width, number format, whether it is required and the values it takes are written.

    ``value`` reads the cell's value off an object for the export (default: the attribute ``field``, 是/否 for
    a yes/no column); ``read`` parses the cell of an uploaded row; ``choices`` (a tuple, or a function giving
    the list when the workbook is written) become the template's drop-down list; ``example`` fills its
    example row.
    """

    header: str
    field: str
    kind: str = TEXT
    width: float = 12
    number_format: str | None = None
    required: bool = True
    choices: tuple[str, ...] | Callable[[], Sequence[str]] = ()
    example: object = None
    value: Callable[[object], object] | None = None

    def export(self, obj):
        value = self.value(obj) if self.value else getattr(obj, self.field)
        if self.kind == YES_NO and isinstance(value, bool):
            return YES_NO_CHOICES[0] if value else YES_NO_CHOICES[1]
        return value

    def read(self, reader: CellReader):
        """The cell of ``reader``'s row, parsed by the column's type (errors go to the reader)."""
        if self.kind == DECIMAL:
            return reader.decimal(self.header, required=self.required)
        if self.kind == INTEGER:
            return reader.integer(self.header, required=self.required)
        if self.kind == YES_NO:
            return reader.yes_no(self.header, empty=None if self.required else False)
        return reader.text(self.header, required=self.required)

    def choice_list(self) -> Sequence[str]:
        if self.kind == YES_NO:
            return YES_NO_CHOICES
        return self.choices() if callable(self.choices) else self.choices


def headers(columns: Sequence[Column]) -> list[str]:
    return [c.header for c in columns]


def choice_lists(columns: Sequence[Column]) -> dict[int, Sequence[str]]:
    """The drop-down list of every column that takes one of a few values, by column index."""
    return {n: c.choice_list() for n, c in enumerate(columns) if c.choice_list()}


def example_row(columns: Sequence[Column]) -> list:
    """The template's example row: the first cell carries ``EXAMPLE_MARK``."""
    row = [c.example for c in columns]
    row[0] = f"{EXAMPLE_MARK}{row[0] or ''}"
    return row
