"""Official documents (.docx) laid out after GB/T 9704-2012《党政机关公文格式》, written with python-docx.

Page (GB/T 9704 5.2): A4; 版心 156 mm × 225 mm, so the margins are top 37 mm, bottom 35 mm, left 28 mm,
right 26 mm; 22 lines of 28 characters (a document grid of 28.95 pt lines). Fonts (7.3, 7.3.1): the title
2号小标宋 (22 pt, 方正小标宋简体), the body 3号仿宋 (16 pt, 仿宋_GB2312), headings 黑体 (一、), 楷体 (（一）),
仿宋 bold (1.); page numbers 4号 (14 pt) "— 1 —" below the 版心.

A notice's wording lives in its app as a text template (``render_template``): one paragraph a line, and a
line starting with ``@`` places an element of the layout:

    @masthead 发文机关标志     @number 发文字号       @title 标题          @to 主送机关：
    @h1 一、…  @h2 （一）…  @h3 1.…                  @attachments 附件：…  @signature 发文机关署名
    @date 成文日期            @newpage              @annex 附件           @table <name>
    @record 抄送机关 | 印发机关 | 印发日期 (版记)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from io import BytesIO

from django.template.loader import render_to_string
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from docx.shared import Emu, Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from lxml import etree

from .excel import UNWRITABLE

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
TOP, BOTTOM, LEFT, RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)  # 版心 156 × 225 mm
TEXT_WIDTH = Emu(PAGE_WIDTH - LEFT - RIGHT)  # 156 mm = 442.2 pt
LINES, CHARACTERS = 22, 28
LINE_PITCH = Pt(28.95)  # 225 mm / 22 lines

TITLE_FONT, TITLE_SIZE = "方正小标宋简体", Pt(22)  # 2号小标宋
BODY_FONT, BODY_SIZE = "仿宋_GB2312", Pt(16)  # 3号仿宋
HEI, KAI = "黑体", "楷体_GB2312"
PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE = "宋体", Pt(14)  # 4号半角宋体
RECORD_SIZE = Pt(14)  # 版记 4号仿宋 (7.4.1)
TABLE_SIZE = Pt(12)
MASTHEAD_SIZE = Pt(36)  # the largest 发文机关标志; a longer name is set smaller so it stays on one line
RED = RGBColor(0xFF, 0x00, 0x00)
INDENT = BODY_SIZE * 2  # 首行缩进二字
# 28 characters of 3号 need 448 pt, the 版心 is 442.2 pt wide: each character is set 0.25 pt closer (as Word's
# character grid does), so 28 fit a line in Word and in LibreOffice alike. LibreOffice's character grid would
# give a 16 pt character two cells of 15.8 pt (14 a line), so the grid is a line grid only.
BODY_SPACING_TWIPS = -5  # twentieths of a point
CELL_PADDING = Pt(10.8)  # Word's default left and right cell margins (0.19 cm each)

# Fonts a Chinese office PC has, and the Debian face (fonts-noto-cjk) used where one is missing: named as
# w:altName in the font table, which Word and LibreOffice take as the substitute. Never a Japanese face.
SERIF_SC, SANS_SC = "Noto Serif CJK SC", "Noto Sans CJK SC"
FONT_SUBSTITUTES = {
    TITLE_FONT: SERIF_SC,
    BODY_FONT: SERIF_SC,
    KAI: SERIF_SC,
    PAGE_NUMBER_FONT: SERIF_SC,
    HEI: SANS_SC,
}
GB2312_CHARSET = "86"  # the font table's charset of a Simplified Chinese face
# 版记's 分隔线 (7.4.1), in eighths of a point: thick 0.35 mm, thin 0.25 mm.
RULE_THICK, RULE_THIN = 8, 6
# A DrawingML text box (Word 2010's wordprocessingShape, which LibreOffice reads too), centred on the 版心 and
# aligned to its bottom, the text below it and above it but never beside it; its text set at its bottom edge.
FOOT_BOX = """<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
 xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
 xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
 xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><w:drawing>
