"""附件1's formulas as pure functions: zero targets, no previous year, the 第四条 thresholds, the score."""

from datetime import date, datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from investment import rules
from investment.rules import ProjectFacts

D = Decimal


def facts(**kw):
    base = dict(
        signed_on=None,
        contract_wan=D(0),
        started_on=None,
        is_leading=False,
        received_foreign_musd=D(0),
        received_domestic_wan=D(0),
    )
    base.update(kw)
    return ProjectFacts(**base)


def targets(**kw):
    base = dict(
        foreign_musd=D(40), domestic_yi=D(7), signing_yi=D(15), new_projects=7, leading_share_pct=D(80)
    )
    base.update(kw)
    return rules.CountyTargets(**base)


def by_code(items):
    return {i.code: i for i in items}


def test_completion_rate_is_actual_over_target_in_percent():
    assert rules.completion_rate(D("7.5"), D(15)) == D("50.00")


def test_completion_rate_with_a_zero_target_is_not_assessed():
    assert rules.completion_rate(D(3), D(0)) is None


def test_completion_rate_rounds_half_up_to_a_hundredth():
    assert rules.completion_rate(D(1), D(3)) == D("33.33")
    assert rules.completion_rate(D(2), D(3)) == D("66.67")


def test_growth_over_previous_year():
    assert rules.growth_rate(D(120), D(100)) == D("20.00")
    assert rules.growth_rate(D(80), D(100)) == D("-20.00")


def test_growth_without_previous_year_is_none():
    assert rules.growth_rate(D(120), None) is None


def test_growth_from_zero_previous_year_is_none():
    assert rules.growth_rate(D(120), D(0)) is None


def test_foreign_major_threshold_is_inclusive_at_500_musd():
    assert rules.is_major(received_foreign_musd=D("500"), received_domestic_wan=D(0))
    assert not rules.is_major(received_foreign_musd=D("499.99"), received_domestic_wan=D(0))


def test_domestic_major_threshold_is_inclusive_at_3_yi():
    assert rules.is_major(received_foreign_musd=D(0), received_domestic_wan=D("30000"))
    assert not rules.is_major(received_foreign_musd=D(0), received_domestic_wan=D("29999.99"))


def test_major_thresholds_are_parameters():
    assert rules.is_major(
        received_foreign_musd=D(300), received_domestic_wan=D(0), foreign_threshold_musd=D(300)
    )
    assert not rules.is_major(
        received_foreign_musd=D(0), received_domestic_wan=D(30000), domestic_threshold_yi=D(5)
    )


def test_measures_count_only_this_years_signings_and_starts():
    projects = [
        facts(
            signed_on=date(2020, 2, 1), contract_wan=D(50000), started_on=date(2020, 6, 1), is_leading=True
        ),
        facts(signed_on=date(2019, 12, 1), contract_wan=D(90000), started_on=date(2019, 12, 20)),
        facts(started_on=date(2020, 8, 1), received_foreign_musd=D(500), received_domestic_wan=D(1000)),
    ]
    values = rules.measures(projects, 2020)
    assert values[rules.SIGNED_WAN] == D("50000.00")
    assert values[rules.STARTED] == 2
    assert values[rules.NEW_PROJECTS] == 1
    assert values[rules.LEADING_NEW] == 1
    assert values[rules.FOREIGN_MUSD] == D("500.00")
    assert values[rules.DOMESTIC_WAN] == D("1000.00")
    assert values[rules.MAJOR_COUNT] == 1


def test_measures_of_an_empty_list_are_zero():
    values = rules.measures([], 2020)
    assert all(v == 0 for v in values.values())


def values(**kw):
    base = dict.fromkeys(rules.MEASURES, D(0))
    base.update({k: D(v) for k, v in kw.items()})
    return base


def test_indicators_against_the_gazette_targets():
    items = by_code(
        rules.indicators(
            values(
                signed_wan=150000,
                started=7,
                foreign_musd=20,
                domestic_wan=35000,
                major_count=1,
                new_projects=7,
                leading_new=7,
            ),
            targets(),
            None,
        )
    )
    assert items[rules.SIGNING_RATE].rate == D("100.00")
    assert items[rules.START_RATE].rate == D("100.00")
    assert items[rules.FOREIGN_RATE].rate == D("50.00")
    assert items[rules.DOMESTIC_RATE].rate == D("50.00")
    assert items[rules.MAJOR].rate == D("100")
    assert items[rules.LEADING_SHARE].rate == D("125.00")  # 100% share against an 80% target


def test_growth_indicators_without_previous_year_show_no_data_and_score_zero():
    # Spec decision: 增幅 with no previous-year figure shows "无上年数据" and scores 0 until the base is entered.
    items = by_code(rules.indicators(values(foreign_musd=10), targets(), None))
    assert items[rules.FOREIGN_GROWTH].actual == "无上年数据"
    assert items[rules.FOREIGN_GROWTH].rate == D("0.00")
    assert rules.points(items[rules.FOREIGN_GROWTH].rate, D(5), D(100))[0] == D("0.00")


