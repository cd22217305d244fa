"""The one workbook writer of the platform: every export, in a request or in the export worker.

An export describes its sheets (``Sheet``: title, header, rows with their 合计 and group rows, number formats,
column widths, status line); ``write_workbook`` turns them into an .xlsx that prints as an office expects:

- row 1 the title, merged and centred over the table (sheets without a title row — listings that are
  sorted, filtered or imported again — print it in the page header instead); then the header row, bold,
  centred, frozen and repeated on every printed page;
- thin borders on every cell of the table; 合计 and group rows bold; each column in its number format
  (``SCORE`` 0.00, ``WAN`` #,##0 for 万元 …);
- A4, landscape unless said otherwise, one page wide — or, for a table too wide to print at 9 pt on one, as
  many pages across as keep it at 9 pt with its first column repeated (``pages_across``) — rows running on
  over as many pages as they need, centred, print area the table;
- every row as tall as its wrapped text (``sheetFormatPr`` fixes the default row at 15 pt, a row whose text
  wraps gets its own height), since neither LibreOffice nor Excel grows a row on opening a file: a wrapped
  header otherwise runs over the row below it;
- page header: the status line (草稿 — 未经批复, 市政府批复 文号 日期 …); page footer "第 1 页 共 N 页",
  counted per sheet (see ``_paginate``);
- drop-down lists (``Sheet.choices``) for the columns of an import that take one of a few values.

The sheet XML is written as text straight into its zip member, row by row, so memory stays flat: a year
of ledger (200,000+ rows) is written in seconds, where openpyxl's writer serialises each cell through an
XML tree. Strings are inline strings, numbers are numbers; every value passes through
``orgs.excel.safe_value``, the one cell sanitiser (characters a workbook cannot hold, formulas).
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

from openpyxl.utils import get_column_letter

from orgs.excel import UNWRITABLE, safe_value

PROGRESS_EVERY = 2000
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Number formats (Excel's built-in ones: no custom format table needed).
GENERAL = "General"
INTEGER = "0"
SCORE = "0.00"  # scores: 21.10, not 21.1
WAN = "#,##0"  # 万元, whole (the award amounts are rounded to whole 万元)
AMOUNT = "#,##0.00"  # amounts kept to the cent (a project's investment in 万元)
_BUILTIN_FORMATS = {GENERAL: 0, INTEGER: 1, SCORE: 2, WAN: 3, AMOUNT: 4}
FOOTER = "第 &P 页 共 &N 页"
SHEET_FOOTER = "第 &P 页 共 {pages} 页"
PAGE_FOOTER = "第 &P 页"

# Row heights (pt). A line of 11 pt text needs 16 pt in LibreOffice's CJK faces (14.25 in Excel's 宋体); a
# column is ``width`` characters of "0" wide, and a CJK character is counted as two of them (it is 1.6 to 1.9
# in both), so the estimate errs on the tall side: a cell shows a blank line rather than cut text.
ROW_HEIGHT = 15
LINE_HEIGHT = 16
TITLE_HEIGHT = 32
DEFAULT_WIDTH = 9
# The height a page gives its rows: A4 less the top and bottom margins (0.75 in each, which hold the page
# header and footer), with a tenth kept back so a page never holds fewer rows than counted.
PAGE_ROOM = {True: (595.3 - 108) * 0.9, False: (841.9 - 108) * 0.9}  # landscape, portrait
MAX_BREAKS = 1000  # Excel keeps at most 1,026 manual page breaks a sheet
#: The widths (in characters) landscape A4 holds at 9 pt or more when fitted to its width; a wider table prints
#: over as many pages across as keep it at 9 pt, its first column repeated on each (``pages_across``).
NINE_POINT_WIDTH = 134
VALIDATION_ROWS = 100_001  # the drop-down lists cover every row an import reads (orgs.excel.MAX_ROWS)
CHOICES_SHEET = "选项"
NOT_A_CHOICE = "请从下拉列表中选择"


class Total(list):
    """A 合计 row: printed bold. ``merge=(first, last)`` joins those columns (1-based) of the row, for a
    total written as one sentence."""

    def __init__(self, values=(), merge: tuple[int, int] | None = None):
        super().__init__(values)
        self.merge = merge


class Group(Total):
    """A group row (第一组 … with its subtotals): printed bold."""


class Note(list):
    """A sentence across the whole table (``[text]``): e.g. what an empty list means, so no page is a bare
    header."""


class Example(list):
    """An import template's example row: printed in grey italics (its first cell says 示例)."""


