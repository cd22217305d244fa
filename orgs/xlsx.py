"""A minimal streaming xlsx writer for large exports (a year of ledger: 200,000+ rows; ten years of cases).

openpyxl's write-only mode serialises each cell through an XML tree writer (a few thousand rows a second
here); this writes each sheet's XML text straight into its zip member, row by row, so memory stays flat and
a year is written in seconds. Strings are inline strings, numbers are numbers; every value passes through
``orgs.excel.safe_value`` (formula neutralising), and characters XML 1.0 forbids are dropped. Each sheet
prints like the platform's other workbooks (``orgs.excel.print_setup``): A4, one page wide, the first row
bold, frozen and repeated on every printed page.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from orgs.excel import safe_value

PROGRESS_EVERY = 2000
# XML escapes and the characters XML 1.0 forbids (dropped), in one str.translate: the hot path of the writer.
_FORBIDDEN = [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF]
_XML_TEXT = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", **dict.fromkeys(_FORBIDDEN)}
)
_NOT_IN_SHEET_TITLE = re.compile(r"[\[\]:*?/\\]")
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOCUMENT_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"


@dataclass
class Sheet:
    """One sheet: ``rows`` starts with the header row. ``widths`` are column widths in characters."""

    title: str
    rows: Iterable[Sequence]
    widths: Sequence[float] = ()
    landscape: bool = True
    counts_progress: bool = True  # its data rows are what the progress bar counts


ROOT_RELS = (
    f'{_XML}<Relationships xmlns="{_PACKAGE_RELS}">'
    f'<Relationship Id="rId1" Type="{_DOCUMENT_RELS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
STYLES = (
    f'{_XML}<styleSheet xmlns="{_MAIN}">'
    '<fonts count="2"><font><sz val="11"/><name val="宋体"/></font>'
    '<font><b/><sz val="11"/><name val="宋体"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _cell(value, style: str = "") -> str:
    if value.__class__ is str:  # most cells: checked first
        if not value:
            return "<c/>"
        return f'<c t="inlineStr"{style}><is><t xml:space="preserve">{_text(safe_value(value))}</t></is></c>'
    if value is None:
        return "<c/>"
    if isinstance(value, bool):
        return f'<c t="b"{style}><v>{int(value)}</v></c>'
    if isinstance(value, int | float | Decimal):
        return f"<c{style}><v>{value}</v></c>"
    text = value.isoformat() if isinstance(value, datetime | date) else str(value)
    return f'<c t="inlineStr"{style}><is><t xml:space="preserve">{_text(safe_value(text))}</t></is></c>'


def _text(value: str) -> str:
    return value.translate(_XML_TEXT)


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


def _workbook(titles: list[str]) -> str:
    sheets = "".join(
        f'<sheet name="{_text(t)}" sheetId="{n}" r:id="rId{n}"/>' for n, t in enumerate(titles, start=1)
    )
    quoted = ["'" + _text(t).replace("'", "''") + "'" for t in titles]
    print_titles = "".join(
        f'<definedName name="_xlnm.Print_Titles" localSheetId="{n}">{q}!$1:$1</definedName>'
        for n, q in enumerate(quoted)
    )
    return (
        f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_DOCUMENT_RELS}">'
        f"<sheets>{sheets}</sheets><definedNames>{print_titles}</definedNames></workbook>"
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


def _sheet_head(sheet: Sheet) -> str:
    cols = "".join(
        f'<col min="{n}" max="{n}" width="{w}" customWidth="1"/>' for n, w in enumerate(sheet.widths, start=1)
    )
    return (
        f'{_XML}<worksheet xmlns="{_MAIN}" xmlns:r="{_DOCUMENT_RELS}">'
        '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
        'state="frozen"/></sheetView></sheetViews>' + (f"<cols>{cols}</cols>" if cols else "") + "<sheetData>"
    )


def _sheet_tail(sheet: Sheet) -> str:
    orientation = "landscape" if sheet.landscape else "portrait"
    return (
        '</sheetData><printOptions horizontalCentered="1"/>'
        '<pageMargins left="0.4" right="0.4" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        f'<pageSetup paperSize="9" orientation="{orientation}" fitToWidth="1" fitToHeight="0"/></worksheet>'
    )


def _sheet_title(title: str) -> str:
    return _NOT_IN_SHEET_TITLE.sub("", title.translate(dict.fromkeys(_FORBIDDEN)))[:31] or "Sheet"


def write_workbook(path, sheets: Sequence[Sheet], progress: Callable[[int], None]) -> int:
    """Write ``sheets`` to ``path``; returns the data rows (header excluded) of the sheets that count progress."""
    written = 0
    titles = [_sheet_title(sheet.title) for sheet in sheets]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _content_types(len(sheets)))
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", _workbook(titles))
        archive.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets)))
        archive.writestr("xl/styles.xml", STYLES)
        for number, sheet in enumerate(sheets, start=1):
            with archive.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=True) as member:
                member.write(_sheet_head(sheet).encode())
                rows = iter(sheet.rows)
                header = next(rows, None)
                if header is not None:
                    member.write(("<row>" + "".join(_cell(h, ' s="1"') for h in header) + "</row>").encode())
                buffer: list[str] = []
                for row in rows:
                    buffer.append("<row>" + "".join(map(_cell, row)) + "</row>")
                    if len(buffer) == PROGRESS_EVERY:
                        member.write("".join(buffer).encode())
                        buffer.clear()
                    if sheet.counts_progress:
                        written += 1
                        if written % PROGRESS_EVERY == 0:
                            progress(written)
                member.write(("".join(buffer) + _sheet_tail(sheet)).encode())
    progress(written)
    return written
