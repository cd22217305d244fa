"""What every generated .docx paper shares as printed (GB/T 9704-2012): the 发文机关标志 on one line within the
text width, page numbers on the outer side, Simplified Chinese faces only, 28 characters a full line, nothing
outside the text width, no empty page, and a 版记 at the foot of the last page."""

import pytest

from .layout import (
    BOTTOM,
    LEFT,
    PT_PER_MM,
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


def test_the_record_sits_at_the_foot_of_the_last_page_between_rules_of_the_text_width(named):
    """GB/T 9704 7.4: 版记 on the last page, its 抄送 and 印发 lines one character in from each side, between
    分隔线 of the 版心's width — the first and last thick (0.35 mm), the one between thin (0.25 mm) — the last on
    the 版心's lower edge, and nothing of the body below the first."""
    page = named[1].pages[-1]
    lines = content_lines(page)
    copied = next(line for line in lines if line.text.startswith("抄送："))
    printed = lines[-1]
    assert printed.text.replace("\t", "").endswith("印发")
    rules = sorted((rule for rule in page.rules if rule.y > copied.top - 20), key=lambda rule: rule.y)
    assert len(rules) == 3, rules
    first, middle, last = rules
    right = page.width - RIGHT
    assert all(abs(rule.x0 - LEFT) < 1 and abs(rule.x1 - right) < 1 for rule in rules), rules
    assert page.height - BOTTOM - 2 <= last.y <= page.height - BOTTOM + 0.5
    assert first.y < copied.top and copied.bottom < middle.y < printed.top and printed.bottom < last.y
    assert all(abs(rule.weight - 0.35 * PT_PER_MM) < 0.1 for rule in (first, last)), rules
    assert abs(middle.weight - 0.25 * PT_PER_MM) < 0.1, middle
    assert abs(copied.x0 - (LEFT + 14)) < 1 and abs(printed.x1 - (right - 14)) < 1
    assert all(line.bottom < first.y for line in lines if line.top < copied.top)