@dataclass
class Sheet:
    """One sheet. ``rows`` starts with the header row; ``Total``/``Group`` rows print bold.

    ``title`` is the printed title: row 1, merged over the table, when ``title_row``; otherwise in the page
    header. ``formats`` are the number formats of the columns (``GENERAL`` where not given); ``widths``
    the column widths in characters; ``status`` the status line printed at the top of every page.
    """

    name: str
    rows: Iterable[Sequence]
    widths: Sequence[float] = ()
    landscape: bool = True
    counts_progress: bool = True  # its data rows are what the progress bar counts
    title: str = ""
    title_row: bool = False
    status: str = ""
    formats: Sequence[str | None] = ()  # None: GENERAL
    empty: str = ""  # a sentence written under the header when the sheet has no data rows
    choices: dict[int, Sequence[str]] | None = (
        None  # column (0-based) -> the values its drop-down list offers
    )


# XML escapes; characters XML cannot hold are dropped by safe_value before this.
_XML_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})
_NOT_IN_SHEET_TITLE = re.compile(r"[\[\]:*?/\\]")
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOCUMENT_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"

ROOT_RELS = (
    f'{_XML}<Relationships xmlns="{_PACKAGE_RELS}">'
    f'<Relationship Id="rId1" Type="{_DOCUMENT_RELS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)

# Cell styles: 0 plain, 1 header, 2 title, 3 example, then for each number format a body style and a bold one.
_PLAIN, _HEADER, _TITLE, _EXAMPLE = 0, 1, 2, 3


def _body_style(number_format: str, bold: bool) -> int:
    return 4 + 2 * _BUILTIN_FORMATS[number_format] + int(bold)


def _styles() -> str:
    middle = '<alignment vertical="center" wrapText="1"/>'
    centre = '<alignment horizontal="center" vertical="center" wrapText="1"/>'
    xfs = [
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="1" xfId="0" applyFont="1" applyBorder="1" '
        f'applyAlignment="1">{centre}</xf>',
        f'<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">{centre}</xf>',
        '<xf numFmtId="0" fontId="3" fillId="0" borderId="1" xfId="0" applyFont="1" applyBorder="1" '
        f'applyAlignment="1">{middle}</xf>',
    ]
    for number_format in sorted(_BUILTIN_FORMATS.values()):
        for font in (0, 1):
            xfs.append(
                f'<xf numFmtId="{number_format}" fontId="{font}" fillId="0" borderId="1" xfId="0" '
                f'applyNumberFormat="1" applyFont="1" applyBorder="1" applyAlignment="1">{middle}</xf>'
            )
    thin = '<{side} style="thin"><color auto="1"/></{side}>'
    box = "".join(thin.format(side=side) for side in ("left", "right", "top", "bottom"))
    return (
        f'{_XML}<styleSheet xmlns="{_MAIN}">'
        '<fonts count="4"><font><sz val="11"/><name val="宋体"/><charset val="134"/></font>'
        '<font><b/><sz val="11"/><name val="宋体"/><charset val="134"/></font>'
        '<font><b/><sz val="16"/><name val="宋体"/><charset val="134"/></font>'
        '<font><i/><sz val="11"/><color rgb="FF808080"/><name val="宋体"/><charset val="134"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
        f"<border>{box}<diagonal/></border></borders>"
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )


STYLES = _styles()


def _cell(value, style: str = "") -> str:
    if value.__class__ is str:  # most cells: checked first
        if not value:
            return f"<c{style}/>"
        return f'<c t="inlineStr"{style}><is><t xml:space="preserve">{_text(safe_value(value))}</t></is></c>'
    if value is None:
        return f"<c{style}/>"
    if isinstance(value, bool):
        return f'<c t="b"{style}><v>{int(value)}</v></c>'
    if isinstance(value, int | float | Decimal):
        return f"<c{style}><v>{value}</v></c>"
    text = value.isoformat() if isinstance(value, datetime | date) else str(value)
    return f'<c t="inlineStr"{style}><is><t xml:space="preserve">{_text(safe_value(text))}</t></is></c>'


def _text(value: str) -> str:
    return value.translate(_XML_TEXT)


def _header_footer_text(value: str) -> str:
    # "&" starts a code in a page header ("&P" the page number): a literal one is doubled.
    return _text(UNWRITABLE.sub("", value).replace("&", "&&"))


def _content_types(count: int) -> str:
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_SHEET_TYPE}"/>'
        for n in range(1, count + 1)
    )
    return (
        f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f"{sheets}"
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        "</Types>"
    )


@dataclass
class _Written:
    """Where a sheet's table ended up: for its print area and print titles."""

    name: str
    header_row: int
    last_row: int
    width: int
    hidden: bool = False
    across: int = 1  # pages across; more than one repeats the first column on each


