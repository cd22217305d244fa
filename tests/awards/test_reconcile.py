"""Reconciling a published table: the 2019 table of 双政办发〔2020〕15号 附件, worked out by hand.

第一组 (C × 4.56, half-up): 友谊县 18 × 4.56 = 82.08 → 82, published 83; every other row agrees.
第二组 (rank by C, then R, then directory order; 3 × 20, 5 × 10, 7 × 5): every row agrees with its tier.
Sums of the rows: 第一组 1214.45 / 379 / 1730 (as printed); 第二组 485.75 / 138 / 145 (printed 485.76 / 140);
all rows 1700.20 / 517 / 1875 (printed 1700.21 / 519). So five inconsistencies, and nothing else.
"""

import io
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from awards import rules

TITLE = "2019年全市百大项目建设奖励资金分配表"
HEADER = ["序号", "县区/单位", "2019年项目建设考核得分", "折算后得分", "2019年百大项目建设奖励金额（万元）"]
# the published table, copied from the gazette (independently of awards.gazette)
TOTAL = ["合 计", 1700.21, 519, 1875]
GROUP1 = ["一、第一组", 1214.45, 379, 1730]
ROWS1 = [
    ("集贤县", 161.31, 51, 233),
    ("友谊县", 74.28, 18, 83),
    ("宝清县", 296.79, 113, 515),
    ("饶河县", 111.96, 35, 160),
    ("尖山区", 77.46, 20, 91),
    ("岭东区", 151.71, 39, 178),
    ("四方台区", 82.49, 21, 96),
    ("宝山区", 91.53, 29, 132),
    ("市经开区管委会", 166.92, 53, 242),
]
GROUP2 = ["二、第二组", 485.76, 140, 145]
ROWS2 = [
    ("市住房城乡建设局", 58.64, 22, 20),
    ("市工业和信息化局", 75.44, 20, 20),
    ("市发展改革委", 54.82, 14, 20),
    ("市城建项目办", 42.54, 13, 10),
    ("市城市开发投资中心", 22.69, 11, 10),
    ("市水务局", 22.46, 11, 10),
    ("市交通运输局", 39.33, 10, 10),
    ("市城棚办", 21.15, 6, 10),
    ("市教育和体育局", 18.46, 6, 5),
    ("市经合局", 24.03, 5, 5),
    ("市商务局", 22.45, 4, 5),
    ("市粮食局", 21.24, 4, 5),
    ("市农业农村局", 20.96, 4, 5),
    ("市自然资源局", 20.92, 4, 5),
    ("市科技局", 20.62, 4, 5),
]

EXPECTED_2019 = [
    "第3行 合计：考核得分 1700.21，与全部单位各行合计 1700.20 不符",
    "第3行 合计：折算后得分 519，与全部单位各行合计 517 不符",
    "第6行 友谊县：奖励金额 83 万元，折算后得分 18 × 每分 4.56 万元 = 82.08，应为 82 万元",
    "第14行 二、第二组：考核得分 485.76，与本组各行合计 485.75 不符",
    "第14行 二、第二组：折算后得分 140，与本组各行合计 138 不符",
]


