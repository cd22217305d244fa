"""The investment 通报 as printed (LibreOffice → PDF): every unit assessed, one late, one spot check."""

import re

import pytest


@pytest.fixture
def paper(printed):
    return printed("bulletin")


def test_the_number_is_of_the_bureaus_own_series(paper):
    assert any(re.match(r"^双经合发〔2031〕\d+号$", line.text) for line in paper.pages[0].lines)


def test_the_bulletin_of_31_units_takes_a_few_pages(paper):
    assert len(paper.pages) <= 6


def test_the_record_closes_the_last_page(paper):
    last = paper.pages[-1].text.replace("\t", "")
    assert "抄送：市委办公室，市政府办公室，市统计局。" in last
    assert "双鸭山市经合局2031年3月2日印发" in last


def test_the_sentences_follow_the_data(paper):
    text = paper.text.replace("\n", "")
    assert "集贤县逾期提交自评报告" in text and "其余单位均按期提交了自评报告。" in text
    assert "均按期提交了自评报告。" not in text.replace("其余单位均按期提交了自评报告。", "")
    assert "考核组对宝清县进行了实地抽查，未发现考核佐证材料弄虚作假问题。" in text