_HIDDEN = ' state="hidden"'


def _quoted(name: str) -> str:
    return "'" + _text(name).replace("'", "''") + "'"


def _workbook(sheets: list[_Written]) -> str:
    names = "".join(
        f'<sheet name="{_text(s.name)}" sheetId="{n}"{_HIDDEN if s.hidden else ""} r:id="rId{n}"/>'
        for n, s in enumerate(sheets, start=1)
    )
    defined = []
    for n, s in enumerate(sheets):
        if s.hidden:
            continue
        last_column = get_column_letter(s.width)
        defined.append(
            f'<definedName name="_xlnm.Print_Area" localSheetId="{n}">'
            f"{_quoted(s.name)}!$A$1:${last_column}${max(s.last_row, 1)}</definedName>"
        )
        titles = f"{_quoted(s.name)}!${s.header_row}:${s.header_row}"
        if s.across > 1:
            titles = f"{_quoted(s.name)}!$A:$A,{titles}"
        defined.append(f'<definedName name="_xlnm.Print_Titles" localSheetId="{n}">{titles}</definedName>')
    return (
        f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_DOCUMENT_RELS}">'
        f"<sheets>{names}</sheets><definedNames>{''.join(defined)}</definedNames></workbook>"
    )


def _workbook_rels(count: int) -> str:
    sheets = "".join(
        f'<Relationship Id="rId{n}" Type="{_DOCUMENT_RELS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, count + 1)
    )
    return (
        f'{_XML}<Relationships xmlns="{_PACKAGE_RELS}">{sheets}'
        f'<Relationship Id="rId{count + 1}" Type="{_DOCUMENT_RELS}/styles" Target="styles.xml"/>'
        "</Relationships>"
    )


def _sheet_head(sheet: Sheet, header_row: int) -> str:
    cols = "".join(
        f'<col min="{n}" max="{n}" width="{w}" customWidth="1"/>' for n, w in enumerate(sheet.widths, start=1)
    )
    return (
        f'{_XML}<worksheet xmlns="{_MAIN}" xmlns:r="{_DOCUMENT_RELS}">'
        '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
        f'<sheetViews><sheetView workbookViewId="0"><pane ySplit="{header_row}" '
        f'topLeftCell="A{header_row + 1}" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="{ROW_HEIGHT}" customHeight="1"/>'
        + (f"<cols>{cols}</cols>" if cols else "")
        + "<sheetData>"
    )


def _lines(value, width: float) -> int:
    """How many lines ``value`` wraps to in a column ``width`` characters wide (an estimate on the tall side)."""
    if value.__class__ is not str:
        return 1
    room = max(width - 1, 1)  # the cell's padding
    if len(value) * 2 <= room and "\n" not in value:  # the common short cell: no encoding needed
        return 1
    lines = 0
    for part in value.split("\n"):
        # UTF-8 takes 3 bytes for a CJK character and 1 for ASCII: (bytes + characters) / 2 counts them 2 and 1
        units = (len(part.encode()) + len(part)) / 2
        lines += max(1, math.ceil(units / room))
    return lines


def _row_height(row: Sequence, widths: Sequence[float]) -> float | None:
    """The height of a row whose text wraps; None for a one-line row (the sheet's default height)."""
    lines = max(map(_lines, row, widths), default=1)
    return lines * LINE_HEIGHT + 4 if lines > 1 else None


def _row(cells: str, height: float | None) -> str:
    return f'<row ht="{height}" customHeight="1">{cells}</row>' if height else f"<row>{cells}</row>"


class _Pages:
    """The sheet's pages, counted as its rows are written, with a manual break where a page is full.

    LibreOffice counts "&N" over the whole printed workbook (its print job gives every sheet the job's page
    count), so a one-page sheet of a four-sheet workbook said "第 1 页 共 5 页". A sheet of a workbook of
    several sheets therefore breaks its own pages (every row height is known: the default, or the one set for
    wrapped text) and prints its own count, its numbers starting at 1; a workbook of one sheet keeps "&N".
    """

    def __init__(self, sheet: Sheet, header_height: float, title_height: float):
        self.room = PAGE_ROOM[sheet.landscape]
        self.header_height = header_height
        self.used = title_height + header_height
        self.rows_on_page = 0
        self.breaks: list[int] = []
        self.count = 1

    def add(self, row_number: int, height: float) -> None:
        if self.rows_on_page and self.used + height > self.room:
            self.breaks.append(row_number - 1)  # the break falls after the previous row
            self.count += 1
            self.used, self.rows_on_page = self.header_height, 0
        self.used += height
        self.rows_on_page += 1

    def footer(self, across: int = 1) -> str:
        if self.count > MAX_BREAKS:
            return PAGE_FOOTER  # more pages than Excel keeps breaks: the number alone, never a wrong count
        return SHEET_FOOTER.format(pages=self.count * across)

    def xml(self) -> str:
        if not self.breaks or self.count > MAX_BREAKS:
            return ""
        breaks = "".join(f'<brk id="{n}" max="16383" man="1"/>' for n in self.breaks)
        return f'<rowBreaks count="{len(self.breaks)}" manualBreakCount="{len(self.breaks)}">{breaks}</rowBreaks>'


