import io
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from awards import exports, services
from awards.models import Category

from .factories import ProjectFactory, entity

pytestmark = pytest.mark.django_db


@pytest.fixture
def allocation(gazette):
    ProjectFactory(entity=entity("集贤县"), planned_investment=D(20000), actual_investment=D(10000))
    ProjectFactory(entity=entity("宝清县"), planned_investment=D(10000), actual_investment=D(10000))
    ProjectFactory(
        entity=entity("市发展改革委"),
        category=Category.CITY,
        planned_investment=D(900),
        actual_investment=D(900),
    )
    ProjectFactory(
        entity=entity("市住房城乡建设局"),
        category=Category.CITY,
        name='=HYPERLINK("x")',
        actual_investment=D(500),
    )
    return services.allocation_compute(year=2030)


def open_export(allocation):
    return load_workbook(io.BytesIO(exports.export_allocation(allocation)))


def test_table_sheet_has_the_gazette_layout(allocation):
    wb = open_export(allocation)
    assert wb.sheetnames == ["奖励资金分配表", "评分明细", "项目清单", "调整说明"]
    rows = list(wb["奖励资金分配表"].iter_rows(values_only=True))
    assert rows[0][0] == "2030年全市百大项目建设奖励资金分配表"
    assert list(rows[1]) == [
        "序号",
        "县区/单位",
        "2030年项目建设考核得分",
        "折算后得分",
        "2030年百大项目建设奖励金额（万元）",
    ]
    assert rows[2][1] == "合计"
    assert rows[3][1] == "第一组"
    assert [r[1] for r in rows[4:6]] == ["集贤县", "宝清县"]  # directory order
    assert [r[0] for r in rows[4:6]] == [1, 2]
    assert rows[6][1] == "第二组"
    assert [r[0] for r in rows[7:]] == [1, 2]


def test_numbers_are_numbers_and_totals_are_sums_of_rows(allocation):
    rows = list(open_export(allocation)["奖励资金分配表"].iter_rows(values_only=True))
    group1, group2 = rows[4:6], rows[7:]
    for row in rows[2:]:
        assert all(isinstance(v, int | float) for v in row[2:5])
    for column in (2, 3, 4):
        assert rows[3][column] == pytest.approx(sum(r[column] for r in group1))
        assert rows[6][column] == pytest.approx(sum(r[column] for r in group2))
        assert rows[2][column] == pytest.approx(rows[3][column] + rows[6][column])


def test_group_2_is_in_rank_order(allocation):
    rows = list(open_export(allocation)["奖励资金分配表"].iter_rows(values_only=True))
    converted = [r[3] for r in rows[7:]]
    assert converted == sorted(converted, reverse=True)


def test_detail_sheet_explains_each_indicator(allocation):
    rows = list(open_export(allocation)["评分明细"].iter_rows(values_only=True))
    assert rows[0] == ("责任主体", "分组", "类别", "指标", "得分", "计算过程")
    assert any(r[0] == "宝清县" and "开复工 1 个 × 1.5 = 1.5（上限 15）" in r[5] for r in rows[1:])


def test_formula_text_is_neutralised(allocation):
    rows = list(open_export(allocation)["项目清单"].iter_rows(values_only=True))
    names = [r[0] for r in rows[1:]]
    assert '\'=HYPERLINK("x")' in names


def test_sheets_print_a4_landscape_with_repeated_header(allocation):
    wb = load_workbook(io.BytesIO(exports.export_allocation(allocation)))
    ws = wb["奖励资金分配表"]
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == "9"
    assert ws.print_title_rows == "$2:$2"


def test_adjustments_are_listed_with_their_reason(allocation):
    allocation.lines.filter(entity=entity("宝清县")).update(final_amount=1, adjustment_reason="测试调整")
    rows = list(open_export(allocation)["调整说明"].iter_rows(values_only=True))
    assert rows[1][0] == "宝清县" and rows[1][2] == 1 and rows[1][3] == "测试调整"


def test_category_details_follow_the_gazettes_order_whatever_the_stored_key_order():
    # PostgreSQL's jsonb gives keys back sorted by length, then bytes: IND before CITY and PROV.
    from awards.models import AllocationLine

    line = AllocationLine(details={"categories": {"IND": {"n": 3}, "CITY": {"n": 2}, "PROV": {"n": 1}}})
    assert [code for code, _ in line.category_details()] == ["PROV", "CITY", "IND"]
