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
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from io import BytesIO

from django.template.loader import render_to_string
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .excel import UNWRITABLE

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
TOP, BOTTOM, LEFT, RIGHT = Mm(37), Mm(35), Mm(28), Mm(26)  # 版心 156 × 225 mm
LINES, CHARACTERS = 22, 28
LINE_PITCH = Pt(28.95)  # 225 mm / 22 lines

TITLE_FONT, TITLE_SIZE = "方正小标宋简体", Pt(22)  # 2号小标宋
BODY_FONT, BODY_SIZE = "仿宋_GB2312", Pt(16)  # 3号仿宋
HEI, KAI = "黑体", "楷体_GB2312"
PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE = "宋体", Pt(14)  # 4号半角宋体
TABLE_SIZE = Pt(12)
MASTHEAD_SIZE = Pt(36)
RED = RGBColor(0xFF, 0x00, 0x00)
INDENT = BODY_SIZE * 2  # 首行缩进二字


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


@dataclass
class Table:
    """A table of the document: ``header`` then ``rows``; ``bold`` the indexes of rows printed bold."""

    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    widths: Sequence[float]  # mm, summing to at most the 156 mm of the 版心
    bold: set[int] = field(default_factory=set)
    aligns: Sequence[str] = ()  # "left" | "center" | "right" per column; centre by default


class OfficialDocument:
    def __init__(self):
        self.document = Document()
        self._page()
        self._styles()
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
        # 22 lines of 28 characters: line pitch in twentieths of a point; character pitch as the difference
        # from the font size in 1/4096 pt.
        width_pt = (PAGE_WIDTH - LEFT - RIGHT) / 12700
        grid.set(qn("w:type"), "linesAndChars")
        grid.set(qn("w:linePitch"), str(round(LINE_PITCH.pt * 20)))
        grid.set(qn("w:charSpace"), str(round((width_pt / CHARACTERS - BODY_SIZE.pt) * 4096)))

    def _styles(self) -> None:
        normal = self.document.styles["Normal"]
        normal.font.size = BODY_SIZE
        _set_font(normal.element, BODY_FONT)
        fmt = normal.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = LINE_PITCH
        fmt.widow_control = False

    def _page_numbers(self) -> None:
        footer = self.document.sections[0].footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._run(footer, "— ", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
        run = self._run(footer, "", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
        run._r.append(_element("w:fldChar", fldCharType="begin"))
        instruction = OxmlElement("w:instrText")
        instruction.set(qn("xml:space"), "preserve")
        instruction.text = " PAGE "
        run._r.append(instruction)
        run._r.append(_element("w:fldChar", fldCharType="end"))
        self._run(footer, " —", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)

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
        """发文机关标志 (GB/T 9704 7.2.3): red 小标宋, centred."""
        paragraph = self._paragraph(align=WD_ALIGN_PARAGRAPH.CENTER, line_spacing=Pt(60))
        self._run(paragraph, issuer, TITLE_FONT, MASTHEAD_SIZE, color=RED)
        self.blank()

    def number(self, text: str) -> None:
        """发文字号 (7.2.4) centred, then the red separator line (7.2.6) across the 版心."""
        paragraph = self._paragraph(text, align=WD_ALIGN_PARAGRAPH.CENTER)
        borders = _element("w:pBdr")
        borders.append(_element("w:bottom", val="single", sz=18, space=8, color="FF0000"))
        _ppr_add(paragraph, borders)
        self.blank()

    def title(self, text: str) -> None:
        """标题 (7.3.1): 2号小标宋, centred."""
        self._paragraph(text, font=TITLE_FONT, size=TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)
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

    def table(self, table: Table) -> None:
        """A table of the 版心's width; its text 小四 (12 pt), off the line grid so rows stay compact."""
        grid = self.document.add_table(rows=0, cols=len(table.header))
        grid.style = self.document.styles["Table Grid"]
        grid.alignment = WD_TABLE_ALIGNMENT.CENTER
        aligns = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT}
        for index, values in enumerate([table.header, *table.rows]):
            cells = grid.add_row().cells
            for column, (cell, value) in enumerate(zip(cells, values, strict=True)):
                cell.width = Mm(table.widths[column])
                paragraph = cell.paragraphs[0]
                align = table.aligns[column] if index and column < len(table.aligns) else "center"
                paragraph.alignment = aligns.get(align, WD_ALIGN_PARAGRAPH.CENTER)
                paragraph.paragraph_format.line_spacing = Pt(18)
                _ppr_add(paragraph, _element("w:snapToGrid", val=0))
                bold = index == 0 or (index - 1) in table.bold
                self._run(paragraph, "" if value is None else str(value), BODY_FONT, TABLE_SIZE, bold=bold)
        self.blank()

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
            else:
                self.body(line)

    def content(self) -> bytes:
        buffer = BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()
