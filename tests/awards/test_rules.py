"""The gazette's formulas (双政办发〔2020〕15号 四、五) as pure functions — no database."""

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from awards import rules
from awards.rules import CITY, IND, PROV, EntityInfo, ProjectData, TargetData, Tier

SCHEME = rules.scheme_2019()
P = SCHEME.categories


def project(entity=1, category=PROV, planned="0", actual="0", started=True, completed=False, single=False):
    return ProjectData(entity, category, D(planned), D(actual), started, completed, single)


# ① 开复工及竣工个数


def test_count_score_prov_shows_its_derivation():
    indicator = rules.count_score(P[PROV], 7, 0)
    assert indicator.value == D("10.50")
    assert "开复工 7 个 × 1.5 = 10.5（上限 15）" in indicator.derivation


def test_count_score_caps_started_and_completed_separately():
    assert rules.count_score(P[PROV], 12, 5).value == D("20.00")  # 18 → 15, 7.5 → 5
    assert rules.count_score(P[PROV], 2, 5).value == D("8.00")  # 3 + 5


def test_count_score_city_and_ind_coefficients():
    assert rules.count_score(P[CITY], 4, 2).value == D("6.00")
    assert rules.count_score(P[IND], 3, 3).value == D("3.30")
    assert rules.count_score(P[IND], 30, 20).value == D("20.00")


# ② 开复工率


def test_rate_score_pooled_against_group_average():
    # rate 2/4 = 0.5, pooled group 6/8 = 0.75 → 6.666… → 6.67
    assert rules.rate_score_pooled(P[PROV], 2, 4, 6, 8).value == D("6.67")


def test_rate_score_pooled_is_capped_at_10():
    assert rules.rate_score_pooled(P[CITY], 4, 4, 6, 8).value == D("10.00")


def test_rate_score_pooled_zero_division_gives_zero():
    assert rules.rate_score_pooled(P[PROV], 0, 0, 6, 8).value == D("0")
    assert rules.rate_score_pooled(P[PROV], 0, 3, 0, 8).value == D("0")


def test_rate_score_target_for_industrial_projects():
    assert rules.rate_score_target(P[IND], 3, 4).value == D("7.50")
    assert rules.rate_score_target(P[IND], 9, 4).value == D("10.00")
    assert rules.rate_score_target(P[IND], 3, 0).value == D("0")


# ③ 年度实际投资完成额


def test_investment_score_per_category():
    assert rules.investment_score(P[PROV], D("25000")).value == D("7.50")
    assert rules.investment_score(P[CITY], D("1000")).value == D("1.50")
    assert rules.investment_score(P[IND], D("10000")).value == D("3.00")


def test_investment_score_is_capped_at_60():
    assert rules.investment_score(P[PROV], D("300000")).value == D("60.00")


# ④ 年度实际投资完成率


def test_completion_score_is_actual_over_planned():
    assert rules.completion_score(P[PROV], D("50"), D("80"), "计划投资").value == D("6.25")
    assert rules.completion_score(P[PROV], D("90"), D("80"), "计划投资").value == D("10.00")


def test_completion_score_zero_division_gives_zero():
    indicator = rules.completion_score(P[IND], D("50"), D("0"), "目标额")
    assert indicator.value == D("0")
    assert "除数为0" in indicator.derivation


# rounding


def test_half_up_boundary_rounds_up_not_to_even():
    # 1 / 80 × 10 = 0.125 exactly → 0.13 (banker's rounding would give 0.12)
    assert rules.completion_score(P[PROV], D("1"), D("80"), "计划投资").value == D("0.13")
    # 670 / 1000 × 1.5 = 1.005 exactly → 1.01
    assert rules.investment_score(P[CITY], D("670")).value == D("1.01")


def test_pooled_rate_keeps_an_exact_x_xx5():
    # (1/8) / (8/10) × 10 = 1.5625 → 1.56; (3/8)/(4/5)×10 = 4.6875 → 4.69
    assert rules.rate_score_pooled(P[PROV], 3, 8, 8, 10).value == D("4.69")