def test_growth_indicator_rate_is_hundred_plus_growth():
    items = by_code(
        rules.indicators(
            values(foreign_musd=12, domestic_wan=20000),
            targets(),
            {"foreign_musd": D(10), "domestic_wan": D(40000)},
        )
    )
    assert items[rules.FOREIGN_GROWTH].rate == D("120.00")
    assert items[rules.DOMESTIC_GROWTH].rate == D("50.00")


def test_zero_targets_are_not_assessed():
    zero = targets(
        foreign_musd=D(0), domestic_yi=D(0), signing_yi=D(0), new_projects=0, leading_share_pct=D(0)
    )
    items = by_code(rules.indicators(values(), zero, None))
    for code in (
        rules.SIGNING_RATE,
        rules.START_RATE,
        rules.FOREIGN_RATE,
        rules.DOMESTIC_RATE,
        rules.LEADING_SHARE,
    ):
        assert items[code].rate is None


def test_leading_share_without_new_projects_counts_as_zero():
    items = by_code(rules.indicators(values(), targets(), None))
    assert items[rules.LEADING_SHARE].rate == D("0.00")


def test_points_cap_and_unassessed_full_weight():
    assert rules.points(D("150"), D("15"), D("100"))[0] == D("15.00")
    assert rules.points(D("50"), D("15"), D("100"))[0] == D("7.50")
    assert rules.points(None, D("15"), D("100"))[0] == D("15.00")
    assert rules.points(D("-10"), D("5"), D("100"))[0] == D("0.00")


def test_default_weights_total_one_hundred():
    assert sum(w for w, _ in rules.DEFAULT_WEIGHTS.values()) == D(100)


def test_score_shows_each_indicator_points_and_derivation():
    total, lines = rules.score(
        rules.indicators(values(signed_wan=75000), targets(), None), rules.DEFAULT_WEIGHTS
    )
    signing = next(line for line in lines if line.indicator.code == rules.SIGNING_RATE)
    assert signing.points == D("7.50")
    assert "15 × 较小者(50.00%, 100%)" in signing.derivation
    assert total == sum(line.points for line in lines)


def test_deadline_day_is_on_time_and_the_next_day_late():
    deadline = rules.default_deadline(2020)
    assert deadline == date(2020, 12, 25)
    assert not rules.is_late(datetime(2020, 12, 25, 23, 59), deadline)
    assert rules.is_late(datetime(2020, 12, 26, 0, 1), deadline)


def test_rank_shares_places_on_equal_scores():
    ranked = rules.rank([("a", D(90)), ("b", D(95)), ("c", D(90)), ("d", D(80))])
    assert ranked == [("b", D(95), 1), ("a", D(90), 2), ("c", D(90), 2), ("d", D(80), 4)]


def test_allocate_is_proportional_and_sums_to_the_pool():
    result = dict(rules.allocate(D(100), [("a", D(1)), ("b", D(1)), ("c", D(1))]))
    assert sum(result.values()) == D("100.00")
    assert result == {"a": D("33.34"), "b": D("33.33"), "c": D("33.33")}


def test_allocate_gives_nothing_to_zero_scores():
    result = dict(rules.allocate(D(10), [("a", D(0)), ("b", D(50))]))
    assert result == {"a": D("0.00"), "b": D("10.00")}


def test_size_count_label_follows_table_two_wording():
    assert rules.size_count_label(D("3000"), False, 1) == "3000万 1个"
    assert rules.size_count_label(D("500.00"), True, 2) == "500万以上 2个"


money = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)


@given(pool=money, scores=st.lists(money, min_size=1, max_size=20))
def test_allocation_always_sums_to_the_pool_when_anyone_scores(pool, scores):
    result = rules.allocate(pool, list(enumerate(scores)))
    if any(s > 0 for s in scores) and pool > 0:
        assert sum(v for _, v in result) == rules.q2(pool)
    assert all(v >= 0 for _, v in result)


@given(actual=money, target=money.filter(lambda v: v > 0), weight=st.decimals(0, 100, places=2))
def test_points_never_exceed_weight_under_a_100_percent_cap(actual, target, weight):
    value, _ = rules.points(rules.completion_rate(actual, target), weight, D(100))
    assert D(0) <= value <= rules.q2(weight)


def test_a_reports_deadline_is_judged_on_its_own_years_clock():
    """第七条(一) "当年12月25日前": overdue from the day after, while that year runs — not on every later day."""
    deadline = date(2020, 12, 25)
    assert not rules.overdue_in_its_year(deadline=deadline, year=2020, today=date(2020, 12, 25))
    assert rules.overdue_in_its_year(deadline=deadline, year=2020, today=date(2020, 12, 26))
    assert not rules.overdue_in_its_year(deadline=deadline, year=2020, today=date(2026, 12, 7))
