"""The one workbook writer of the platform: every export, in a request or in the export worker.

An export describes its sheets (``Sheet``: title, header, rows with their 合计 and group rows, number formats,
column widths, status line); ``write_workbook`` turns them into an .xlsx that prints as an office expects:

- row 1 the title, merged and centred over the table (sheets without a title row — listings that are
  sorted, filtered or imported again — print it in the page header instead); then the header row, bold,
  centred, frozen and repeated on every printed page;
- thin borders on every cell of the table; 合计 and group rows bold; each column in its number format
  (``SCORE`` 0.00, ``WAN`` #,##0 for 万元 …);
- A4, landscape unless said otherwise, one page wide, centred, print area the table;
- page header: the status line (草稿 — 未经批复, 市政府批复 文号 日期 …); page footer "第 &P 页 共 &N 页".

The sheet XML is written as text straight into its zip member, row by row, so memory stays flat: a year
of ledger (200,000+ rows) is written in seconds, where openpyxl's writer serialises each cell through an
XML tree. Strings are inline strings, numbers are numbers; every value passes through
``orgs.excel.safe_value``, the one cell sanitiser (characters a workbook cannot hold, formulas).
"""

from __future__ import annotations

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


class Total(list):
    """A 合计 row: printed bold. ``merge=(first, last)`` joins those columns (1-based) of the row, for a
    total written as one sentence."""

    def __init__(self, values=(), merge: tuple[int, int] | None = None):
        super().__init__(values)
        self.merge = merge


class Group(Total):
    """A group row (第一组 … with its subtotals): printed bold."""


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

# Cell styles: 0 plain, 1 header, 2 title, then for each number format a body style and a bold one.
_PLAIN, _HEADER, _TITLE = 0, 1, 2


def _body_style(number_format: str, bold: bool) -> int:
    return 3 + 2 * _BUILTIN_FORMATS[number_format] + int(bold)


def _styles() -> str:
    middle = '<alignment vertical="center" wrapText="1"/>'
    centre = '<alignment horizontal="center" vertical="center" wrapText="1"/>'
    xfs = [
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="1" xfId="0" applyFont="1" applyBorder="1" '
        f'applyAlignment="1">{centre}</xf>',
        f'<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">{centre}</xf>',
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
        '<fonts count="3"><font><sz val="11"/><name val="宋体"/><charset val="134"/></font>'
        '<font><b/><sz val="11"/><name val="宋体"/><charset val="134"/></font>'
        '<font><b/><sz val="16"/><name val="宋体"/><charset val="134"/></font></fonts>'
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


def _workbook(sheets: list[_Written]) -> str:
    names = "".join(
        f'<sheet name="{_text(s.name)}" sheetId="{n}" r:id="rId{n}"/>' for n, s in enumerate(sheets, start=1)
    )
    defined = []
    for n, s in enumerate(sheets):
        quoted = "'" + _text(s.name).replace("'", "''") + "'"
        last_column = get_column_letter(s.width)
        defined.append(
            f'<definedName name="_xlnm.Print_Area" localSheetId="{n}">'
            f"{quoted}!$A$1:${last_column}${max(s.last_row, 1)}</definedName>"
        )
        defined.append(
            f'<definedName name="_xlnm.Print_Titles" localSheetId="{n}">'
            f"{quoted}!${s.header_row}:${s.header_row}</definedName>"
        )
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
        + (f"<cols>{cols}</cols>" if cols else "")
        + "<sheetData>"
    )


def _sheet_tail(sheet: Sheet, width: int, merges: list[str]) -> str:
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
        f"</sheetData>{merge}"
        '<printOptions horizontalCentered="1"/>'
        '<pageMargins left="0.4" right="0.4" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        f'<pageSetup paperSize="9" orientation="{orientation}" fitToWidth="1" fitToHeight="0"/>'
        f"<headerFooter>{header}<oddFooter>&amp;C{_text(FOOTER)}</oddFooter>"
        "</headerFooter></worksheet>"
    )


def _sheet_name(title: str) -> str:
    return _NOT_IN_SHEET_TITLE.sub("", UNWRITABLE.sub("", title))[:31] or "Sheet"


def _write_sheet(member, sheet: Sheet, name: str, progress, written: int) -> tuple[_Written, int]:
    rows = iter(sheet.rows)
    header = next(rows, None) or []
    width = max(len(header), 1)
    header_row = 2 if sheet.title_row else 1
    member.write(_sheet_head(sheet, header_row).encode())
    if sheet.title_row:
        title = _cell(sheet.title, f' s="{_TITLE}"') + f'<c s="{_TITLE}"/>' * (width - 1)
        member.write(f'<row ht="32" customHeight="1">{title}</row>'.encode())
    member.write(("<row>" + "".join(_cell(h, f' s="{_HEADER}"') for h in header) + "</row>").encode())
    formats = [f or GENERAL for f in [*sheet.formats, *[GENERAL] * (width - len(sheet.formats))][:width]]
    body = [f' s="{_body_style(f, bold=False)}"' for f in formats]
    bold = [f' s="{_body_style(f, bold=True)}"' for f in formats]
    padding = [None] * width
    last_row = header_row
    merges: list[str] = []
    buffer: list[str] = []
    for row in rows:
        last_row += 1
        styles = body
        if isinstance(row, Total):
            styles = bold
            if row.merge:
                first, last = (get_column_letter(n) for n in row.merge)
                merges.append(f"{first}{last_row}:{last}{last_row}")
        if len(row) < width:
            row = [*row, *padding[len(row) :]]
        buffer.append("<row>" + "".join(map(_cell, row, styles)) + "</row>")
        if len(buffer) == PROGRESS_EVERY:
            member.write("".join(buffer).encode())
            buffer.clear()
        if sheet.counts_progress:
            written += 1
            if written % PROGRESS_EVERY == 0:
                progress(written)
    member.write(("".join(buffer) + _sheet_tail(sheet, width, merges)).encode())
    return _Written(name, header_row, last_row, width), written


def write_workbook(target, sheets: Sequence[Sheet], progress: Callable[[int], None] = lambda n: None) -> int:
    """Write ``sheets`` to ``target`` (a path or a binary file); returns the data rows (header excluded) of
    the sheets that count progress."""
    written = 0
    tables: list[_Written] = []
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _content_types(len(sheets)))
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets)))
        archive.writestr("xl/styles.xml", STYLES)
        for number, sheet in enumerate(sheets, start=1):
            with archive.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=True) as member:
                table, written = _write_sheet(member, sheet, _sheet_name(sheet.name), progress, written)
                tables.append(table)
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