<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" behindDoc="0" locked="1"
 layoutInCell="1" allowOverlap="0"><wp:simplePos x="0" y="0"/>
<wp:positionH relativeFrom="margin"><wp:align>center</wp:align></wp:positionH>
<wp:positionV relativeFrom="margin"><wp:align>bottom</wp:align></wp:positionV>
<wp:extent cx="{width}" cy="{height}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapTopAndBottom/>
<wp:docPr id="1" name="版记"/><wp:cNvGraphicFramePr/>
<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>
<wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{width}" cy="{height}"/></a:xfrm>
<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>
<wps:txbx><w:txbxContent/></wps:txbx><wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="0" rIns="0"
 bIns="0" anchor="b" anchorCtr="0"><a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic>
</wp:anchor></w:drawing></w:r>"""


def _set_font(r_pr_owner, name: str) -> None:
    """Chinese text takes the East Asian font: set it with the Latin ones."""
    fonts = r_pr_owner.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), name)


# The order of a paragraph's properties in the schema (ECMA-376 CT_PPrBase, then CT_PPr).
_PPR_ORDER = (
    "w:pStyle w:keepNext w:keepLines w:pageBreakBefore w:framePr w:widowControl w:numPr "
    "w:suppressLineNumbers w:pBdr w:shd w:tabs w:suppressAutoHyphens w:kinsoku w:wordWrap "
    "w:overflowPunct w:topLinePunct w:autoSpaceDE w:autoSpaceDN w:bidi w:adjustRightInd w:snapToGrid "
    "w:spacing w:ind w:contextualSpacing w:mirrorIndents w:suppressOverlap w:jc w:textDirection "
    "w:textAlignment w:textboxTightWrap w:outlineLvl w:divId w:cnfStyle w:rPr w:sectPr w:pPrChange"
).split()


def _ppr_add(paragraph, element) -> None:
    """Insert ``element`` into the paragraph's properties at its place in the schema's order."""
    p_pr = paragraph._p.get_or_add_pPr()
    tag = "w:" + element.tag.split("}")[1]
    p_pr.insert_element_before(element, *_PPR_ORDER[_PPR_ORDER.index(tag) + 1 :])


def _element(tag: str, **attributes) -> OxmlElement:
    element = OxmlElement(tag)
    for key, value in attributes.items():
        element.set(qn(f"w:{key}"), str(value))
    return element


def text_width(text: str, size) -> float:
    """The width in pt of ``text`` set at ``size``: a Chinese character is one em, a Latin one about half."""
    return sum(1 if ord(ch) > 0x2E7F else 0.55 for ch in text) * size.pt


@dataclass
class Table:
    """A table of the document: ``header`` then ``rows``; ``bold`` the indexes of rows printed bold.

    Without ``widths`` the columns are sized to their content: no body cell wraps (a unit's name stays on one
    line), and what is left of the 版心's width goes to the columns whose header would wrap most."""

    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    widths: Sequence[float] = ()  # mm, summing to at most the 156 mm of the 版心
    bold: set[int] = field(default_factory=set)
    aligns: Sequence[str] = ()  # "left" | "center" | "right" per column; centre by default

    def column_widths(self) -> list[float]:
        """The columns' widths in pt, summing to the 版心's width."""
        total = TEXT_WIDTH.pt
        if self.widths:
            return [Mm(w).pt for w in self.widths]

        def need(text) -> float:
            return text_width("" if text is None else str(text), TABLE_SIZE) + CELL_PADDING.pt + 2

        body = [max((need(row[c]) for row in self.rows), default=0) for c in range(len(self.header))]
        header = [need(h) for h in self.header]
        # a body cell never wraps, a header of up to four characters neither (the floor); a longer header wraps
        # onto two lines, or more when the page is too narrow for that
        short = need("四个汉字")
        floor = [max(b, h if h <= short else 0) for b, h in zip(body, header, strict=True)]
        widths = [max(f, h / 2 + CELL_PADDING.pt / 2) for f, h in zip(floor, header, strict=True)]
        spare = total - sum(widths)
        if spare < 0:
            slack = [w - f for w, f in zip(widths, floor, strict=True)]
            if sum(slack) >= -spare:
                return [w + spare * s / sum(slack) for w, s in zip(widths, slack, strict=True)]
            return [w * total / sum(widths) for w in widths]
        wants = [max(h - w, 0) for h, w in zip(header, widths, strict=True)]
        if sum(wants):
            widths = [w + spare * want / sum(wants) for w, want in zip(widths, wants, strict=True)]
        else:
            widths = [w + spare / len(widths) for w in widths]
        return widths


