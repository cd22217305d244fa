from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chiefservice import rules

# ---------------------------------------------------------------- 统一社会信用代码 (GB 32100-2015)


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",  # the example printed in GB 32100-2015
        "91110108551385082Q",
        "91350100m000100y43",  # lower case is read as upper case
        # Real codes, every part valid (GB 32100-2015 and the GB 11714 check of positions 9–17).
        "914403001922038216",
        "91440300708461136T",
        "91330100799655058B",
        "91110000802100433B",
    ],
)
def test_valid_credit_codes_pass(code):
    assert rules.credit_code_errors(code) == []


def test_wrong_check_character_names_the_expected_one():
    assert rules.credit_code_errors("91350100M000100Y44") == [
        rules.CREDIT_CODE_CHECK.format(expected="3", actual="4")
    ]


@pytest.mark.parametrize("code", ["", "91350100M000100Y4", "91350100M000100Y433"])
def test_wrong_length_is_refused(code):
    assert rules.credit_code_errors(code) == [rules.CREDIT_CODE_LENGTH.format(length=len(code))]


@pytest.mark.parametrize("letter", ["I", "O", "S", "V", "Z"])
def test_letters_outside_the_31_character_alphabet_are_refused(letter):
    code = "9135010" + letter + "M000100Y43"
    assert rules.credit_code_errors(code) == [rules.CREDIT_CODE_CHARACTER.format(position=8, char=letter)]


ALPHABET = st.sampled_from(rules.CREDIT_CODE_ALPHABET)
AUTHORITY_AND_CATEGORY = st.sampled_from(
    [a + c for a, (_, categories) in rules.REGISTRATION_AUTHORITIES.items() for c in categories]
)


@st.composite
def bodies(draw) -> str:
    """17 characters valid part by part: 表1 codes, six region digits, an organization code with its check."""
    region = "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=6, max_size=6)))
    organization = "".join(draw(st.lists(ALPHABET, min_size=8, max_size=8)))
    return (
        draw(AUTHORITY_AND_CATEGORY)
        + region
        + organization
        + rules.organization_code_check_character(organization)
    )


@given(bodies())
def test_any_body_with_its_computed_check_character_is_valid(body):
    assert rules.credit_code_errors(body + rules.credit_code_check_character(body)) == []


@given(bodies(), ALPHABET)
def test_every_other_check_character_is_invalid(body, last):
    expected = rules.credit_code_check_character(body)
    assert (rules.credit_code_errors(body + last) == []) == (last == expected)


@given(bodies(), st.integers(0, 16), ALPHABET)
def test_a_single_changed_character_is_caught(body, position, replacement):
    code = body + rules.credit_code_check_character(body)
    changed = code[:position] + replacement + code[position + 1 :]
    assert (rules.credit_code_errors(changed) == []) == (changed == code)


def _with_checks(first16: str) -> str:
    body = first16 + rules.organization_code_check_character(first16[8:16])
    return body + rules.credit_code_check_character(body)


def test_wrong_18th_character_of_a_real_code_is_refused():
    assert rules.credit_code_errors("914403001922038217") == [
        rules.CREDIT_CODE_CHECK.format(expected="6", actual="7")
    ]


@pytest.mark.parametrize("first_two", ["N2", "Y1", "A1", "51", "93"])
def test_letters_and_codes_of_the_gb_32100_tables_are_accepted_in_positions_1_and_2(first_two):
    """GB 32100-2015 表1: 登记管理部门 N (农业), Y (其他), A …; python-stdnum refuses some of these."""
    assert rules.credit_code_errors(_with_checks(first_two + "23050012345678")) == []


def test_position_1_outside_the_table_names_position_1():
    code = _with_checks("B1" + "23050012345678")
    assert rules.credit_code_errors(code) == [rules.CREDIT_CODE_AUTHORITY.format(char="B")]


def test_position_2_not_a_category_of_its_authority_names_position_2():
    code = _with_checks("94" + "23050012345678")  # 工商 has 1 企业, 2 个体工商户, 3 农民专业合作社 only
    assert rules.credit_code_errors(code) == [
        rules.CREDIT_CODE_CATEGORY.format(char="4", authority="工商", allowed="1、2、3")
    ]


def test_letters_in_the_region_code_are_refused_naming_their_position():
    """Positions 3–8 are the 行政区划码 (six digits), which the check used to accept."""
    code = _with_checks("91" + "2305A0" + "12345678")
    assert rules.credit_code_errors(code) == [rules.CREDIT_CODE_REGION.format(position=7, char="A")]