def _validations(sheet: Sheet, header_row: int, lists: dict[int, str]) -> str:
    if not sheet.choices:
        return ""
    items = []
    for column, source in sorted(lists.items()):
        letter = get_column_letter(column + 1)
        items.append(
            '<dataValidation type="list" allowBlank="1" showInputMessage="1" showErrorMessage="1" '
            f'error="{NOT_A_CHOICE}" sqref="{letter}{header_row + 1}:{letter}{VALIDATION_ROWS}">'
            f"<formula1>{_text(source)}</formula1></dataValidation>"
        )
    return f'<dataValidations count="{len(items)}">{"".join(items)}</dataValidations>'


def pages_across(widths: Sequence[float]) -> int:
    """How many pages across a table of ``widths`` prints over at 9 pt or more: one when it fits
    ``NINE_POINT_WIDTH``, else the fewest that hold it with its first column repeated on each."""
    total = sum(widths)
    if total <= NINE_POINT_WIDTH:
        return 1
    first = widths[0]
    return math.ceil((total - first) / (NINE_POINT_WIDTH - first))


def _sheet_tail(
    sheet: Sheet, width: int, merges: list[str], footer: str, breaks: str, validations: str, across: int = 1
) -> str:
    if sheet.title_row and width > 1:
        merges = [f"A1:{get_column_letter(width)}1", *merges]
    merge = "".join(f'<mergeCell ref="{ref}"/>' for ref in merges)
    merge = f'<mergeCells count="{len(merges)}">{merge}</mergeCells>' if merges else ""
    header = ""
    if sheet.title and not sheet.title_row:
        header += f"&amp;C{_header_footer_text(sheet.title)}"
    if sheet.status:
        header += f"&amp;R{_header_footer_text(sheet.status)}"
    header = f"<oddHeader>{header}</oddHeader>" if header else ""
    orientation = "landscape" if sheet.landscape else "portrait"
    return (
        f"</sheetData>{merge}{validations}"
        '<printOptions horizontalCentered="1"/>'
        '<pageMargins left="0.4" right="0.4" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        f'<pageSetup paperSize="9" firstPageNumber="1" orientation="{orientation}" '
        f'useFirstPageNumber="1" fitToWidth="{across}" fitToHeight="0"/>'
        f"<headerFooter>{header}<oddFooter>&amp;C{_text(footer)}</oddFooter>"
        f"</headerFooter>{breaks}</worksheet>"
    )


def _sheet_name(title: str) -> str:
    return _NOT_IN_SHEET_TITLE.sub("", UNWRITABLE.sub("", title))[:31] or "Sheet"