def test_converted_score_rounds_half_up_to_an_integer():
    converted, _ = rules.converted_score(SCHEME, {PROV: D("1"), CITY: D("0"), IND: D("0")}, D("0"))
    assert converted == 1  # 0.5 → 1
    converted, _ = rules.converted_score(SCHEME, {PROV: D("0.98"), CITY: D("0"), IND: D("0")}, D("0"))
    assert converted == 0  # 0.49 → 0


def test_bonuses_are_added_after_conversion_unweighted():
    converted, _ = rules.converted_score(SCHEME, {PROV: D("40"), CITY: D("20"), IND: D("10")}, D("7.5"))
    assert converted == 36  # 20 + 6 + 2 + 7.5 = 35.5 → 36


# bonuses


def test_major_bonus_counts_started_projects_of_50000_or_more_once():
    projects = [
        project(category=PROV, actual="50000"),
        project(category=IND, actual="60000"),
        project(category=CITY, actual="49999.99"),
        project(category=PROV, actual="0", started=False, planned="90000"),
    ]
    assert rules.major_bonus(SCHEME, projects).value == D("15.00")
    assert rules.major_bonus(SCHEME, projects[:1]).value == D("7.50")


def test_major_bonus_is_capped_at_15():
    projects = [project(actual="80000") for _ in range(3)]
    assert rules.major_bonus(SCHEME, projects).value == D("15.00")


def test_single_bonus_counts_started_single_provincial_projects():
    projects = [
        project(single=True),
        project(single=True, category=CITY),
        project(single=True, started=False),
        project(single=False),
    ]
    assert rules.single_bonus(SCHEME, projects).value == D("2.50")
    assert rules.single_bonus(SCHEME, [project(single=True)] * 3).value == D("5.00")


# the whole engine


def entities():
    return [
        EntityInfo(1, "甲县", 1, 10),
        EntityInfo(2, "乙县", 1, 20),
        EntityInfo(3, "丙局", 2, 30),
        EntityInfo(4, "丁局", 2, 40),
        EntityInfo(5, "无任务局", 2, 50),
    ]


def test_score_uses_pooled_group_average_and_targets():
    projects = [
        project(1, PROV, planned="20000", actual="10000"),
        project(1, PROV, planned="20000", started=False),
        project(2, PROV, planned="10000", actual="10000", completed=True),
        project(1, IND, planned="5000", actual="4000"),
    ]
    result = rules.score(SCHEME, entities(), projects, [TargetData(1, 2, D("8000"))])
    first = {line.entity.id: line for line in result.lines}[1]
    prov = [i.value for i in first.scores[PROV].indicators]
    # 1.5; (1/2)/(2/3)×10 = 7.5; 10000/10000×3 = 3; 10000/40000×10 = 2.5
    assert prov == [D("1.50"), D("7.50"), D("3.00"), D("2.50")]
    ind = [i.value for i in first.scores[IND].indicators]
    # 0.6; 1/2×10 = 5; 4000/10000×3 = 1.2; 4000/8000×10 = 5
    assert ind == [D("0.60"), D("5.00"), D("1.20"), D("5.00")]
    assert first.raw == D("26.30")
    assert first.converted == 10  # 0.5 × 14.5 + 0.2 × 11.8 = 9.61 → 10
    assert first.amount == 46  # 10 × 4.56 = 45.6 → 46


def test_only_participating_entities_are_scored():
    result = rules.score(
        SCHEME, entities(), [project(3, CITY, planned="100", actual="100")], [TargetData(1, 1, D(1))]
    )
    assert {line.entity.id for line in result.lines} == {1, 3}


def line(entity_id, name, group, order, converted, raw, disqualified=False):
    info = EntityInfo(entity_id, name, group, order, disqualified)
    empty = rules.Indicator("", D(0), "")
    return rules.EntityResult(info, {}, empty, empty, D(raw), converted, "")