def test_organization_code_check_character_of_positions_9_to_17_is_checked():
    """GB 11714: position 17 is the check character of the 组织机构代码 in positions 9–17."""
    body = "9123050012345678" + "0"  # the right check character is 8
    code = body + rules.credit_code_check_character(body)
    assert rules.organization_code_check_character("12345678") == "8"
    assert rules.credit_code_errors(code) == [
        rules.CREDIT_CODE_ORGANIZATION_CHECK.format(expected="8", actual="0")
    ]


@pytest.mark.parametrize(
    "value", [914403001922038216.0, 914403001922038216, "9.14403E+17", "9.14403001922038E+17"]
)
def test_a_code_that_went_through_a_numeric_excel_cell_says_to_format_the_column_as_text(value):
    message = rules.numeric_cell_error(value)
    assert message.startswith("统一社会信用代码所在单元格是数字格式") and "文本" in message
    if isinstance(value, str):
        assert rules.credit_code_errors(value) == [message]


def test_a_text_code_is_not_taken_for_a_number():
    assert rules.numeric_cell_error("914403001922038216") == ""


# ---------------------------------------------------------------- 第十九条 a late first assignment


def test_a_backdated_start_keeps_the_assignment_late():
    """第十九条: recorded after the 15th day with a start date typed before it — still late, by the entry day."""
    due = date(2020, 8, 16)
    assert (
        rules.assignment_late_days(due_on=due, start_on=date(2020, 8, 10), recorded_on=date(2020, 8, 20)) == 4
    )
    assert (
        rules.assignment_late_days(due_on=due, start_on=date(2020, 8, 10), recorded_on=date(2020, 8, 16)) == 0
    )
    assert (
        rules.assignment_late_days(due_on=None, start_on=date(2020, 8, 10), recorded_on=date(2020, 9, 1)) == 0
    )


# ---------------------------------------------------------------- 第二十一条 monthly report overdue


def test_an_unsubmitted_month_report_is_overdue_from_the_day_after_the_5th_of_the_next_month():
    """Decision (as of the month's end): due by the 5th of the next month, so no unit is overdue on the 1st."""
    assert not rules.monthly_report_overdue(year=2020, month=10, submitted=False, today=date(2020, 11, 1))
    assert not rules.monthly_report_overdue(year=2020, month=10, submitted=False, today=date(2020, 11, 5))
    assert rules.monthly_report_overdue(year=2020, month=10, submitted=False, today=date(2020, 11, 6))
    assert not rules.monthly_report_overdue(year=2020, month=10, submitted=True, today=date(2020, 11, 6))
    assert rules.monthly_report_due_on(2020, 12) == date(2021, 1, 5)
    assert rules.monthly_report_due_on(2020, 12, due_day=10) == date(2021, 1, 10)


# ---------------------------------------------------------------- 第八条 rank rules


@pytest.mark.parametrize("rank", ["deputy_division", "division", "bureau"])
def test_city_level_chief_of_deputy_division_rank_or_above_is_accepted(rank):
    assert rules.rank_error(role=rules.CHIEF, rank=rank, rank_rules_apply=True) == ""


@pytest.mark.parametrize("rank", ["clerk", "staff", "deputy_section", "section"])
def test_city_level_chief_below_deputy_division_is_refused(rank):
    assert rules.rank_error(role=rules.CHIEF, rank=rank, rank_rules_apply=True) == rules.CHIEF_RANK_TOO_LOW


@pytest.mark.parametrize("rank", ["deputy_section", "section", "deputy_division"])
def test_city_level_liaison_of_section_rank_or_above_is_accepted(rank):
    assert rules.rank_error(role=rules.LIAISON, rank=rank, rank_rules_apply=True) == ""


@pytest.mark.parametrize("rank", ["clerk", "staff"])
def test_city_level_liaison_below_section_rank_is_refused(rank):
    assert (
        rules.rank_error(role=rules.LIAISON, rank=rank, rank_rules_apply=True) == rules.LIAISON_RANK_TOO_LOW
    )


def test_county_units_are_not_bound_by_the_city_rank_rule():
    assert rules.rank_error(role=rules.CHIEF, rank="staff", rank_rules_apply=False) == ""


# ---------------------------------------------------------------- 第九条, 附件1 assignment modes


