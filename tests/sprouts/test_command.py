"""``sprouts_route`` prints the same decision and reasons as the intake form."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from sprouts import services
from sprouts.models import RoutingRule

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("sprouts_route", *args, stdout=out)
    return out.getvalue()


def test_prints_the_lead_office_and_the_clauses(gazette):
    out = run("--stage", "circulation", "--district", "宝清县", "--source", "inspection")
    assert "承办单位：宝清县市场监督管理局" in out
    assert "第二条（市场流通环节）：市场监管部门牵头" in out
    assert "第五条（属地管理）：案发地宝清县 → 宝清县市场监督管理局" in out


def test_accepts_chinese_labels_and_the_criminal_flag(gazette):
    out = run("--stage", "生产环节", "--district", "集贤县", "--source", "风险监测", "--criminal")
    assert "承办单位：集贤县公安局" in out
    assert "第四条" in out


def test_matches_the_decision_stored_by_intake(personas):
    from .factories import CaseFactory

    case = CaseFactory(by=personas.agriculture, source="risk_monitoring", stage="production")
    out = run(
        "--stage", "production", "--district", "宝清县", "--source", "risk_monitoring", "--date", "2026-03-02"
    )
    for line in case.decisions.get().reason_lines():
        assert f"  {line}" in out


def test_shows_a_rule_change_before_any_case_is_routed(personas):
    v1 = RoutingRule.objects.get(code="clause-2-catering")
    services.rule_revise(rule=v1, by=personas.admin, lead_sector="agriculture")
    out = run("--stage", "catering", "--district", "宝清县", "--source", "inspection")
    assert "承办单位：宝清县农业农村局" in out


def test_unknown_stage_is_an_error(gazette):
    with pytest.raises(CommandError, match="未知的环节"):
        run("--stage", "wholesale", "--district", "宝清县", "--source", "inspection")


def test_no_rule_in_force_is_an_error(gazette):
    with pytest.raises(CommandError, match="无法分办"):
        run("--stage", "catering", "--district", "宝清县", "--source", "inspection", "--date", "2019-01-01")


def test_district_may_be_given_by_an_alias(gazette):
    out = run("--stage", "catering", "--district", "经开区", "--source", "complaint")
    assert "承办单位：市经开区市场监督管理局" in out


def test_unknown_district_is_an_error(gazette):
    with pytest.raises(CommandError, match="未知的县（区）"):
        run("--stage", "catering", "--district", "哈尔滨", "--source", "complaint")
