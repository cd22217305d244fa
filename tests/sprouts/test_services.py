"""Writes: intake with routing, hand-overs, acknowledgement, crime referral, closure, rule revisions."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from orgs.access import visible
from orgs.models import Notification, Organization
from orgs.uploads import BAD_TYPE
from sprouts import permissions, rules, services, tasks
from sprouts.choices import Outcome, Source, Stage, Status, Trigger
from sprouts.models import Case, CaseLog, HandOver, RoutingRule, SupervisionSettings

from .factories import CaseFactory, district

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64

pytestmark = pytest.mark.django_db


def org(name):
    return Organization.objects.get(name=name)


def rule(code) -> RoutingRule:
    return RoutingRule.objects.get(code=code, is_current=True)


def risk_finding(personas, **kwargs):
    return CaseFactory(
        by=personas.agriculture, source=Source.RISK_MONITORING, stage=Stage.PRODUCTION, **kwargs
    )


def test_production_case_is_led_by_market_with_agriculture_cooperating(personas):
    case = CaseFactory(by=personas.market, stage=Stage.PRODUCTION)
    assert case.lead_office == org("宝清县市场监督管理局")
    assert list(case.cooperating_offices.all()) == [org("宝清县农业农村局")]
    assert case.status == Status.HANDLING
    assert not case.handovers.exists()


def test_circulation_case_is_led_by_market_regulation(personas):
    case = CaseFactory(by=personas.market, stage=Stage.CIRCULATION)
    decision = case.decisions.get()
    assert (case.lead_sector, decision.lead_office) == ("market", org("宝清县市场监督管理局"))
    assert decision.rule_version_ids == [rule("clause-2-circulation").pk, rule("clause-5-territorial").pk]
    assert "第二条" in decision.reasons and "第五条" in decision.reasons


def test_catering_case_is_led_by_market_regulation(personas):
    case = CaseFactory(by=personas.market, stage=Stage.CATERING)
    assert set(case.decisions.get().rules.values_list("code", flat=True)) == {
        "clause-2-catering",
        "clause-5-territorial",
    }


def test_agriculture_risk_monitoring_finding_is_handed_to_the_district_market_office(personas):
    case = risk_finding(personas)
    handover = case.handovers.get()
    assert (handover.from_office, handover.to_office) == (
        org("宝清县农业农村局"),
        org("宝清县市场监督管理局"),
    )
    assert handover.due_on == timezone.localdate() + timedelta(days=3)
    assert case.status == Status.PENDING
    assert "第三条" in handover.reason
    assert Notification.objects.filter(recipient=personas.market, event="sprouts.handover").count() == 1
    assert not Notification.objects.filter(recipient=personas.other_market).exists()


def test_acknowledgement_period_is_a_parameter(personas):
    SupervisionSettings.objects.update(acknowledgement_days=7)
    handover = risk_finding(personas).handovers.get()
    assert handover.due_on == timezone.localdate() + timedelta(days=7)


def test_suspected_crime_at_intake_goes_to_the_district_police(personas):
    case = CaseFactory(by=personas.market, criminal_suspected=True)
    assert case.lead_office == org("宝清县公安局")
    assert case.handovers.get().to_office == org("宝清县公安局")
    assert case.decisions.get().rules.filter(code="clause-4-crime").exists()


def test_district_office_is_chosen_territorially(personas):
    case = CaseFactory(by=personas.other_market, district=district("集贤县"), stage=Stage.CATERING)
    assert case.lead_office == org("集贤县市场监督管理局")
    assert case.status == Status.HANDLING


def test_case_number_carries_the_year_and_id(personas):
    case = CaseFactory(by=personas.market)
    assert case.number == f"DY2026{case.pk:06d}"


def test_found_on_in_the_future_is_refused(personas):
    with pytest.raises(ValidationError) as exc:
        CaseFactory(by=personas.market, found_on=timezone.localdate() + timedelta(days=1))
    assert exc.value.message_dict == {"found_on": [rules.FOUND_IN_FUTURE]}
    assert not Case.objects.exists()


def test_acknowledging_moves_the_case_to_handling_once(personas):
    case = risk_finding(personas)
    handover = case.handovers.get()
    services.handover_acknowledge(handover=handover, by=personas.market)
    case.refresh_from_db()
    assert case.status == Status.HANDLING
    assert handover.acknowledged_by == personas.market
    assert Notification.objects.filter(recipient=personas.agriculture, event="sprouts.acknowledged").exists()
    with pytest.raises(ValidationError) as exc:
        services.handover_acknowledge(handover=handover, by=personas.market)
    assert exc.value.messages == [permissions.ALREADY_ACKNOWLEDGED]
    assert list(case.logs.values_list("action", flat=True)) == ["登记", "确认接收"]


def test_crime_found_later_hands_the_case_to_police_with_a_new_decision(personas):
    case = risk_finding(personas)
    services.handover_acknowledge(handover=case.handovers.get(), by=personas.market)
    handover = services.case_refer_to_police(
        case=case, by=personas.market, reason="检出6-苄基腺嘌呤，数量较大"
    )
    case.refresh_from_db()
    assert handover.to_office == org("宝清县公安局")
    assert (case.lead_office, case.status, case.criminal_suspected) == (
        org("宝清县公安局"),
        Status.PENDING,
        True,
    )
    crime = case.decisions.get(trigger=Trigger.CRIME)
    assert crime.rules.filter(code="clause-4-crime").exists()
    assert org("宝清县市场监督管理局") in case.cooperating_offices.all()
    services.handover_acknowledge(handover=handover, by=personas.police)
    case.refresh_from_db()
    assert case.status == Status.HANDLING


def test_handing_over_when_the_case_moved_on_is_refused(personas):
    case = risk_finding(personas)  # still pending: the market office has not acknowledged
    reason = permissions.can_refer_to_police(personas.market, case).reason
    assert reason == "当前状态为“待接收”，不能涉嫌犯罪移交公安。"
    with pytest.raises(ValidationError) as exc:
        services.case_refer_to_police(case=case, by=personas.market, reason="x")
    assert exc.value.messages == [reason]
    assert case.handovers.count() == 1


def test_hand_over_to_another_office_changes_the_lead(personas):
    case = CaseFactory(by=personas.market)
    services.handover_create(
        case=case, by=personas.market, to_office=org("集贤县市场监督管理局"), reason="经营者在集贤县"
    )
    case.refresh_from_db()
    assert (case.lead_office, case.status) == (org("集贤县市场监督管理局"), Status.PENDING)


def test_hand_over_to_own_office_is_refused(personas):
    case = CaseFactory(by=personas.market)
    with pytest.raises(ValidationError) as exc:
        services.handover_create(
            case=case, by=personas.market, to_office=org("宝清县市场监督管理局"), reason="x"
        )
    assert exc.value.message_dict == {"to_office": [services.SAME_OFFICE]}


def test_a_rule_changed_later_leaves_old_cases_as_they_were(personas):
    old_case = CaseFactory(by=personas.market, stage=Stage.CIRCULATION)
    v1 = rule("clause-2-circulation")
    v2 = services.rule_revise(rule=v1, by=personas.admin, lead_sector="agriculture", title="修改后的规则")
    v1.refresh_from_db()
    assert (v1.version, v1.is_current, v1.lead_sector) == (1, False, "market")
    assert (v2.version, v2.is_current) == (2, True)

    old_case.refresh_from_db()
    old_decision = old_case.decisions.get()
    assert old_case.lead_office == org("宝清县市场监督管理局")
    assert old_decision.rule_version_ids[0] == v1.pk
    assert list(old_decision.rules.values_list("version", flat=True).order_by("code")) == [1, 1]

    new_case = CaseFactory(by=personas.agriculture, stage=Stage.CIRCULATION)
    assert new_case.lead_office == org("宝清县农业农村局")
    assert new_case.decisions.get().rule_version_ids[0] == v2.pk


def test_only_the_current_version_of_a_rule_can_be_revised(personas):
    v1 = rule("clause-2-catering")
    services.rule_revise(rule=v1, by=personas.admin, priority=25)
    with pytest.raises(ValidationError) as exc:
        services.rule_revise(rule=v1, by=personas.admin, priority=26)
    assert exc.value.messages == [services.RULE_NOT_CURRENT]


def test_revised_rule_history_names_the_editor(personas):
    v2 = services.rule_revise(rule=rule("clause-2-catering"), by=personas.admin, priority=25)
    assert v2.history.first().history_user == personas.admin


def test_unacknowledged_hand_overs_past_the_due_day_are_reminded_once(personas):
    case = risk_finding(personas)
    HandOver.objects.filter(case=case).update(due_on=timezone.localdate() - timedelta(days=1))
    assert tasks.remind_overdue_handovers.delay().get() == 1
    handover = case.handovers.get()
    assert handover.is_overdue and handover.reminded_at is not None
    assert (
        Notification.objects.filter(event="sprouts.handover_overdue", recipient=personas.market).count() == 1
    )
    assert (
        Notification.objects.filter(event="sprouts.handover_overdue", recipient=personas.agriculture).count()
        == 1
    )
    assert services.handovers_remind_overdue() == 0


def test_hand_over_due_today_is_not_yet_reminded(personas):
    case = risk_finding(personas)
    HandOver.objects.filter(case=case).update(due_on=timezone.localdate())
    assert services.handovers_remind_overdue() == 0


def test_acknowledged_hand_overs_are_never_reminded(personas):
    case = risk_finding(personas)
    services.handover_acknowledge(handover=case.handovers.get(), by=personas.market)
    assert services.handovers_remind_overdue(today=timezone.localdate() + timedelta(days=30)) == 0


def test_penalty_decision_records_office_basis_and_amount(personas):
    case = CaseFactory(by=personas.market, stage=Stage.PRODUCTION)
    penalty = services.penalty_record(
        case=case,
        by=personas.agriculture,
        legal_basis="《中华人民共和国农产品质量安全法》第五十条",
        amount=Decimal("5000.00"),
        decided_on=date(2026, 3, 10),
    )
    assert (penalty.decided_by_office, penalty.amount) == (org("宝清县农业农村局"), Decimal("5000.00"))


def test_negative_penalty_amount_is_refused(personas):
    case = CaseFactory(by=personas.market)
    with pytest.raises(ValidationError) as exc:
        services.penalty_record(
            case=case, by=personas.market, legal_basis="x", amount=Decimal("-1"), decided_on=date(2026, 3, 10)
        )
    assert "amount" in exc.value.message_dict


def test_closing_records_the_outcome_and_cannot_happen_twice(personas):
    case = CaseFactory(by=personas.market)
    services.case_close(case=case, by=personas.market, outcome=Outcome.CORRECTED, note="已整改")
    case.refresh_from_db()
    assert (case.status, case.outcome) == (Status.CLOSED, Outcome.CORRECTED)
    assert CaseLog.objects.filter(case=case, action="办结", by=personas.market).exists()
    with pytest.raises(ValidationError):
        services.case_close(case=case, by=personas.market, outcome=Outcome.CORRECTED)


def test_closing_with_an_unknown_outcome_is_refused(personas):
    case = CaseFactory(by=personas.market)
    with pytest.raises(ValidationError):
        services.case_close(case=case, by=personas.market, outcome="bogus")
    case.refresh_from_db()
    assert case.status == Status.HANDLING


def test_evidence_is_checked_by_content(personas):
    case = CaseFactory(by=personas.market)
    services.evidence_add(case=case, by=personas.market, upload=SimpleUploadedFile("photo.png", PNG))
    with pytest.raises(ValidationError) as exc:
        services.evidence_add(
            case=case, by=personas.market, upload=SimpleUploadedFile("a.pdf", b"MZ not a pdf")
        )
    assert exc.value.messages == [BAD_TYPE]
    assert case.evidence.count() == 1


def test_intake_with_a_bad_file_saves_nothing(personas):
    with pytest.raises(ValidationError):
        CaseFactory(by=personas.market, files=[SimpleUploadedFile("x.png", b"not an image")])
    assert not Case.objects.exists()
    assert not HandOver.objects.exists()


def test_each_office_sees_only_cases_it_leads_cooperates_on_reported_or_received(personas):
    production = CaseFactory(by=personas.market, stage=Stage.PRODUCTION)
    circulation = CaseFactory(by=personas.market, stage=Stage.CIRCULATION)
    elsewhere = CaseFactory(by=personas.other_market, district=district("集贤县"))
    finding = risk_finding(personas)
    assert set(visible(personas.market, Case)) == {production, circulation, finding}
    assert set(visible(personas.agriculture, Case)) == {production, finding}
    assert set(visible(personas.other_market, Case)) == {elsewhere}
    assert set(visible(personas.police, Case)) == set()
    assert set(visible(personas.leader, Case)) == {production, circulation, elsewhere, finding}
    assert set(visible(personas.reporter, Case)) == set()


def test_police_see_a_case_once_it_is_handed_to_them(personas):
    case = CaseFactory(by=personas.market)
    services.case_refer_to_police(case=case, by=personas.market, reason="涉嫌犯罪")
    assert list(visible(personas.police, Case)) == [case]
    assert list(visible(personas.market, Case)) == [case]


def test_load_gazette_twice_changes_nothing(gazette):
    before = list(RoutingRule.objects.values())
    call_command("load_gazette", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert list(RoutingRule.objects.values()) == before
    assert RoutingRule.objects.count() == 6


def test_status_changes_leave_history_with_the_acting_user(personas):
    case = risk_finding(personas)
    services.handover_acknowledge(handover=case.handovers.get(), by=personas.market)
    latest = case.history.first()
    assert (latest.status, latest.history_user) == (Status.HANDLING, personas.market)
    assert case.history.last().history_user == personas.agriculture


def test_cooperating_offices_changed_by_a_referral_are_in_the_case_history(personas):
    case = CaseFactory(by=personas.market)
    services.case_refer_to_police(case=case, by=personas.market, reason="涉嫌犯罪")
    market = Organization.objects.get(name="宝清县市场监督管理局")
    latest = case.history.first()
    assert latest.history_user == personas.market
    assert market in {row.organization for row in latest.cooperating_offices.all()}
    assert market not in {row.organization for row in case.history.last().cooperating_offices.all()}


def test_old_rule_versions_are_never_offered_for_routing(personas):
    v1 = rule("clause-2-catering")
    services.rule_revise(rule=v1, by=personas.admin, valid_to=date(2020, 12, 31))
    with pytest.raises(ValidationError) as exc:
        CaseFactory(by=personas.market, stage=Stage.CATERING)
    assert exc.value.messages == [rules.NO_RULE]
