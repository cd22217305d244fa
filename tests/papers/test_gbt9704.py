"""What every generated .docx paper shares as printed (GB/T 9704-2012): the 发文机关标志 on one line within the
text width, page numbers on the outer side, Simplified Chinese faces only, 28 characters a full line, nothing
outside the text width, no empty page, and a 版记 closing the last page."""

import pytest

from .layout import (
    LEFT,
    RIGHT,
    content_lines,
    full_body_lines,
    japanese_fonts,
    office_faces_only,
    overflowing,
    page_number,
)

MASTHEADS = {
    "notice-first": "双鸭山市人民政府办公室文件",
    "notice-revised": "双鸭山市人民政府办公室文件",
    "bulletin": "双鸭山市经合局文件",
}


@pytest.fixture(params=sorted(MASTHEADS))
def named(request, printed):
    return request.param, printed(request.param)


def test_the_masthead_is_one_line_at_the_text_width(named):
    name, paper = named
    line = next(line for line in paper.pages[0].lines if MASTHEADS[name] in line.text)
    assert line.text == MASTHEADS[name]
    assert line.x0 >= LEFT - 1 and line.x1 <= paper.pages[0].width - RIGHT + 1
    assert line.size >= 22


def test_page_numbers_sit_on_the_outer_side(named):
    _, paper = named
    for index, page in enumerate(paper.pages, 1):
        number = page_number(page)
        assert number is not None and number.text == f"— {index} —"
        if index % 2:
            assert number.x0 > page.width / 2, f"page {index}: an odd page number goes right"
        else:
            assert number.x1 < page.width / 2, f"page {index}: an even page number goes left"


def test_every_font_is_a_simplified_chinese_face(named):
    _, paper = named
    assert japanese_fonts(paper) == set()
    assert office_faces_only(paper), paper.fonts


def test_a_full_body_line_holds_28_characters(named):
    lines = full_body_lines(named[1])
    assert lines
    assert all(27 <= len(line.text) <= 29 for line in lines), [line.text for line in lines]


def test_nothing_is_printed_outside_the_text_width(named):
    assert overflowing(named[1]) == []


def test_no_page_is_empty(named):
    assert all(content_lines(page) for page in named[1].pages)


def test_the_record_closes_the_last_page(named):
    last = named[1].pages[-1].text.replace("\t", "")
    assert "抄送：" in last and "印发" in last