@pytest.mark.parametrize("mode", [rules.ONE_TO_MANY, rules.ONE_TO_ONE])
def test_key_subject_is_served_by_a_task_force_only(mode):
    """第九条: 省重点、省百大、市重点规上企业及重点监测的企业 采用专班式服务方式."""
    error = rules.assignment_mode_error(mode=mode, officer_role=rules.CHIEF, is_key_subject=True)
    assert error == rules.KEY_SUBJECT_NEEDS_TASK_FORCE


def test_one_to_one_allows_a_single_officer_per_enterprise():
    error = rules.assignment_mode_error(
        mode=rules.ONE_TO_ONE,
        officer_role=rules.LIAISON,
        is_key_subject=False,
        other_one_to_one_officer="张三",
    )
    assert error == rules.ONE_TO_ONE_TAKEN.format(name="张三")


def test_task_force_is_led_by_a_chief_and_joined_by_liaisons_once_led():
    """第九条 工作专班的组长或包保领导即为首席服务员; 第十三条(一) liaisons 协助项目推进专班."""
    assert (
        rules.assignment_mode_error(mode=rules.TASK_FORCE, officer_role=rules.LIAISON, is_key_subject=True)
        == rules.TASK_FORCE_NEEDS_CHIEF
    )
    assert (
        rules.assignment_mode_error(mode=rules.TASK_FORCE, officer_role=rules.CHIEF, is_key_subject=True)
        == ""
    )
    assert (
        rules.assignment_mode_error(
            mode=rules.TASK_FORCE, officer_role=rules.LIAISON, is_key_subject=True, task_force_led=True
        )
        == ""
    )


def test_individual_businesses_default_to_the_district_market_office():
    assert (
        rules.default_liaison_unit_name(subject_kind="individual", district_name="宝清县")
        == "宝清县市场监督管理局"
    )
    assert (
        rules.default_liaison_unit_name(subject_kind="individual", district_name="市经开区管委会")
        == "市经开区市场监督管理局"
    )
    assert rules.default_liaison_unit_name(subject_kind="enterprise", district_name="宝清县") == ""


# ---------------------------------------------------------------- 第十九条 15 days


def test_assignment_is_due_fifteen_calendar_days_after_signing():
    assert rules.assignment_due_on(date(2020, 7, 24)) == date(2020, 8, 8)


def test_fifteenth_day_is_on_time_sixteenth_is_overdue():
    due = rules.assignment_due_on(date(2020, 7, 24))
    assert not rules.assignment_overdue(due_on=due, assigned_on=None, today=date(2020, 8, 8))
    assert rules.assignment_overdue(due_on=due, assigned_on=None, today=date(2020, 8, 9))


def test_an_assigned_subject_is_never_overdue():
    due = rules.assignment_due_on(date(2020, 7, 24))
    assert not rules.assignment_overdue(due_on=due, assigned_on=date(2020, 8, 20), today=date(2020, 9, 1))


# ---------------------------------------------------------------- 第二十一条 carry-over


def test_open_entry_is_carried_over_until_it_is_closed():
    aug = rules.month_position(received_on=date(2020, 8, 10), closed_on=date(2020, 10, 5), year=2020, month=8)
    sep = rules.month_position(received_on=date(2020, 8, 10), closed_on=date(2020, 10, 5), year=2020, month=9)
    oct_ = rules.month_position(
        received_on=date(2020, 8, 10), closed_on=date(2020, 10, 5), year=2020, month=10
    )
    nov = rules.month_position(
        received_on=date(2020, 8, 10), closed_on=date(2020, 10, 5), year=2020, month=11
    )
    assert aug == rules.MonthPosition(carried_over=False, new=True, closed_in_month=False, open_at_end=True)
    assert sep == rules.MonthPosition(carried_over=True, new=False, closed_in_month=False, open_at_end=True)
    assert oct_ == rules.MonthPosition(carried_over=True, new=False, closed_in_month=True, open_at_end=False)
    assert nov is None


def test_entry_received_after_the_month_is_not_in_it():
    assert rules.month_position(received_on=date(2020, 9, 1), closed_on=None, year=2020, month=8) is None