def _write_sheet(
    member, sheet: Sheet, name: str, progress, written: int, paginate: bool, lists: dict[int, str]
) -> tuple[_Written, int]:
    rows = iter(sheet.rows)
    header = next(rows, None) or []
    width = max(len(header), 1)
    widths = [*sheet.widths, *[DEFAULT_WIDTH] * (width - len(sheet.widths))][:width]
    header_row = 2 if sheet.title_row else 1
    member.write(_sheet_head(sheet, header_row).encode())
    if sheet.title_row:
        title = _cell(sheet.title, f' s="{_TITLE}"') + f'<c s="{_TITLE}"/>' * (width - 1)
        member.write(_row(title, TITLE_HEIGHT).encode())
    header_height = _row_height(header, widths)
    member.write(_row("".join(_cell(h, f' s="{_HEADER}"') for h in header), header_height).encode())
    pages = _Pages(sheet, header_height or ROW_HEIGHT, TITLE_HEIGHT if sheet.title_row else 0)
    formats = [f or GENERAL for f in [*sheet.formats, *[GENERAL] * (width - len(sheet.formats))][:width]]
    body = [f' s="{_body_style(f, bold=False)}"' for f in formats]
    bold = [f' s="{_body_style(f, bold=True)}"' for f in formats]
    example = [f' s="{_EXAMPLE}"'] * width
    padding = [None] * width
    last_row = header_row
    merges: list[str] = []
    buffer: list[str] = []
    if sheet.empty:
        rows = _or_note(rows, sheet.empty)
    for row in rows:
        last_row += 1
        styles = body
        if isinstance(row, Total):
            styles = bold
            if row.merge:
                first, last = (get_column_letter(n) for n in row.merge)
                merges.append(f"{first}{last_row}:{last}{last_row}")
        elif isinstance(row, Example):
            styles = example
        row_widths = widths
        if isinstance(row, Note):  # one sentence over the whole table's width
            merges.append(f"A{last_row}:{get_column_letter(width)}{last_row}")
            row_widths = [sum(widths)]
        if len(row) < width:
            row = [*row, *padding[len(row) :]]
        height = _row_height(row, row_widths)
        if paginate:
            pages.add(last_row, height or ROW_HEIGHT)
        buffer.append(_row("".join(map(_cell, row, styles)), height))
        if len(buffer) == PROGRESS_EVERY:
            member.write("".join(buffer).encode())
            buffer.clear()
        if sheet.counts_progress:
            written += 1
            if written % PROGRESS_EVERY == 0:
                progress(written)
    across = pages_across(widths)
    footer = pages.footer(across) if paginate else FOOTER
    validations = _validations(sheet, header_row, lists)
    tail = _sheet_tail(sheet, width, merges, footer, pages.xml(), validations, across)
    member.write(("".join(buffer) + tail).encode())
    return _Written(name, header_row, last_row, width, across=across), written


def _or_note(rows, text: str):
    """``rows``, or a ``Note`` saying ``text`` when there are none."""
    empty = True
    for row in rows:
        empty = False
        yield row
    if empty:
        yield Note([text])


def _choice_sources(sheets: Sequence[Sheet]) -> tuple[list[dict[int, str]], list[list[str]]]:
    """Each sheet's drop-down lists as data-validation sources: a short list written inline ("a,b"), a long one
    (Excel takes at most 255 characters inline) as a column of the hidden sheet 选项."""
    sources, columns = [], []
    for sheet in sheets:
        lists = {}
        for column, choices in (sheet.choices or {}).items():
            inline = '"' + ",".join(choices) + '"'
            if len(inline) <= 255 and not any("," in c or '"' in c for c in choices):
                lists[column] = inline
            else:
                columns.append(list(choices))
                letter = get_column_letter(len(columns))
                lists[column] = f"{_quoted(CHOICES_SHEET)}!${letter}$1:${letter}${len(choices)}"
        sources.append(lists)
    return sources, columns


def _choices_sheet(member, columns: list[list[str]]) -> _Written:
    member.write(f'{_XML}<worksheet xmlns="{_MAIN}"><sheetData>'.encode())
    for number in range(max(map(len, columns))):
        cells = "".join(_cell(c[number] if number < len(c) else None) for c in columns)
        member.write(f"<row>{cells}</row>".encode())
    member.write(b"</sheetData></worksheet>")
    return _Written(CHOICES_SHEET, 1, max(map(len, columns)), len(columns), hidden=True)


def write_workbook(target, sheets: Sequence[Sheet], progress: Callable[[int], None] = lambda n: None) -> int:
    """Write ``sheets`` to ``target`` (a path or a binary file); returns the data rows (header excluded) of
    the sheets that count progress."""
    written = 0
    tables: list[_Written] = []
    sources, choice_columns = _choice_sources(sheets)
    count = len(sheets) + bool(choice_columns)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _content_types(count))
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(count))
        archive.writestr("xl/styles.xml", STYLES)
        for number, (sheet, lists) in enumerate(zip(sheets, sources, strict=True), start=1):
            with archive.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=True) as member:
                table, written = _write_sheet(
                    member, sheet, _sheet_name(sheet.name), progress, written, len(sheets) > 1, lists
                )
                tables.append(table)
        if choice_columns:
            with archive.open(f"xl/worksheets/sheet{count}.xml", "w") as member:
                tables.append(_choices_sheet(member, choice_columns))
        # Last: the print areas need each table's last row.
        archive.writestr("xl/workbook.xml", _workbook(tables))
    progress(written)
    return written


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """The workbook of ``sheets`` in memory, for a download built within the request."""
    buffer = BytesIO()
    write_workbook(buffer, sheets)
    return buffer.getvalue()


def status_as_of(day: date) -> str:
    """The status line of an export of live data: the day its figures were read."""
    return f"数据截至 {day.year}年{day.month}月{day.day}日"
