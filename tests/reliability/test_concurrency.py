"""Two people acting on the same object at once, each on their own connection: exactly one effect.

The awards workflow has its own races (tests/awards/test_concurrency.py); these cover the other apps.
Runs on SQLite and, in CI's second pass, on PostgreSQL.
"""

from datetime import date

import pytest

from chiefservice import services as chief
from chiefservice.models import MonthlyReport
from investment import services as invest
from investment.models import SelfEvaluation, TargetSet
from orgs.models import Organization
from orgs.roles import Role
from sprouts import services as sprout
from sprouts.models import HandOver
from tests.factories import make_user
from tests.investment.factories import evaluation_evidence
from tests.race import outcomes, race
from tests.sprouts.factories import CaseFactory

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_a_self_evaluation_submitted_twice_at_once_is_submitted_once(personas):
    evaluation, _ = SelfEvaluation.objects.get_or_create(
        organization=Organization.objects.get(name="宝清县"),
        year=2020,
        defaults={"due_on": date(2020, 12, 25)},
    )
    invest.evaluation_save_report(
        evaluation=evaluation, report="全年目标完成情况见附件。", by=personas.reporter
    )
    evaluation_evidence(evaluation, personas.reporter)
    first, second = (SelfEvaluation.objects.get(pk=evaluation.pk) for _ in range(2))
    results = race(
        lambda: invest.evaluation_submit(evaluation=first, by=personas.reporter),
        lambda: invest.evaluation_submit(evaluation=second, by=personas.reporter),
    )
    assert outcomes(results) == ["ok", "refused"], results
    # Stored once: one history row records the submission.
    assert evaluation.history.exclude(submitted_at=None).count() == 1


def test_two_drafts_of_the_same_years_targets_at_once_give_one_draft(personas):
    results = race(
        lambda: invest.target_set_create(year=2031, by=personas.city_office),
        lambda: invest.target_set_create(year=2031, by=personas.city_office),
    )
    assert outcomes(results) == ["ok", "refused"], results
    assert TargetSet.objects.filter(year=2031).count() == 1


def test_a_hand_over_acknowledged_twice_at_once_is_acknowledged_once(personas):
    case = CaseFactory(by=personas.agriculture, source="risk_monitoring", stage="production")
    handover = HandOver.objects.filter(case=case).latest("pk")
    receiver = make_user(Role.MARKET, handover.to_office, username="receiver2")
    copies = [HandOver.objects.get(pk=handover.pk) for _ in range(2)]
    results = race(
        lambda: sprout.handover_acknowledge(handover=copies[0], by=personas.market),
        lambda: sprout.handover_acknowledge(handover=copies[1], by=receiver),
    )
    assert outcomes(results) == ["ok", "refused"], results
    acknowledged = handover.history.exclude(acknowledged_at=None)
    assert acknowledged.count() == 1
    winner = personas.market if results[0][0] == "ok" else receiver
    assert HandOver.objects.get(pk=handover.pk).acknowledged_by == winner


def test_a_monthly_ledger_report_submitted_twice_at_once_is_submitted_once(personas):
    unit = Organization.objects.get(name="宝清县")
    report = chief.monthly_report_generate(unit=unit, year=2020, month=5, by=personas.reporter)
    copies = [MonthlyReport.objects.get(pk=report.pk) for _ in range(2)]
    results = race(
        lambda: chief.monthly_report_submit(report=copies[0], by=personas.reporter),
        lambda: chief.monthly_report_submit(report=copies[1], by=personas.reporter),
    )
    assert outcomes(results) == ["ok", "refused"], results
    assert report.history.exclude(submitted_at=None).count() == 1
