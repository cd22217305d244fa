"""What a reader checks on a printed GB/T 9704 paper, read from its PDF (``pdf.Paper``)."""

from __future__ import annotations

import re

from .pdf import Line, Page, Paper

PT_PER_MM = 72 / 25.4
LEFT, RIGHT = 28 * PT_PER_MM, 26 * PT_PER_MM  # the 版心's margins (GB/T 9704 5.2.2)
BOTTOM = 35 * PT_PER_MM
BODY_SIZE = 16.0
PAGE_NUMBER = re.compile(r"^— (\d+) —$")


def page_number(page: Page) -> Line | None:
    return next((line for line in page.lines if PAGE_NUMBER.match(line.text)), None)


def content_lines(page: Page) -> list[Line]:
    return [line for line in page.lines if line.text.strip() and not PAGE_NUMBER.match(line.text)]


def wide(text: str) -> bool:
    """Only Chinese characters and full-width punctuation (each one em)."""
    return all(ord(ch) > 0x2E7F for ch in text)


def full_body_lines(paper: Paper) -> list[Line]:
    """Body lines (3号) running from the left edge of the 版心 to its right edge, all of full-width characters."""
    return [
        line
        for page in paper.pages
        for line in page.lines
        if abs(line.size - BODY_SIZE) < 0.5
        and abs(line.x0 - LEFT) < 2
        and line.x1 > page.width - RIGHT - BODY_SIZE
        and wide(line.text)
    ]


def overflowing(paper: Paper) -> list[tuple[int, str]]:
    """Lines printed outside the 版心's width (a hanging full-width punctuation mark excepted)."""
    found = []
    for number, page in enumerate(paper.pages, 1):
        for line in page.lines:
            hanging = BODY_SIZE if line.text[-1:] in "，。、；：）》" else 1
            if line.x0 < LEFT - 1 or line.x1 > page.width - RIGHT + hanging:
                found.append((number, line.text))
    return found


def japanese_fonts(paper: Paper) -> set[str]:
    """The fonts of the PDF named as a Japanese face (a bare CJK fallback picks Noto CJK JP)."""
    return {font for font in paper.fonts if "jp" in font.lower() or "japan" in font.lower()}


def office_faces_only(paper: Paper) -> bool:
    """The office fonts are missing here: each is set in the Simplified Chinese Noto face (fonts.conf), nothing
    in a Latin fallback with the Chinese borrowed from elsewhere, and never in the Japanese face."""
    return bool(paper.fonts) and all(
        font.startswith(("NotoSerifCJKsc", "NotoSansCJKsc")) for font in paper.fonts
    )
