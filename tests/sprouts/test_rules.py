"""The routing rules as pure functions: every clause of 双政办规〔2020〕15号, no database."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from orgs.gazette import COUNTIES
from sprouts import gazette, rules
from sprouts.choices import Source, Stage

ON = date(2026, 3, 2)


def gazette_rules() -> list[rules.Rule]:
    found = []
    for i, spec in enumerate(gazette.RULES, start=1):
        spec = dict(spec)
        spec["cooperating_sectors"] = tuple(spec.get("cooperating_sectors", ()))
        found.append(rules.Rule(id=i, valid_from=gazette.IN_FORCE_FROM, **spec))
    return found


def _short(county: str) -> str:
    return "市经开区" if county == "市经开区管委会" else county


OFFICES = {
    (None, "market"): "市市场监督管理局",
    (None, "agriculture"): "市农业农村局",
    (None, "police"): "市公安局",
}
for _county in COUNTIES:
    OFFICES[(_county, "market")] = f"{_short(_county)}市场监督管理局"
    OFFICES[(_county, "agriculture")] = f"{_short(_county)}农业农村局"
    OFFICES[(_county, "police")] = f"{_short(_county)}公安局"


def route(stage, source=Source.INSPECTION, district="宝清县", criminal=False, rule_list=None, on=ON):
    facts = rules.Facts(stage=stage, source=source, district=district, on=on, criminal=criminal)
    return rules.route(gazette_rules() if rule_list is None else rule_list, facts, OFFICES)


def rule_id(code: str) -> int:
    return next(r.id for r in gazette_rules() if r.code == code)


def test_production_is_led_by_market_regulation_with_agriculture_cooperating():
    decision = route(Stage.PRODUCTION)
    assert decision.lead_sector == "market"
    assert decision.lead_office == "宝清县市场监督管理局"
    assert decision.cooperating == (("agriculture", "宝清县农业农村局"),)
    assert decision.reasons[0].startswith("第一条")
    assert "农业行政主管部门配合" in decision.reasons[0]
    assert rule_id("clause-1-production") in decision.rule_ids


def test_circulation_is_led_by_market_regulation_under_clause_2():
    decision = route(Stage.CIRCULATION)
    assert (decision.lead_sector, decision.lead_office, decision.cooperating) == (
        "market",
        "宝清县市场监督管理局",
        (),
    )
    assert decision.reasons[0] == "第二条（市场流通环节）：市场监管部门牵头"
    assert decision.rule_ids[0] == rule_id("clause-2-circulation")


def test_catering_is_led_by_market_regulation_under_clause_2():
    decision = route(Stage.CATERING)
    assert decision.lead_office == "宝清县市场监督管理局"
    assert decision.reasons[0] == "第二条（餐饮服务环节）：市场监管部门牵头"
    assert decision.rule_ids[0] == rule_id("clause-2-catering")


def test_agriculture_risk_monitoring_finding_goes_to_market_regulation_under_clause_3():
    decision = route(Stage.PRODUCTION, source=Source.RISK_MONITORING)
    assert decision.lead_sector == "market"
    assert decision.lead_office == "宝清县市场监督管理局"
    assert decision.reasons[0] == "第三条（风险监测）：市场监管部门牵头"
    assert decision.rule_ids[0] == rule_id("clause-3-risk-monitoring")


def test_risk_monitoring_finding_in_production_keeps_agriculture_cooperating_under_clause_1():
    decision = route(Stage.PRODUCTION, source=Source.RISK_MONITORING)
    assert decision.cooperating == (("agriculture", "宝清县农业农村局"),)
    assert decision.reasons[:2] == (
        "第三条（风险监测）：市场监管部门牵头",
        "第一条（生产环节）：农业行政主管部门配合",
    )
    assert decision.rule_ids == (
        rule_id("clause-3-risk-monitoring"),
        rule_id("clause-1-production"),
        rule_id("clause-5-territorial"),
    )


def test_risk_monitoring_finding_in_circulation_has_no_cooperating_department():
    decision = route(Stage.CIRCULATION, source=Source.RISK_MONITORING)
    assert decision.cooperating == ()
    assert decision.rule_ids == (rule_id("clause-3-risk-monitoring"), rule_id("clause-5-territorial"))


def test_suspected_crime_goes_to_police_under_clause_4():
    decision = route(Stage.CIRCULATION, criminal=True)
    assert decision.lead_sector == "police"
    assert decision.lead_office == "宝清县公安局"
    assert decision.cooperating == (("market", "宝清县市场监督管理局"),)
    assert decision.reasons[0].startswith("第四条（涉嫌犯罪）：公安部门牵头")


def test_suspected_crime_wins_even_over_a_rule_with_a_smaller_priority_number():
    adjusted = [
        rules.Rule(**{**r.__dict__, "priority": 99})
        if r.criminal
        else rules.Rule(**{**r.__dict__, "priority": 1})
        for r in gazette_rules()
    ]
    assert route(Stage.PRODUCTION, criminal=True, rule_list=adjusted).lead_sector == "police"


def test_explicit_priority_decides_between_rules_that_both_apply():
    # 第三条 (priority 20) and 第一条 (priority 30) both apply to a risk-monitoring finding in production.
    assert route(Stage.PRODUCTION, source=Source.RISK_MONITORING).rule_ids[0] == rule_id(
        "clause-3-risk-monitoring"
    )
    swapped = [
        rules.Rule(**{**r.__dict__, "priority": 5}) if r.code == "clause-1-production" else r
        for r in gazette_rules()
    ]
    decision = route(Stage.PRODUCTION, source=Source.RISK_MONITORING, rule_list=swapped)
    assert decision.rule_ids[0] == rule_id("clause-1-production")


def test_district_office_is_chosen_territorially_under_clause_5():
    decision = route(Stage.CIRCULATION, district="集贤县")
    assert decision.lead_office == "集贤县市场监督管理局"
    assert decision.reasons[1] == "第五条（属地管理）：案发地集贤县 → 集贤县市场监督管理局"
    assert rule_id("clause-5-territorial") in decision.rule_ids


def test_development_zone_offices_use_the_short_prefix():
    assert route(Stage.CATERING, district="市经开区管委会").lead_office == "市经开区市场监督管理局"


def test_without_a_territorial_rule_the_city_office_handles_the_case():
    no_territorial = [r for r in gazette_rules() if not r.territorial]
    decision = route(Stage.PRODUCTION, rule_list=no_territorial)
    assert decision.lead_office == "市市场监督管理局"
    assert decision.cooperating == (("agriculture", "市农业农村局"),)


def test_a_rule_out_of_force_is_not_applied():
    expired = [
        rules.Rule(**{**r.__dict__, "valid_to": ON - timedelta(days=1)})
        if r.stage == Stage.CIRCULATION
        else r
        for r in gazette_rules()
    ]
    decision = route(Stage.CIRCULATION, rule_list=expired)
    assert not decision.routed
    assert decision.problems == (rules.NO_RULE,)


def test_a_rule_not_yet_in_force_is_not_applied():
    decision = route(Stage.CATERING, on=gazette.IN_FORCE_FROM - timedelta(days=1))
    assert decision.problems == (rules.NO_RULE,)


def test_missing_office_is_reported_not_guessed():
    decision = rules.route(
        gazette_rules(),
        rules.Facts(stage=Stage.CATERING, source=Source.INSPECTION, district="不存在县", on=ON),
        OFFICES,
    )
    assert not decision.routed
    assert decision.problems == (rules.NO_OFFICE.format(district="不存在县", sector="市场监管部门"),)


def test_acknowledgement_due_counts_calendar_days():
    assert rules.acknowledgement_due(date(2026, 2, 27), 3) == date(2026, 3, 2)


@given(
    stage=st.sampled_from(Stage.values),
    source=st.sampled_from(Source.values),
    district=st.sampled_from(COUNTIES),
    criminal=st.booleans(),
)
def test_every_case_is_routed_to_an_office_of_its_own_district(stage, source, district, criminal):
    decision = route(stage, source=source, district=district, criminal=criminal)
    assert decision.routed
    assert decision.lead_sector == ("police" if criminal else "market")
    assert decision.lead_office.startswith(_short(district))
    assert all(name.startswith(_short(district)) for _, name in decision.cooperating)
    assert decision.rule_ids[-1] == rule_id("clause-5-territorial")