def test_group_2_ranks_by_converted_then_raw_then_directory_order():
    lines = [
        line(1, "甲", 2, 30, 10, "40"),
        line(2, "乙", 2, 20, 10, "41"),
        line(3, "丙", 2, 10, 10, "40"),
        line(4, "丁", 2, 5, 12, "30"),
    ]
    result = rules.allocate(
        rules.Result(lines), rate=D("4.56"), tiers=[Tier("一等奖", 1, 20), Tier("二等奖", 2, 10)]
    )
    ranked = sorted((x for x in result.lines if x.rank), key=lambda x: x.rank)
    assert [x.entity.name for x in ranked] == ["丁", "乙", "丙", "甲"]
    assert [x.amount for x in ranked] == [20, 10, 10, 0]
    assert [x.tier for x in ranked] == ["一等奖", "二等奖", "二等奖", ""]


def test_tie_across_a_tier_boundary_is_warned():
    lines = [line(1, "甲", 2, 10, 10, "40"), line(2, "乙", 2, 20, 10, "40"), line(3, "丙", 2, 30, 9, "40")]
    result = rules.allocate(
        rules.Result(lines), rate=D(1), tiers=[Tier("一等奖", 1, 20), Tier("二等奖", 5, 10)]
    )
    assert result.warnings == [
        rules.TIE_ACROSS_TIER.format(a="甲", b="乙", c=10, r="40", ta="一等奖", tb="二等奖")
    ]


def test_tie_within_a_tier_is_not_warned():
    lines = [line(1, "甲", 2, 10, 10, "40"), line(2, "乙", 2, 20, 10, "40")]
    result = rules.allocate(rules.Result(lines), rate=D(1), tiers=[Tier("一等奖", 2, 20)])
    assert result.warnings == []


def test_zero_score_and_disqualified_entities_leave_the_ranking():
    lines = [
        line(1, "甲", 2, 10, 20, "60", disqualified=True),
        line(2, "乙", 2, 20, 0, "1"),
        line(3, "丙", 2, 30, 5, "20"),
    ]
    result = rules.allocate(rules.Result(lines), rate=D(1), tiers=[Tier("一等奖", 1, 20)])
    by_name = {x.entity.name: x for x in result.lines}
    assert by_name["丙"].rank == 1 and by_name["丙"].amount == 20
    assert by_name["甲"].amount == 0 and by_name["甲"].rank is None
    assert by_name["乙"].amount == 0 and by_name["乙"].rank is None


def test_group_1_amount_is_converted_times_rate_half_up():
    assert rules.group1_amount(51, D("4.56")) == 233  # 232.56
    assert rules.group1_amount(25, D("0.5")) == 13  # 12.5 → 13


# 双政办发〔2020〕15号 附件: 第一组 converted scores and the published amounts.
GAZETTE_GROUP_1 = [
    ("集贤县", 51, 233),
    ("友谊县", 18, 83),
    ("宝清县", 113, 515),
    ("饶河县", 35, 160),
    ("尖山区", 20, 91),
    ("岭东区", 39, 178),
    ("四方台区", 21, 96),
    ("宝山区", 29, 132),
    ("市经开区管委会", 53, 242),
]


def test_2019_group_1_amounts_follow_from_the_gazette_and_4_56():
    computed = {name: rules.group1_amount(c, D("4.56")) for name, c, _ in GAZETTE_GROUP_1}
    published = {name: amount for name, _, amount in GAZETTE_GROUP_1}
    differing = {n for n in computed if computed[n] != published[n]}
    # The one known difference: 友谊县 was adjusted to 83 (18 × 4.56 = 82.08 → 82).
    assert differing == {"友谊县"}
    assert computed["友谊县"] == 82


