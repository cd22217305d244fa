"""The award year's money, kept whole through a changed project and a revision (spec awards.md, "Integrity of
the money"): 发改委经办 computes, 宝清县's 填报员 changes a project, the page says the figures are stale and
refuses to submit until recomputed; after approval, 批复 and payment a revision raises one unit and lowers
another, and 市财政局 settles the 补拨 and the 收回 of the differences — never a second full payment.

Every step is taken in a browser by the user whose turn it is; the setup only enters the year's data."""

import datetime
import re
from decimal import Decimal

import pytest

from awards.models import Category, SchemeParameters
from tests.awards.factories import GROUP2, TWO_TIERS, ProjectFactory, entity
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _paid_by_the_end_of_2031(today):
    # The story runs after its award year (the facts of a year to come are refused) and its payments are
    # dated in 2031 (a payment may not be dated after today): "today" is the last day of 2031.
    today(datetime.date(2031, 12, 31))


YEAR = 2030
ALLOCATION = f"/awards/{YEAR}/"
HIGHER = "宝清县"  # 第一组; raised by 10 万元 in the revision
LOWER = "市住房城乡建设局"  # 第二组 一等奖 (20 万元); lowered to 15 万元 in the revision
RAISE = Decimal(10)
LOWERED_TO = Decimal(15)


def year_data():
    """宝清县's big project as in the demo year (完成投资 52000 万元) and three 第二组 units under two tiers."""
    SchemeParameters.objects.create(year=YEAR, tiers=TWO_TIERS)
    project = ProjectFactory(
        year=YEAR,
        name="宝清县百大项目",
        entity=entity(HIGHER),
        single=True,
        planned_investment=Decimal(60000),
        actual_investment=Decimal(52000),
    )
    for name, actual in GROUP2:
        ProjectFactory(
            year=YEAR,
            entity=entity(name),
            category=Category.CITY,
            planned_investment=Decimal(actual),
            actual_investment=Decimal(actual),
        )
    return project


def submit(page, button):
    """Click a form's button (its confirmation is accepted) and wait for the page that answers."""
    with page.expect_navigation():
        button.click()


def row(page, unit: str):
    return page.locator("tbody tr", has=page.get_by_role("link", name=unit, exact=True))


def money(page, unit: str, column: str) -> Decimal:
    """One unit's figure on the allocation page: approved, paid, to-pay or to-recover (万元)."""
    return Decimal(row(page, unit).locator(f"td.{column}").inner_text().strip())


def status(page) -> str:
    return page.locator("#allocation-status").inner_text()


def approve_and_record(clerk, approver, city, document_no: str):
    """提交审批 (发改委经办) → 审批通过 (发改委审批) → 登记市政府批复 (市政府办公室)."""
    clerk.goto(ALLOCATION)
    assert clerk.locator("#submit-button").is_enabled()
    submit(clerk, clerk.locator("#submit-button"))
    assert status(clerk) == "已提交待审批"

    approver.goto(ALLOCATION)
    submit(approver, approver.locator("#approve-button"))
    assert status(approver) == "发改委已审批"

    city.goto(ALLOCATION)
    form = city.locator("#city-form")
    form.get_by_label("市政府批复文号").fill(document_no)
    form.get_by_label("批复日期").fill("2031-03-01")
    submit(city, city.locator("#city-button"))
    assert status(city) == "已批复"


def pay_from_todo(finance, voucher_prefix: str) -> list[str]:
    """市财政局 pays each 待拨付 item of its home page 待办, following the item's link to the pay form."""
    paid = []
    while True:
        finance.goto("/")
        item = finance.locator("#todo a", has_text=re.compile(f"{YEAR}年度奖励资金：(拨付|补拨)")).first
        if item.count() == 0:
            return paid
        text = item.inner_text()
        assert item.get_attribute("href").endswith("#disburse-form")
        item.click()
        finance.wait_for_url("**#disburse-form")
        form = finance.locator("#disburse-form")
        form.get_by_label("拨付日期").fill("2031-03-15")
        form.get_by_label("拨付凭证号").fill(f"{voucher_prefix}-{len(paid) + 1}")
        submit(finance, finance.locator("#disburse-button"))
        assert f"凭证号 {voucher_prefix}-{len(paid) + 1}" in finance.locator("#disbursement").inner_text()
        paid.append(text)
        assert len(paid) <= 4, paid


