"""Two users acting on the same allocation at once, each on its own database connection: exactly one wins.

Runs on SQLite and, in CI's second pass, on PostgreSQL. Each thread opens its own connection; a barrier
releases both calls together. The loser gets a ValidationError with a clear message.
"""

import datetime

import pytest

from awards import services
from awards.models import AllocationLine, AllocationLog, AllocationStatus
from orgs.roles import Role
from tests.awards.factories import entity, seen, workflow_year
from tests.factories import make_user
from tests.race import race

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def submitted(personas):
    draft = workflow_year(by=personas.fgw_clerk)
    return services.allocation_submit(allocation=draft, by=personas.fgw_clerk, version=draft.version)


def test_two_approvers_approving_at_once_exactly_one_wins(submitted, personas):
    other = make_user(Role.FGW_APPROVER, entity("市发展改革委"), username="approver2")
    seen = submitted.version
    results = race(
        lambda: services.allocation_approve(allocation=submitted, by=personas.fgw_approver, version=seen),
        lambda: services.allocation_approve(allocation=submitted, by=other, version=seen),
    )
    outcomes = sorted(kind for kind, _ in results)
    assert outcomes == ["ok", "refused"], results
    refused = next(value for kind, value in results if kind == "refused")
    assert "其他用户" in refused[0] or "不能审批通过" in refused[0]
    submitted.refresh_from_db()
    assert submitted.status == AllocationStatus.APPROVED
    assert AllocationLog.objects.filter(allocation=submitted, action="审批通过").count() == 1


def test_approve_against_an_edit_exactly_one_wins(submitted, personas):
    line = submitted.lines.get(entity=entity("宝清县"))
    seen = submitted.version
    results = race(
        lambda: services.allocation_approve(allocation=submitted, by=personas.fgw_approver, version=seen),
        lambda: services.line_adjust(line=line, by=personas.fgw_clerk, amount=1, reason="更正", version=seen),
    )
    assert sorted(kind for kind, _ in results) == ["ok", "refused"], results
    submitted.refresh_from_db()
    line.refresh_from_db()
    approve_won = results[0][0] == "ok"
    if approve_won:
        assert submitted.status == AllocationStatus.APPROVED
        assert line.final_amount != 1
    else:
        assert submitted.status == AllocationStatus.SUBMITTED
        assert line.final_amount == 1
        assert "其他用户" in results[0][1][0]


def test_two_payments_of_the_same_line_at_once_exactly_one_wins(submitted, personas):
    approved = services.allocation_approve(
        allocation=submitted, by=personas.fgw_approver, version=seen(submitted)
    )
    current = services.allocation_record_city_approval(
        allocation=approved,
        by=personas.city_office,
        document_no="批复1号",
        document_date=datetime.date(2031, 1, 5),
        version=seen(approved),
    )
    line = current.lines.get(entity=entity("宝清县"))
    other = make_user(Role.FINANCE, entity("市财政局"), username="finance2")
    day = datetime.date(2031, 2, 1)
    results = race(
        lambda: services.line_disburse(line=line, by=personas.finance, paid_on=day, voucher_no="A"),
        lambda: services.line_disburse(line=line, by=other, paid_on=day, voucher_no="B"),
    )
    assert sorted(kind for kind, _ in results) == ["ok", "refused"], results
    assert AllocationLine.objects.get(pk=line.pk).voucher_no in {"A", "B"}
    assert AllocationLog.objects.filter(allocation=current, action="拨付").count() == 1