def test_2019_group_2_tiers_follow_from_the_gazette_ranking():
    published = [22, 20, 14, 13, 11, 11, 10, 6, 6, 5, 4, 4, 4]
    raws = [
        "58.64",
        "75.44",
        "54.82",
        "42.54",
        "22.69",
        "22.46",
        "39.33",
        "21.15",
        "18.46",
        "24.03",
        "22.45",
        "21.24",
        "20.96",
    ]
    lines_ = [line(i, f"单位{i}", 2, i, c, r) for i, (c, r) in enumerate(zip(published, raws, strict=True))]
    result = rules.allocate(rules.Result(lines_), rate=D(0), tiers=SCHEME.tiers)
    amounts = [x.amount for x in sorted(result.lines, key=lambda x: x.rank)]
    assert amounts == [20, 20, 20, 10, 10, 10, 10, 10, 5, 5, 5, 5, 5]


# properties

amounts = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def project_lists(draw):
    n = draw(st.integers(min_value=1, max_value=12))
    out = []
    for _ in range(n):
        started = draw(st.booleans())
        out.append(
            project(
                entity=draw(st.sampled_from([1, 2])),
                category=draw(st.sampled_from([PROV, CITY, IND])),
                planned=str(draw(amounts)),
                actual=str(draw(amounts)) if started else "0",
                started=started,
                completed=started and draw(st.booleans()),
                single=draw(st.booleans()),
            )
        )
    return out


CAPS = {0: "count_cap", 1: "rate_cap", 2: "invest_cap", 3: "completion_cap"}


@given(project_lists(), st.integers(min_value=0, max_value=20), amounts)
def test_every_indicator_is_within_its_cap(projects, count, amount):
    ents = entities()[:2]
    result = rules.score(SCHEME, ents, projects, [TargetData(1, count, amount)])
    for line_ in result.lines:
        for category, category_score in line_.scores.items():
            for index, indicator in enumerate(category_score.indicators):
                assert D(0) <= indicator.value <= getattr(P[category], CAPS[index])
            assert category_score.total <= 100
        assert line_.bonus_major.value <= 15 and line_.bonus_single.value <= 5


@given(project_lists(), amounts, st.sampled_from([PROV, CITY, IND]))
def test_more_actual_investment_never_lowers_a_score(projects, extra, category):
    ents = entities()[:2]
    targets = [TargetData(1, 3, D("5000"))]
    base = rules.score(SCHEME, ents, [*projects, project(1, category, planned="1000", actual="10")], targets)
    more = rules.score(
        SCHEME, ents, [*projects, project(1, category, planned="1000", actual=str(D("10") + extra))], targets
    )
    before = {x.entity.id: x for x in base.lines}[1]
    after = {x.entity.id: x for x in more.lines}[1]
    assert after.scores[category].total >= before.scores[category].total
    assert after.raw >= before.raw
    assert after.converted >= before.converted


@given(st.decimals(min_value=0, max_value=1000, places=3, allow_nan=False, allow_infinity=False))
def test_round2_is_half_up(value):
    rounded = rules.round2(value)
    assert -D("0.005") < rounded - value <= D("0.005")
    if value * 1000 % 10 == 5:
        assert rounded > value


@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=60), st.decimals(min_value=0, max_value=300, places=2)),
        min_size=1,
        max_size=20,
    )
)
def test_group_2_amounts_never_rise_down_the_ranking(scores):
    lines_ = [line(i, f"单位{i}", 2, i, c, str(r)) for i, (c, r) in enumerate(scores)]
    result = rules.allocate(rules.Result(lines_), rate=D(0), tiers=SCHEME.tiers)
    ranked = sorted((x for x in result.lines if x.rank), key=lambda x: x.rank)
    assert [x.amount for x in ranked] == sorted((x.amount for x in ranked), reverse=True)
    assert sum(1 for x in ranked if x.amount) <= 15
    assert all(x.converted > 0 for x in ranked)
    assert all(x.amount == 0 for x in result.lines if x.converted == 0)
