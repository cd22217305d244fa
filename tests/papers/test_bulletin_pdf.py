"""The investment 通报 as printed (LibreOffice → PDF): every unit assessed, one late, one spot check."""

import re

import pytest

from .builders import build, bulletin
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
from .pdf import render

MASTHEAD = "双鸭山市经合局文件"


@pytest.fixture(scope="module")
def paper(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        data = build(bulletin)
    return render(data, ".docx")


def test_the_masthead_is_one_line_at_the_text_width(paper):
    line = next(line for line in paper.pages[0].lines if MASTHEAD in line.text)
    assert line.text == MASTHEAD
    assert line.x0 >= LEFT - 1 and line.x1 <= paper.pages[0].width - RIGHT + 1


def test_the_number_is_of_the_bureaus_own_series(paper):
    assert any(re.match(r"^双经合发〔2031〕\d+号$", line.text) for line in paper.pages[0].lines)


def test_the_bulletin_of_31_units_takes_a_few_pages(paper):
    assert len(paper.pages) <= 6


def test_page_numbers_sit_on_the_outer_side(paper):
    for index, page in enumerate(paper.pages, 1):
        number = page_number(page)
        assert number is not None and number.text == f"— {index} —"
        assert (number.x0 > page.width / 2) if index % 2 else (number.x1 < page.width / 2)


def test_every_font_is_a_simplified_chinese_face(paper):
    assert japanese_fonts(paper) == set()
    assert office_faces_only(paper), paper.fonts


def test_the_record_closes_the_last_page(paper):
    last = paper.pages[-1].text.replace("\t", "")
    assert "抄送：市委办公室，市政府办公室，市统计局。" in last
    assert "双鸭山市经合局2031年3月2日印发" in last


def test_a_full_body_line_holds_28_characters(paper):
    lines = full_body_lines(paper)
    assert lines
    assert all(27 <= len(line.text) <= 29 for line in lines), [line.text for line in lines]


def test_the_results_table_fits_the_text_width(paper):
    assert overflowing(paper) == []


def test_no_page_is_empty(paper):
    assert all(content_lines(page) for page in paper.pages)


def test_the_sentences_follow_the_data(paper):
    text = paper.text.replace("\n", "")
    assert "集贤县逾期提交自评报告" in text and "其余单位均按期提交了自评报告。" in text
    assert "均按期提交了自评报告。" not in text.replace("其余单位均按期提交了自评报告。", "")
    assert "考核组对宝清县进行了实地抽查，未发现考核佐证材料弄虚作假问题。" in text