@given(
    st.dates(min_value=date(2020, 1, 1), max_value=date(2022, 12, 31)),
    st.one_of(st.none(), st.integers(0, 400)),
    st.integers(2020, 2022),
    st.integers(1, 12),
)
def test_month_position_agrees_with_the_dates(received, days_open, year, month):
    closed = None if days_open is None else date.fromordinal(received.toordinal() + days_open)
    first, last = rules.month_bounds(year, month)
    position = rules.month_position(received_on=received, closed_on=closed, year=year, month=month)
    belongs = received <= last and (closed is None or closed >= first)
    assert (position is not None) == belongs
    if position:
        assert position.carried_over != position.new
        assert position.open_at_end != (closed is not None and closed <= last)


# ---------------------------------------------------------------- quarterly flags


def test_quarter_flag_states():
    assert rules.quarter_flag(has_one=True, year=2020, quarter=3, today=date(2020, 12, 1)) == "done"
    assert rules.quarter_flag(has_one=False, year=2020, quarter=3, today=date(2020, 9, 30)) == "due"
    assert rules.quarter_flag(has_one=False, year=2020, quarter=3, today=date(2020, 10, 1)) == "missing"
    assert rules.quarter_flag(has_one=False, year=2020, quarter=4, today=date(2020, 9, 1)) == "future"


def test_quarter_of_and_bounds():
    assert rules.quarter_of(date(2020, 7, 24)) == (2020, 3)
    assert rules.quarter_bounds(2020, 1) == (date(2020, 1, 1), date(2020, 3, 31))
    assert rules.quarter_bounds(2020, 4) == (date(2020, 10, 1), date(2020, 12, 31))


# ---------------------------------------------------------------- 第二十七条 satisfaction


def test_satisfaction_rate_and_score_round_half_up():
    result = rules.satisfaction([rules.SATISFIED, rules.BASICALLY, rules.DISSATISFIED])
    assert result.rate == Decimal("66.67")
    assert result.score == Decimal("53.33")
    assert (result.responses, result.satisfied, result.basically, result.dissatisfied) == (3, 1, 1, 1)


def test_no_answers_give_no_rate():
    assert rules.satisfaction([]).rate is None


@given(
    st.lists(st.sampled_from([rules.SATISFIED, rules.BASICALLY, rules.DISSATISFIED]), min_size=1, max_size=60)
)
def test_satisfaction_is_a_percentage(answers):
    result = rules.satisfaction(answers)
    assert Decimal(0) <= result.score <= result.rate <= Decimal(100)
    assert result.rate.as_tuple().exponent == -2


# ---------------------------------------------------------------- 第二十九条 exemption decisions


@pytest.mark.parametrize("decision", [rules.EXEMPT, rules.LIGHTER, rules.MITIGATED, rules.NOT_EXEMPT])
@pytest.mark.parametrize("ground", ["1", "2", "3", "4"])
def test_grounds_one_to_four_allow_every_exemption_decision(ground, decision):
    assert rules.exemption_decision_error(claimed_ground=ground, decision=decision, reason="理由") == ""


def test_ground_five_only_lightens_or_mitigates():
    assert rules.exemption_decision_error(claimed_ground="5", decision=rules.EXEMPT, reason="理由") == (
        rules.GROUND_FIVE_NOT_EXEMPT
    )
    assert rules.exemption_decision_error(claimed_ground="5", decision=rules.LIGHTER, reason="理由") == ""


def test_exemption_decision_needs_a_claim_and_reasons():
    assert rules.exemption_decision_error(claimed_ground="", decision=rules.EXEMPT, reason="x") == (
        rules.NO_EXEMPTION_CLAIMED
    )
    assert rules.exemption_decision_error(claimed_ground="1", decision=rules.EXEMPT, reason="  ") == (
        rules.REASON_REQUIRED
    )


def test_case_decision_waits_for_the_exemption_answer_and_none_after_exemption():
    assert (
        rules.case_decision_error(claimed_ground="2", exemption_decision="", decision="criticism", reason="r")
        == rules.DECISION_NEEDS_EXEMPTION_ANSWER
    )
    assert (
        rules.case_decision_error(
            claimed_ground="2", exemption_decision=rules.EXEMPT, decision="criticism", reason="r"
        )
        == rules.EXEMPT_HAS_NO_MEASURE
    )
    assert (
        rules.case_decision_error(
            claimed_ground="2", exemption_decision=rules.LIGHTER, decision="criticism", reason="r"
        )
        == ""
    )
    assert rules.case_decision_error(
        claimed_ground="", exemption_decision="", decision="criticism", reason=""
    ) == (rules.REASON_REQUIRED)
