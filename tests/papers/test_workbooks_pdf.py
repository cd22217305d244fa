"""The 分配表 workbook (awards allocation export) and the investment 分解表 as printed: LibreOffice → PDF → read back.

Each workbook is rendered once for the module (a conversion takes seconds); the data it needs is written in a
transaction rolled back when the workbook has been built, so no other test sees it.
"""

from __future__ import annotations

import re

import pytest

from .layout import japanese_fonts
from .pdf import Paper

FOOTER = re.compile(r"第 (\d+) 页 共 (\d+) 页")
SMALLEST_BODY = 9  # pt
pytestmark = pytest.mark.django_db  # the workbooks are built from the test database (conftest.printed)


@pytest.fixture
def allocation(printed) -> Paper:
    return printed("allocation-workbook")


@pytest.fixture
def targets(printed) -> Paper:
    return printed("target-tables")


@pytest.fixture(params=["allocation", "targets"])
def paper(request) -> Paper:
    return request.getfixturevalue(request.param)


def footers(paper: Paper) -> list[tuple[int, int]]:
    """Each page's "第 p 页 共 n 页" as (p, n)."""
    found = []
    for page in paper.pages:
        [match] = [m for line in page.lines if (m := FOOTER.search(line.text))]
        found.append((int(match[1]), int(match[2])))
    return found


def body_lines(page):
    """The page's lines but its footer."""
    return [line for line in page.lines if not FOOTER.search(line.text)]


def test_each_sheet_numbers_its_own_pages(paper):
    numbers = footers(paper)
    expected, start = [], 0
    while start < len(numbers):  # each sheet: 1 … n of n
        total = numbers[start][1]
        expected += [(n, total) for n in range(1, total + 1)]
        start += total
    assert numbers == expected


def test_a_one_page_table_says_page_1_of_1(allocation, targets):
    assert footers(allocation)[0] == (1, 1)  # the 奖励资金分配表
    assert footers(targets) == [(1, 1), (1, 1)]  # 表（一）, 表（二）


def test_every_detail_sheet_prints_at_9_pt_or_more(paper):
    sizes = {round(line.size, 1) for page in paper.pages for line in page.lines}
    assert min(sizes) >= SMALLEST_BODY, sizes


def test_the_detail_sheets_run_over_several_pages_in_landscape(allocation):
    assert all(page.width > page.height for page in allocation.pages)
    assert len(allocation.pages) > 4  # 评分明细 runs on: one sheet no longer squeezed onto one page


def test_every_table_fits_its_page_width(paper):
    for page in paper.pages:
        assert all(0 < line.x0 and line.x1 < page.width for line in page.lines), page.text[:80]


def test_no_japanese_face_sets_the_chinese(paper):
    assert paper.fonts and japanese_fonts(paper) == set()


def test_no_page_is_empty(paper):
    # a page holds more than its page header, the table's header row and its footer
    for number, page in enumerate(paper.pages, start=1):
        assert len(body_lines(page)) >= 3, (number, page.text)


def test_the_empty_adjustment_sheet_says_so(allocation):
    assert "本年度无金额调整，无取消奖励资格的单位" in allocation.pages[-1].text


def test_the_project_list_has_the_columns_of_the_spec(allocation):
    projects = next(page for page in allocation.pages if "百大项目清单" in page.text)
    assert "计划总投资" in projects.text.replace("\n", "")


@pytest.mark.parametrize(
    "page_of", [lambda a, t: a.pages[0], lambda a, t: t.pages[0]], ids=["分配表", "分解表"]
)
def test_the_header_stays_inside_its_row(allocation, targets, page_of):
    page = page_of(allocation, targets)
    total = next(line for line in page.lines if "合计" in line.text)
    title = page.lines[1]  # under the status line
    header = [line for line in page.lines if title.bottom < line.top < total.top]
    assert header and all(line.bottom <= total.top for line in header)
