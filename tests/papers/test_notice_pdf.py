"""The 分配方案 notice as printed (LibreOffice → PDF): the demo year's first notice and its revision."""

import re

import pytest

NUMBER = re.compile(r"^双政办发〔2031〕(\d+)号$")


@pytest.fixture
def papers(printed):
    return {"first": printed("notice-first"), "revised": printed("notice-revised")}


@pytest.fixture(params=["first", "revised"])
def paper(request, papers):
    return papers[request.param]


def numbers(paper) -> list[int]:
    return [int(m[1]) for line in paper.pages[0].lines if (m := NUMBER.match(line.text))]


def test_the_number_is_of_the_offices_own_series(papers):
    assert numbers(papers["first"]) == [1]
    assert numbers(papers["revised"]) == [2]


def test_the_demo_years_notice_has_at_most_eight_pages(paper):
    assert len(paper.pages) <= 8


def test_the_record_closes_the_last_page(paper):
    last = paper.pages[-1].text
    assert "抄送：市委各部门" in last
    assert "双鸭山市人民政府办公室2031年3月2日印发" in last.replace("\t", "")


def test_the_annex_ranks_and_names_the_prizes_and_no_unit_name_wraps(paper):
    lines = [line.text for line in paper.pages[-1].lines]
    assert any("名次" in text for text in lines) and any("奖项" in text for text in lines)
    for name in ("市经开区管委会", "市住房城乡建设局", "市工业和信息化局"):
        assert any(name in text for text in lines), name


def test_only_the_revised_notice_repeals_the_first(papers):
    first, revised = papers["first"].text.replace("\n", ""), papers["revised"].text.replace("\n", "")
    assert "废止" not in first
    assert "现将修订后的《双鸭山市2020年百大项目建设奖励资金分配方案》印发给你们" in revised
    assert (
        "原《双鸭山市人民政府办公室关于印发〈双鸭山市2020年百大项目建设奖励资金分配方案〉的通知》"
        "（双政办发〔2031〕1号）同时废止。"
    ) in revised