class OfficialDocument:
    def __init__(self):
        self.document = Document()
        self._page()
        self._styles()
        self._language_and_fonts()
        self._page_numbers()

    # --- page and styles -------------------------------------------------------------------------------

    def _page(self) -> None:
        section = self.document.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.top_margin, section.bottom_margin = TOP, BOTTOM
        section.left_margin, section.right_margin = LEFT, RIGHT
        section.header_distance = Mm(15)
        section.footer_distance = Mm(21)  # the page number's line 7 mm below the 版心 (GB/T 9704 7.5)
        grid = section._sectPr.find(qn("w:docGrid"))
        if grid is None:
            grid = section._sectPr.makeelement(qn("w:docGrid"), {})
            section._sectPr.append(grid)
        # 22 lines: a line grid whose pitch is the 版心's height / 22, in twentieths of a point. The 28
        # characters come from the body's character spacing (BODY_SPACING_TWIPS), not from a character grid.
        for attribute in list(grid.attrib):
            del grid.attrib[attribute]
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(round(LINE_PITCH.pt * 20)))

    def _styles(self) -> None:
        normal = self.document.styles["Normal"]
        normal.font.size = BODY_SIZE
        _set_font(normal.element, BODY_FONT)
        normal.element.get_or_add_rPr().insert_element_before(
            _element("w:spacing", val=BODY_SPACING_TWIPS), "w:w", "w:kern", "w:position", "w:sz"
        )
        fmt = normal.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = LINE_PITCH
        fmt.widow_control = False

    def _language_and_fonts(self) -> None:
        """Chinese text tagged zh-CN (the default of the styles and of the theme's fonts), the default fonts
        named rather than taken from the template's theme (whose East Asian face is Japanese), and a font
        table naming each Chinese font with its substitute."""
        styles = self.document.styles.element
        defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        fonts = defaults.find(qn("w:rFonts"))
        for attribute in list(fonts.attrib):
            del fonts.attrib[attribute]
        for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attribute), BODY_FONT)
        language = defaults.find(qn("w:lang"))
        language.set(qn("w:val"), "en-US")
        language.set(qn("w:eastAsia"), "zh-CN")
        settings = self.document.settings.element
        theme_language = settings.find(qn("w:themeFontLang"))
        theme_language.set(qn("w:eastAsia"), "zh-CN")
        # 单页码居右、双页码居左 (7.5): different footers on odd and even pages.
        self.document.settings.odd_and_even_pages_header_footer = True
        part = self.document.part.part_related_by(RT.FONT_TABLE)  # a plain part: edit its XML
        table = parse_xml(part.blob)
        for font in list(table):
            table.remove(font)
        for name, substitute in FONT_SUBSTITUTES.items():
            font = _element("w:font", name=name)
            font.append(_element("w:altName", val=substitute))
            font.append(_element("w:charset", val=GB2312_CHARSET))
            font.append(_element("w:family", val="swiss" if substitute == SANS_SC else "roman"))
            font.append(_element("w:pitch", val="variable"))
            table.append(font)
        part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)

    def _page_numbers(self) -> None:
        """ "— 1 —" in 4号半角宋体 on the outer side, one character in from the 版心's edge (7.5)."""
        section = self.document.sections[0]
        for footer, align, side in (
            (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right_indent"),
            (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left_indent"),
        ):
            footer.is_linked_to_previous = False
            paragraph = footer.paragraphs[0]
            paragraph.alignment = align
            setattr(paragraph.paragraph_format, side, PAGE_NUMBER_SIZE)
            self._run(paragraph, "— ", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
            run = self._run(paragraph, "", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
            run._r.append(_element("w:fldChar", fldCharType="begin"))
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = " PAGE "
            run._r.append(instruction)
            run._r.append(_element("w:fldChar", fldCharType="end"))
            self._run(paragraph, " —", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)

    # --- elements --------------------------------------------------------------------------------------

    @staticmethod
    def _run(paragraph, text: str, font: str, size, bold: bool = False, color=None):
        run = paragraph.add_run(UNWRITABLE.sub("", text))  # what XML cannot hold (orgs.excel)
        run.font.size = size
        run.font.bold = bold or None
        if color is not None:
            run.font.color.rgb = color
        _set_font(run._r, font)
        return run

    def _paragraph(self, text: str = "", *, font=BODY_FONT, size=BODY_SIZE, align=None, bold=False, **fmt):
        paragraph = self.document.add_paragraph()
        if align is not None:
            paragraph.alignment = align
        for key, value in fmt.items():
            setattr(paragraph.paragraph_format, key, value)
        if text:
            self._run(paragraph, text, font, size, bold=bold)
        return paragraph

    def blank(self) -> None:
        self._paragraph()

    def masthead(self, issuer: str) -> None:
        """发文机关标志 (GB/T 9704 7.2.3): red 小标宋, centred, on one line: at most 36 pt, smaller when the
        name would not fit the 版心's width (13 characters at 36 pt are 468 pt in 442 pt)."""
        fitting = (TEXT_WIDTH.pt - 4) / max(len(issuer), 1)
        size = Pt(min(MASTHEAD_SIZE.pt, int(fitting)))
        paragraph = self._paragraph(align=WD_ALIGN_PARAGRAPH.CENTER, line_spacing=Pt(size.pt * 1.6))
        _ppr_add(paragraph, _element("w:snapToGrid", val=0))
        run = self._run(paragraph, issuer, TITLE_FONT, size, color=RED)
        run._r.get_or_add_rPr().insert_element_before(
            _element("w:spacing", val=0), "w:w", "w:kern", "w:position", "w:sz"
        )
        self.blank()

    def number(self, text: str) -> None:
        """发文字号 (7.2.4) centred, then the red separator line (7.2.6) across the 版心. A paper not yet issued
        leaves the number for the office to fill: 〔　　〕　号."""
        paragraph = self._paragraph(text, align=WD_ALIGN_PARAGRAPH.CENTER)
        borders = _element("w:pBdr")
        borders.append(_element("w:bottom", val="single", sz=18, space=8, color="FF0000"))
        _ppr_add(paragraph, borders)
        self.blank()

    def title(self, text: str) -> None:
        """标题 (7.3.1): 2号小标宋, centred."""
        paragraph = self._paragraph(text, font=TITLE_FONT, size=TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)
        _ppr_add(paragraph, _element("w:snapToGrid", val=0))
        self.blank()

    def addressee(self, text: str) -> None:
        """主送机关 (7.3.2): flush left, one line below the title."""
        self._paragraph(text)

    def body(self, text: str) -> None:
        self._paragraph(text, first_line_indent=INDENT, align=WD_ALIGN_PARAGRAPH.JUSTIFY)

    def heading(self, text: str, level: int) -> None:
        """结构层次序数 (7.3.3): 一、黑体; （一）楷体; 1. 仿宋 bold."""
        font, bold = {1: (HEI, False), 2: (KAI, False), 3: (BODY_FONT, True)}[level]
        self._paragraph(text, font=font, bold=bold, first_line_indent=INDENT)

    def attachments(self, text: str) -> None:
        """附件说明 (7.3.4): one line below the body, indented two characters."""
        self.blank()
        self._paragraph(text, first_line_indent=INDENT)

    def signature(self, text: str) -> None:
        """发文机关署名 (7.3.5.2): over the date, right, about four characters in."""
        self.blank()
        self.blank()
        self._paragraph(text, align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent=BODY_SIZE * 4)

    def date(self, text: str) -> None:
        """成文日期 (7.3.5): 右空四字."""
        self._paragraph(text, align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent=BODY_SIZE * 4)

    def new_page(self) -> None:
        self._paragraph().add_run().add_break(WD_BREAK.PAGE)

    def annex(self, label: str) -> None:
        """附件 (7.3.7): a new page, 附件 in 黑体 at the top left."""
        self.new_page()
        self._paragraph(label, font=HEI)
        self.blank()

    def record(self, copy_to: str, printer: str, printed_on: str) -> None:
        """版记 (7.4) at the foot of the last page: 抄送机关 (7.4.2) and 印发机关 / 印发日期 (7.4.3) in 4号仿宋, one
        character in from each side, between 分隔线 of the 版心's width — the first and the last thick, the one
        between thin — the last on the 版心's lower edge (7.4.1).

        A one-column table (its cell borders are the 分隔线, its cell margins the one character) in a text box
        anchored to the bottom of the 版心, on the page where the text before it ends (or the next, where it
        no longer fits there)."""
        rows = [f"抄送：{copy_to}"] if copy_to else []
        rows.append(f"{printer}\t{printed_on}印发")
        grid = self.document.add_table(rows=0, cols=1)
        grid.autofit = False
        width = round(TEXT_WIDTH.pt * 20)
        grid._tbl.tblGrid.find(qn("w:gridCol")).set(qn("w:w"), str(width))
        table_properties = grid._tbl.tblPr
        for tag in ("w:tblW", "w:tblInd"):
            if (old := table_properties.find(qn(tag))) is not None:
                table_properties.remove(old)
        margins = _element("w:tblCellMar")
        for side in ("left", "right"):
            margins.append(_element(f"w:{side}", w=round(RECORD_SIZE.pt * 20), type="dxa"))
        # In the schema's order (CT_TblPr): tblW, jc, tblCellSpacing, tblInd, tblBorders, shd, tblLayout, tblCellMar.
        for element in (
            _element("w:tblW", w=width, type="dxa"),
            # Word 2010's layout (the template's compatibility mode) puts the table's edge at tblInd less the
            # left cell margin: indented by that margin, the 分隔线 start at the 版心's edge.
            _element("w:tblInd", w=round(RECORD_SIZE.pt * 20), type="dxa"),
            margins,
        ):
            table_properties.insert_element_before(element, "w:tblLook", "w:tblCaption", "w:tblDescription")
        lines = 0
        for index, text in enumerate(rows):
            cell = grid.add_row().cells[0]
            cell.width = TEXT_WIDTH
            borders = _element("w:tcBorders")
            borders.append(
                _element("w:top", val="single", sz=RULE_THICK if index == 0 else RULE_THIN, color="000000")
            )
            if index == len(rows) - 1:
                borders.append(_element("w:bottom", val="single", sz=RULE_THICK, color="000000"))
            cell._tc.get_or_add_tcPr().append(borders)
            paragraph = cell.paragraphs[0]
            if text.startswith("抄送："):
                # 回行时与冒号后的首字对齐 (7.4.2): a hanging indent of the three characters of "抄送："
                paragraph.paragraph_format.left_indent = RECORD_SIZE * 3
                paragraph.paragraph_format.first_line_indent = -RECORD_SIZE * 3
            else:
                paragraph.paragraph_format.tab_stops.add_tab_stop(
                    Emu(TEXT_WIDTH - RECORD_SIZE * 2), WD_TAB_ALIGNMENT.RIGHT
                )
            self._run(paragraph, text, BODY_FONT, RECORD_SIZE)
            usable = TEXT_WIDTH.pt - RECORD_SIZE.pt * (5 if index < len(rows) - 1 else 2)
            lines += math.ceil(text_width(text.replace("\t", ""), RECORD_SIZE) / usable)
        self._in_a_box_at_the_foot(grid._tbl, height=Emu(int(LINE_PITCH * (lines + 1))))

    def _in_a_box_at_the_foot(self, block, *, height: Emu) -> None:
        """Move ``block`` (a table of the body) into a borderless text box of the 版心's width whose bottom is the
        版心's lower edge, its content set at the box's bottom; the box anchored in a paragraph of its own."""
        box = parse_xml(FOOT_BOX.format(width=int(TEXT_WIDTH), height=int(height)))
        content = box.find(".//" + qn("w:txbxContent"))
        content.append(block)  # taken out of the body
        # A story ends with a paragraph; this one is 1 pt high and off the grid, so the last 分隔线 stays down.
        closing = OxmlElement("w:p")
        content.append(closing)
        closing_paragraph = Paragraph(closing, self.document._body)
        closing_paragraph.paragraph_format.line_spacing = Pt(1)
        _ppr_add(closing_paragraph, _element("w:snapToGrid", val=0))
        self.document.add_paragraph()._p.append(box)

    def table(self, table: Table) -> None:
        """A table of the 版心's width, columns sized to their content; its text 小四 (12 pt), off the line grid
        so rows stay compact; the header row repeated on every page the table runs over."""
        widths = table.column_widths()
        grid = self.document.add_table(rows=0, cols=len(table.header))
        grid.style = self.document.styles["Table Grid"]
        grid.alignment = WD_TABLE_ALIGNMENT.CENTER
        grid.autofit = False
        for column, width in zip(grid._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
            column.set(qn("w:w"), str(round(width * 20)))
        aligns = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT}
        for index, values in enumerate([table.header, *table.rows]):
            row = grid.add_row()
            if index == 0:
                row._tr.get_or_add_trPr().append(_element("w:tblHeader"))
            for column, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
                cell.width = Pt(widths[column])
                paragraph = cell.paragraphs[0]
                align = table.aligns[column] if index and column < len(table.aligns) else "center"
                paragraph.alignment = aligns.get(align, WD_ALIGN_PARAGRAPH.CENTER)
                paragraph.paragraph_format.line_spacing = Pt(18)
                _ppr_add(paragraph, _element("w:snapToGrid", val=0))
                bold = index == 0 or (index - 1) in table.bold
                run = self._run(
                    paragraph, "" if value is None else str(value), BODY_FONT, TABLE_SIZE, bold=bold
                )
                run._r.get_or_add_rPr().insert_element_before(
                    _element("w:spacing", val=0), "w:w", "w:kern", "w:position", "w:sz"
                )

    # --- the template ------------------------------------------------------------------------------------

    def render_template(self, template: str, context: dict, tables: dict[str, Table]) -> None:
        """Lay out the app's text template (see the module docstring) rendered with ``context``."""
        text = render_to_string(template, context)
        simple = {
            "@masthead": self.masthead,
            "@number": self.number,
            "@title": self.title,
            "@to": self.addressee,
            "@attachments": self.attachments,
            "@signature": self.signature,
            "@date": self.date,
            "@annex": self.annex,
        }
        for raw in text.splitlines():
            line = raw.strip()
            if not line:
                continue
            command, _, rest = line.partition(" ")
            rest = rest.strip()
            if command in simple:
                simple[command](rest)
            elif command in ("@h1", "@h2", "@h3"):
                self.heading(rest, int(command[-1]))
            elif command == "@newpage":
                self.new_page()
            elif command == "@table":
                self.table(tables[rest])
            elif command == "@record":
                copy_to, printer, printed_on = (part.strip() for part in rest.split("|"))
                self.record(copy_to, printer, printed_on)
            else:
                self.body(line)

    def content(self) -> bytes:
        buffer = BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()