def published_2019(rows1=ROWS1, rows2=ROWS2, total=TOTAL, group1=GROUP1, group2=GROUP2) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "奖励资金分配表"
    ws.append([TITLE])
    ws.append(HEADER)
    ws.append([None, *total])
    ws.append([None, *group1])
    for number, row in enumerate(rows1, start=1):
        ws.append([number, *row])
    ws.append([None, *group2])
    for number, row in enumerate(rows2, start=1):
        ws.append([number, *row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def table_2019(tmp_path):
    path = tmp_path / "2019.xlsx"
    path.write_bytes(published_2019())
    return path


def run(path, *extra):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("awards_reconcile", "--year", "2019", *extra, str(path), stdout=out, stderr=err)
    return exit_.value.code, out.getvalue().splitlines(), err.getvalue()


def test_2019_published_table_reports_exactly_its_five_inconsistencies(gazette, table_2019):
    code, lines, err = run(table_2019)
    assert code == 1
    assert lines == EXPECTED_2019
    assert "5 处不一致" in err


def test_a_corrected_2019_table_is_consistent_and_exits_0(gazette, tmp_path):
    rows1 = [r if r[0] != "友谊县" else ("友谊县", 74.28, 18, 82) for r in ROWS1]
    path = tmp_path / "fixed.xlsx"
    path.write_bytes(
        published_2019(
            rows1=rows1,
            total=["合 计", 1700.20, 517, 1874],
            group1=["一、第一组", 1214.45, 379, 1729],
            group2=["二、第二组", 485.75, 138, 145],
        )
    )
    out = io.StringIO()
    call_command("awards_reconcile", "--year", "2019", str(path), stdout=out)
    assert out.getvalue().strip() == "2019年分配表核对完毕：未发现不一致。"


def test_a_group_2_amount_against_its_tier_is_reported(gazette, tmp_path):
    rows2 = [r if r[0] != "市城棚办" else ("市城棚办", 21.15, 6, 5) for r in ROWS2]
    path = tmp_path / "tier.xlsx"
    path.write_bytes(published_2019(rows2=rows2))
    _, lines, _ = run(path)
    assert (
        "第22行 市城棚办：奖励金额 5 万元，按折算后得分、考核得分排第二组第8名（二等奖），应为 10 万元"
        in lines
    )
    assert "第14行 二、第二组：奖励金额（万元） 145，与本组各行合计 140 不符" in lines


def test_the_rate_option_changes_the_group_1_check(gazette, table_2019):
    _, lines, _ = run(table_2019, "--rate", "5")
    assert any(
        line.startswith("第5行 集贤县：奖励金额 233 万元，折算后得分 51 × 每分 5 万元") for line in lines
    )


def test_an_unreadable_table_lists_its_errors_and_exits_2(gazette, tmp_path):
    rows1 = [("集贤县", "很多", 51, 233), *ROWS1[1:]]
    path = tmp_path / "bad.xlsx"
    path.write_bytes(published_2019(rows1=rows1))
    code, _, err = run(path)
    assert code == 2
    assert "第5行 考核得分" in err


def test_the_reconcile_page_shows_the_same_inconsistencies(client, personas, table_2019):
    client.force_login(personas.fgw_clerk)
    with open(table_2019, "rb") as handle:
        response = client.post("/awards/reconcile/", {"year": 2019, "file": handle})
    assert response.status_code == 200
    assert response.context["problems"] == EXPECTED_2019


def test_the_reconcile_page_rejects_a_file_that_is_not_xlsx(client, personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(personas.fgw_approver)
    upload = SimpleUploadedFile("x.xlsx", b"not a workbook")
    response = client.post("/awards/reconcile/", {"year": 2019, "file": upload})
    assert response.context["errors"]
    assert "problems" not in response.context


@given(
    converted=st.lists(st.integers(min_value=0, max_value=200), min_size=1, max_size=12),
    rate=st.decimals(min_value=D("0.5"), max_value=D("20"), places=2),
)
def test_a_table_built_by_the_rules_reconciles_cleanly(converted, rate):
    """Property: rows whose amounts come from ``group1_amount`` and the tier table, with sums of the rows,
    never report an inconsistency."""
    tiers = rules.scheme_2019().tiers
    rows = []
    g1 = [(f"县{i}", D(c), c, rules.group1_amount(c, rate)) for i, c in enumerate(converted)]
    ranked = sorted(enumerate(converted), key=lambda x: (-x[1], x[0]))
    slots = [t for t in tiers for _ in range(t.places)]
    amounts = {}
    place = 0
    for index, c in ranked:
        if c > 0:
            place += 1
            amounts[index] = slots[place - 1].amount if place <= len(slots) else 0
        else:
            amounts[index] = 0
    g2 = [(f"局{i}", D(c), c, amounts[i]) for i, c in enumerate(converted)]

    def subtotal(kind, group, name, members, row):
        return rules.PublishedRow(
            row,
            kind,
            group,
            name,
            sum((m[1] for m in members), D(0)),
            sum(m[2] for m in members),
            sum(m[3] for m in members),
        )

    rows.append(subtotal("total", None, "合计", g1 + g2, 3))
    rows.append(subtotal("group", 1, "第一组", g1, 4))
    rows += [rules.PublishedRow(5 + i, "entity", 1, *m, order=i) for i, m in enumerate(g1)]
    rows.append(subtotal("group", 2, "第二组", g2, 100))
    rows += [rules.PublishedRow(101 + i, "entity", 2, *m, order=i) for i, m in enumerate(g2)]
    assert rules.reconcile(rows, rate=rate, tiers=tiers) == []
