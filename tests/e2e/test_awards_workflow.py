"""One allocation walked from draft to disbursed: 发改委经办 submits, 发改委审批 approves, 市政府办公室 records
the 批复, 市财政局 records each payment — four different users, each in their own browser context."""

import datetime

import pytest

from awards import services
from awards.models import Allocation, AllocationLog, AllocationStatus
from tests.awards.factories import workflow_year
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _after_the_award_year(today):
    # The 2030 year's facts are past and its 批复 and payments, dated in 2031, are not of a day to come.
    today(datetime.date(2031, 12, 31))


def test_allocation_from_draft_to_disbursed(new_page, personas):
    workflow_year(by=personas.fgw_clerk)

    clerk = new_page()
    login(clerk, "fgw_clerk")
    clerk.goto("/awards/2030/")
    assert "发改委经办" in clerk.locator("#waiting-for").inner_text()
    clerk.locator("#submit-button").click()
    clerk.wait_for_url("**/awards/2030/")
    assert clerk.locator("#allocation-status").inner_text() == "已提交待审批"
    assert clerk.locator("#approve-button").count() == 0

    approver = new_page()
    login(approver, "fgw_approver")
    approver.goto("/awards/2030/")
    assert "发改委审批" in approver.locator("#waiting-for").inner_text()
    approver.locator("#approve-button").click()
    approver.wait_for_url("**/awards/2030/")
    assert approver.locator("#allocation-status").inner_text() == "发改委已审批"

    city = new_page()
    login(city, "city_office")
    city.goto("/awards/2030/")
    city.get_by_label("市政府批复文号").fill("双政办函〔2031〕8号")
    city.get_by_label("批复日期").fill("2031-03-01")
    city.locator("#city-button").click()
    city.wait_for_url("**/awards/2030/")
    assert city.locator("#allocation-status").inner_text() == "已批复"

    finance = new_page()
    login(finance, "finance")
    allocation = Allocation.objects.get(year=2030)
    payable = [(line.entity_id, line.final_amount) for line in services.payable_lines(allocation)]
    assert len(payable) == 3
    for number, (entity_id, _amount) in enumerate(payable, start=1):
        finance.goto(f"/awards/2030/entity/{entity_id}/")
        finance.get_by_label("拨付日期").fill("2031-03-15")
        finance.get_by_label("拨付凭证号").fill(f"PZ-{number}")
        finance.locator("#disburse-button").click()
        finance.wait_for_url(f"**/awards/2030/entity/{entity_id}/")
        assert f"凭证号 PZ-{number}" in finance.locator("#disbursement").inner_text()

    finance.goto("/awards/2030/")
    assert finance.locator("#allocation-status").inner_text() == "已拨付"
    assert finance.locator("#waiting-for").inner_text() == "流程已完成。"
    allocation.refresh_from_db()
    assert allocation.status == AllocationStatus.DISBURSED
    who = {step.action: step.by.username for step in AllocationLog.objects.filter(allocation=allocation)}
    assert who["提交审批"] == "fgw_clerk"
    assert who["审批通过"] == "fgw_approver"
    assert who["登记市政府批复"] == "city_office"
    assert who["拨付"] == "finance"

    finance.goto("/awards/2030/history/")
    assert "全部拨付完成" in finance.content()