def adjust(clerk, unit: str, amount: Decimal, reason: str):
    clerk.goto(ALLOCATION)
    clerk.get_by_role("link", name=unit, exact=True).click()
    form = clerk.locator("#adjust-form")
    form.get_by_label("分配金额（万元）").fill(str(amount))
    form.get_by_label("调整理由（必填）").fill(reason)
    submit(clerk, form.get_by_role("button", name="保存调整"))
    assert f"/ {amount} 万元" in clerk.locator("#amounts").inner_text()


def test_stale_figures_then_revision_settled_by_top_up_and_clawback(new_page, personas):
    project = year_data()
    clerk, reporter, approver, city, finance = (new_page() for _ in range(5))
    login(clerk, "fgw_clerk")
    login(reporter, "reporter")
    login(approver, "fgw_approver")
    login(city, "city_office")
    login(finance, "finance")

    # 1. 发改委经办 computes the year.
    clerk.goto(ALLOCATION)
    submit(clerk, clerk.get_by_role("button", name="计算得分和分配"))
    assert status(clerk).startswith("草稿")
    assert clerk.locator("#stale-figures").count() == 0
    assert clerk.locator("#submit-button").is_enabled()

    # 2. 宝清县's 填报员 changes its project after the computation.
    reporter.goto(f"/awards/projects/{project.pk}/")
    reporter.get_by_label("年度完成投资（万元）").fill("1000")
    submit(reporter, reporter.get_by_role("button", name="保存"))
    assert reporter.locator(".alert-danger, .invalid-feedback").count() == 0, reporter.content()

    # 3. The allocation page says the figures are stale — what, who — and refuses to submit.
    clerk.goto(ALLOCATION)
    stale = clerk.locator("#stale-figures")
    assert stale.is_visible()
    notice = stale.inner_text()
    assert "分配结果已过期" in notice
    assert "宝清县百大项目" in notice
    assert "reporter" in notice
    assert re.search(r"（reporter，\d{4}-\d{2}-\d{2} \d{2}:\d{2}）", notice), notice
    assert clerk.locator("#submit-button").is_disabled()
    reason = clerk.locator("#submit-reason").inner_text()
    assert "重新计算" in reason and "宝清县百大项目" in reason

    # 4. The changed project is 待核实 again: 发改委经办 verifies it, recomputes, the notice is gone and the
    # allocation is submitted, approved and recorded.
    clerk.goto(f"/awards/{YEAR}/verify/")
    assert "待核实 1 个" in clerk.locator("#verification-counts").inner_text()
    clerk.get_by_label("核实宝清县百大项目").check()
    submit(clerk, clerk.get_by_role("button", name="核实所选项目"))
    assert "待核实 0 个" in clerk.locator("#verification-counts").inner_text()
    clerk.goto(ALLOCATION)
    submit(clerk, clerk.get_by_role("button", name="计算得分和分配"))
    assert clerk.locator("#stale-figures").count() == 0
    # 5.–6. 发改委审批 approves, 市政府办公室 records the 批复.
    approve_and_record(clerk, approver, city, "双政办函〔2031〕8号")

    # 7. 市财政局 pays every unit from its 待办.
    finance.goto(ALLOCATION)
    owed = {unit: money(finance, unit, "to-pay") for unit in (HIGHER, *(name for name, _ in GROUP2))}
    payable = {unit: amount for unit, amount in owed.items() if amount > 0}
    assert set(payable) == {HIGHER, "市住房城乡建设局", "市工业和信息化局"}, owed
    assert payable[LOWER] == Decimal(20)
    paid = pay_from_todo(finance, "PZ")
    assert len(paid) == 3 and all("补拨" not in text for text in paid), paid
    finance.goto(ALLOCATION)
    assert status(finance) == "已拨付"
    for unit, amount in payable.items():
        assert money(finance, unit, "paid") == amount
        assert money(finance, unit, "to-pay") == 0
    first_higher = payable[HIGHER]

    # 8. 发改委经办 opens a revision and moves one unit up, one down.
    clerk.goto(ALLOCATION)
    clerk.get_by_label("修订原因").fill("复核后调整宝清县和市住建局的奖励金额")
    submit(clerk, clerk.get_by_role("button", name="新建修订版本"))
    assert status(clerk).startswith("草稿")
    assert "修订原因：复核后调整" in clerk.content()
    higher_amount = (first_higher + RAISE).to_integral_value()
    adjust(clerk, HIGHER, higher_amount, "复核发现漏计完成投资，调增")
    adjust(clerk, LOWER, LOWERED_TO, "复核发现重复计算项目，调减")

    # 9. The revision goes through approval and 批复 again.
    approve_and_record(clerk, approver, city, "双政办函〔2031〕12号")

    # 10. Per unit: approved, paid, to pay, to recover — the differences, not a second full payment.
    finance.goto(ALLOCATION)
    top_up = higher_amount - first_higher
    clawback = Decimal(20) - LOWERED_TO
    assert money(finance, HIGHER, "approved") == higher_amount
    assert money(finance, HIGHER, "paid") == first_higher
    assert money(finance, HIGHER, "to-pay") == top_up
    assert money(finance, HIGHER, "to-recover") == 0
    assert money(finance, LOWER, "approved") == LOWERED_TO
    assert money(finance, LOWER, "paid") == Decimal(20)
    assert money(finance, LOWER, "to-pay") == 0
    assert money(finance, LOWER, "to-recover") == clawback
    for unit in ("市工业和信息化局", "市发展改革委"):
        assert money(finance, unit, "to-pay") == 0
        assert money(finance, unit, "to-recover") == 0

    # 11. 市财政局 pays the 补拨 from its 待办 and records the 收回.
    finance.goto("/")
    todo = finance.locator("#todo").inner_text()
    assert f"补拨{HIGHER} {top_up} 万元" in todo, todo
    assert f"收回{LOWER} {clawback} 万元" in todo, todo
    finance.locator("#todo a", has_text=f"补拨{HIGHER}").click()
    finance.wait_for_url("**#disburse-form")
    assert f"登记补拨（{top_up} 万元）" in finance.locator("main").inner_text()
    form = finance.locator("#disburse-form")
    form.get_by_label("拨付日期").fill("2031-04-01")
    form.get_by_label("拨付凭证号").fill("BB-1")
    submit(finance, finance.locator("#disburse-button"))
    assert "凭证号 BB-1" in finance.locator("#disbursement").inner_text()

    finance.goto("/awards/clawbacks/")
    pending = finance.locator("tr.clawback", has_text=LOWER).filter(has=finance.get_by_role("button"))
    assert pending.count() == 1
    assert str(clawback) in pending.locator("td.text-end").inner_text()
    pending.get_by_label("收回日期").fill("2031-04-02")
    pending.get_by_label("收回凭证号").fill("SH-1")
    submit(finance, pending.get_by_role("button", name="登记收回"))
    done = finance.locator("tr.clawback", has_text=LOWER)
    assert "SH-1" in done.inner_text() and "2031-04-02" in done.inner_text()

    finance.goto(ALLOCATION)
    for unit in (HIGHER, *(name for name, _ in GROUP2)):
        assert money(finance, unit, "to-pay") == 0, unit
        assert money(finance, unit, "to-recover") == 0, unit
    assert money(finance, HIGHER, "paid") == higher_amount
    assert money(finance, LOWER, "paid") == Decimal(20)
    assert status(finance) == "已拨付"
    finance.goto("/")
    assert finance.locator("#todo a", has_text=f"{YEAR}年度奖励资金").count() == 0
