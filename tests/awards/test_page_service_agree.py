"""Page and service agree: where the page disables an action, a forged POST is refused with the same reason
and writes nothing (awards spec, "Integrity of the money"; one permission decision per action)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from awards import permissions, services
from awards.models import Allocation, AllocationLine, AllocationLog, Project
from tests.awards.factories import seen

from .factories import entity, pdf, verify_year, workflow_year

TODAY = datetime.date(2030, 12, 1)


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def _writes() -> tuple:
    return (
        Allocation.objects.order_by("pk").values_list("pk", "status", "version")[::1],
        AllocationLine.objects.order_by("pk").values_list(
            "pk", "final_amount", "disqualified", "disbursed_on"
        )[::1],
        AllocationLog.objects.count(),
    )


@pytest.fixture
def draft(personas):
    return workflow_year(2030, by=personas.fgw_clerk)


def _city_approved(draft, personas):
    current = services.allocation_submit(allocation=draft, by=personas.fgw_clerk, version=seen(draft))
    current = services.allocation_approve(allocation=current, by=personas.fgw_approver, version=seen(current))
    return services.allocation_record_city_approval(
        allocation=current,
        by=personas.city_office,
        document_no="双政函〔2030〕1号",
        document_date=TODAY,
        version=seen(current),
    )


def _stale(draft, personas):
    project = Project.objects.get(year=2030, entity=entity("宝清县"))
    project.actual_investment = Decimal("1000")
    services.project_save(project=project, by=personas.reporter)


def test_stale_figures_disable_submit_and_a_forged_submit_is_refused(client, personas, draft):
    """A unit changed a project after 发改委 computed: the page names the change and submit is refused."""
    _stale(draft, personas)
    client.force_login(personas.fgw_clerk)
    page = client.get("/awards/2030/").content.decode()
    reason = permissions.can_submit(personas.fgw_clerk, Allocation.objects.get(pk=draft.pk)).reason
    assert 'id="submit-button" disabled' in page and 'id="stale-figures"' in page
    assert "宝清县" in page and "reporter" in page
    before = _writes()
    response = client.post("/awards/2030/submit/", {"version": draft.version}, follow=True)
    assert reason in _messages(response)
    assert _writes() == before


def test_recompute_clears_the_staleness(client, personas, draft):
    _stale(draft, personas)
    verify_year(2030, by=personas.fgw_clerk)  # the unit's edit sent its project back to 待核实
    services.allocation_compute(year=2030, by=personas.fgw_clerk)
    client.force_login(personas.fgw_clerk)
    page = client.get("/awards/2030/").content.decode()
    assert 'id="stale-figures"' not in page and 'id="submit-button" disabled' not in page


def test_own_submission_disables_approve_and_a_forged_approve_is_refused(client, personas, draft):
    personas.fgw_clerk.groups.add(personas.fgw_approver.groups.get())
    current = services.allocation_submit(allocation=draft, by=personas.fgw_clerk, version=seen(draft))
    client.force_login(personas.fgw_clerk)
    page = client.get("/awards/2030/").content.decode()
    assert 'id="approve-button" disabled' in page and permissions.FOUR_EYES in page
    before = _writes()
    response = client.post("/awards/2030/approve/", {"version": current.version}, follow=True)
    assert permissions.FOUR_EYES in _messages(response)
    assert _writes() == before


def test_a_superseded_revision_takes_no_payment_by_page_or_service(client, personas, draft):
    """Once a revision is opened, the older one is read-only: a forged payment on it writes nothing."""
    approved = _city_approved(draft, personas)
    old_line = approved.lines.get(entity=entity("宝清县"))
    services.allocation_revise(allocation=approved, by=personas.fgw_clerk, reason="更正统计数据")
    client.force_login(personas.finance)
    decision = permissions.can_disburse(personas.finance, AllocationLine.objects.get(pk=old_line.pk))
    assert "已被第2版取代" in decision.reason
    before = _writes()
    response = client.post(
        f"/awards/lines/{old_line.pk}/disburse/", {"paid_on": "2030-12-01", "voucher_no": "PZ-9"}, follow=True
    )
    assert decision.reason in _messages(response)
    assert _writes() == before


def test_a_superseded_revision_takes_no_disqualification(client, personas, draft):
    approved = _city_approved(draft, personas)
    old_line = approved.lines.get(entity=entity("宝清县"))
    services.allocation_revise(allocation=approved, by=personas.fgw_clerk, reason="更正")
    client.force_login(personas.fgw_clerk)
    before = _writes()
    response = client.post(
        f"/awards/lines/{old_line.pk}/disqualify/",
        {"ground": "audit", "description": "审计发现问题", "document": pdf()},
        follow=True,
    )
    assert "已被第2版取代" in response.content.decode()
    assert _writes() == before


def test_a_unit_is_never_paid_its_full_amount_twice_across_a_revision(personas, draft):
    """宝清县 paid under revision 1; revision 2 changes nothing for it: nothing more to pay."""
    approved = _city_approved(draft, personas)
    line = approved.lines.get(entity=entity("宝清县"))
    services.line_disburse(line=line, by=personas.finance, paid_on=TODAY, voucher_no="PZ-1")
    revised = services.allocation_revise(allocation=approved, by=personas.fgw_clerk, reason="更正")
    current = services.allocation_submit(allocation=revised, by=personas.fgw_clerk, version=seen(revised))
    current = services.allocation_approve(allocation=current, by=personas.fgw_approver, version=seen(current))
    current = services.allocation_record_city_approval(
        allocation=current,
        by=personas.city_office,
        document_no="双政函〔2030〕2号",
        document_date=TODAY,
        version=seen(current),
    )
    new_line = current.lines.get(entity=entity("宝清县"))
    decision = permissions.can_disburse(personas.finance, new_line)
    assert decision.reason == permissions.NOTHING_TO_PAY


def test_a_revision_raises_top_up_and_clawback_of_the_differences(personas, draft):
    """One unit higher, one lower in revision 2: the 补拨 is the difference, the 收回 the excess."""
    from awards.selectors import balances

    approved = _city_approved(draft, personas)
    units = [entity("市住房城乡建设局"), entity("市工业和信息化局")]
    for line in approved.lines.filter(entity__in=units):
        services.line_disburse(line=line, by=personas.finance, paid_on=TODAY, voucher_no=f"PZ-{line.pk}")
    revised = services.allocation_revise(allocation=approved, by=personas.fgw_clerk, reason="更正")
    higher, lower = (revised.lines.get(entity=u) for u in units)
    raised = higher.final_amount + 5
    services.line_adjust(
        line=higher, by=personas.fgw_clerk, amount=raised, reason="复核调增", version=seen(higher)
    )
    services.line_adjust(
        line=lower,
        by=personas.fgw_clerk,
        amount=lower.final_amount - 4,
        reason="复核调减",
        version=seen(lower),
    )
    current = services.allocation_submit(
        allocation=Allocation.objects.get(pk=revised.pk),
        by=personas.fgw_clerk,
        version=seen(Allocation.objects.get(pk=revised.pk)),
    )
    current = services.allocation_approve(allocation=current, by=personas.fgw_approver, version=seen(current))
    services.allocation_record_city_approval(
        allocation=current,
        by=personas.city_office,
        document_no="双政函〔2030〕2号",
        document_date=TODAY,
        version=seen(current),
    )
    owed = balances(2030)
    assert owed[units[0].pk].to_pay == 5 and owed[units[0].pk].to_recover == 0
    assert owed[units[1].pk].to_pay == 0 and owed[units[1].pk].to_recover == 4
    top_up = services.line_disburse(
        line=AllocationLine.objects.get(pk=higher.pk), by=personas.finance, paid_on=TODAY, voucher_no="BB-1"
    )
    assert top_up.disbursed_amount == 5
    assert balances(2030)[units[0].pk].net == raised
