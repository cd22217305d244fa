"""The page defects a new user stopped at, each checked in Chromium at a laptop's 1366 px and a phone's 390 px:
the order of 第一组, the 批复 form's inputs, the 登记收回 button, a long 修订原因, 公安's menu, the marked
更正理由, the menu before the second factor and a past year's deadline. Each test loads its page once per
width and runs axe-core on it (WCAG 2.1 AA, as tests/e2e/test_accessibility.py)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from awards import services
from awards.models import Allocation, Clawback
from investment.selectors import parameters
from tests.awards.factories import ProjectFactory, entity, seen, workflow_year
from tests.e2e.conftest import login
from tests.e2e.test_accessibility import AXE, RUN_AXE, SCROLLS_SIDEWAYS, WCAG_TAGS
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = {"1366px": {"width": 1366, "height": 900}, "390px": {"width": 390, "height": 844}}
YEAR = 2030
LONG_REASON = (
    "根据市统计局"
    + "核定的入统项目年度完成投资数据更正宝清县百大项目考核得分" * 4
    + "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789" * 2
)


@pytest.fixture(autouse=True)
def _after_the_award_year(today):
    # The 2030 year's facts are past, and its 批复 and payments (dated in 2031) are not of a day to come.
    today(datetime.date(2031, 12, 31))


@pytest.fixture
def browse(browser, live_server):
    """``browse(username)`` yields a logged-in page at each width in turn (axe-core injected by the browser):
    the data of a test is set up once for both widths."""
    contexts = []

    def open_as(username: str | None):
        for viewport in WIDTHS.values():
            yield new_page(username, viewport)

    def new_page(username: str | None, viewport: dict):
        context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=viewport)
        context.set_default_timeout(15_000)
        context.add_init_script(path=str(AXE))
        contexts.append(context)
        page = context.new_page()
        if username is not None:
            login(page, username)
        return page

    yield open_as
    for context in contexts:
        context.close()


def checked(page, path: str):
    """Load ``path``: answered, no WCAG 2.1 AA violation, no sideways scroll of the page."""
    response = page.goto(path)
    assert response is not None and response.status < 500, path
    assert page.evaluate(RUN_AXE, WCAG_TAGS) == [], page.viewport_size
    assert not page.evaluate(SCROLLS_SIDEWAYS), f"{path} scrolls sideways at {page.viewport_size}"
    return response


def fits_the_screen(page, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]


def approved_year(personas) -> Allocation:
    allocation = workflow_year(YEAR, by=personas.fgw_clerk)
    services.allocation_submit(allocation=allocation, by=personas.fgw_clerk, version=seen(allocation))
    allocation.refresh_from_db()
    services.allocation_approve(allocation=allocation, by=personas.fgw_approver, version=seen(allocation))
    allocation.refresh_from_db()
    return allocation


def city_approved_year(personas) -> Allocation:
    allocation = approved_year(personas)
    services.allocation_record_city_approval(
        allocation=allocation,
        by=personas.city_office,
        document_no="双政办函〔2031〕8号",
        document_date=datetime.date(2031, 3, 1),
        version=seen(allocation),
    )
    allocation.refresh_from_db()
    return allocation


# --- the allocation page ----------------------------------------------------------------------------------


def test_group1_in_directory_order_and_group2_by_rank(browse, personas):
    """15号 附件 lists 第一组 in the directory's order (ranks shown beside), 第二组 by 名次."""
    units = ["集贤县", "友谊县", "宝清县", "饶河县"]  # rising investment: the ranks run the other way
    for number, name in enumerate(units, start=1):
        ProjectFactory(year=YEAR, entity=entity(name), actual_investment=Decimal(number * 10000))
    services.allocation_compute(year=YEAR)
    for page in browse("fgw_clerk"):
        checked(page, f"/awards/{YEAR}/")
        rows = page.locator("#group1 tr:not(.group-heading)")
        names = [rows.nth(i).locator("td").nth(1).locator("a").inner_text() for i in range(rows.count())]
        ranks = [rows.nth(i).locator("td").first.inner_text() for i in range(rows.count())]
        assert names == sorted(units, key=lambda name: entity(name).directory_order)
        assert ranks == ["4", "3", "2", "1"]


def test_the_city_approval_form_is_styled_as_every_form(browse, personas):
    approved_year(personas)
    for page in browse("city_office"):
        checked(page, f"/awards/{YEAR}/")
        for label in ("市政府批复文号", "批复日期"):
            field = page.locator("#city-form").get_by_label(label)
            assert "form-control" in field.get_attribute("class")
            assert field.evaluate("e => getComputedStyle(e).borderTopStyle") == "solid"
        assert fits_the_screen(page, "#city-form")


def test_a_long_revision_reason_wraps_on_the_screen(browse, personas):
    allocation = city_approved_year(personas)
    services.allocation_revise(allocation=allocation, by=personas.fgw_clerk, reason=LONG_REASON)
    for page in browse("fgw_clerk"):
        checked(page, f"/awards/{YEAR}/")
        assert fits_the_screen(page, "#revision-reason")
        checked(page, f"/awards/{YEAR}/history/")
        assert fits_the_screen(page, ".revision-reason")


def test_the_revise_form_fits_the_screen(browse, personas):
    city_approved_year(personas)
    for page in browse("fgw_clerk"):
        checked(page, f"/awards/{YEAR}/")
        assert fits_the_screen(page, "#revise-form")


def test_the_recover_button_reads_on_one_line(browse, personas):
    allocation = city_approved_year(personas)
    line = allocation.lines.get(entity=entity("宝清县"))
    Clawback.objects.create(line=line, amount=5, reason="修订批复调减")
    for page in browse("finance"):
        checked(page, "/awards/clawbacks/")
        button = page.get_by_role("button", name="登记收回")
        height = button.bounding_box()["height"]
        line_height = button.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
        assert height < 2 * line_height, "the button's label wraps"


# --- menus and forms --------------------------------------------------------------------------------------


def test_police_is_not_offered_the_awards_and_is_told_why_there(browse, personas):
    for page in browse("police"):
        checked(page, "/")
        assert page.locator("#mainnav a", has_text="百大项目奖励").count() == 0
        assert page.locator("#mainnav a", has_text="豆芽质量安全监管").count() == 1
        response = checked(page, "/awards/")
        assert response.status == 403
        assert "没有可查看或办理的事项" in page.locator("main").inner_text()


def test_the_correction_reason_is_marked_required(browse, personas):
    project = ProjectFactory(year=YEAR, entity=entity("宝清县"))
    for page in browse("fgw_clerk"):
        checked(page, f"/awards/projects/{project.pk}/")
        field = page.get_by_label("更正理由")
        assert field.get_attribute("required") is not None
        assert page.locator(f"label[for='{field.get_attribute('id')}'] .asteriskField").count() == 1


def test_no_business_menu_before_the_second_factor(browse, personas):
    TOTPDevice.objects.filter(user=personas.finance).delete()  # the first login: enrolment
    for page in browse(None):
        page.goto("/accounts/login/")
        page.get_by_label("用户名").fill("finance")
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url("**/security/enrol/**")
        checked(page, page.url)
        nav = page.locator("nav")
        for entry in ("待办", "百大项目奖励", "招商引资考核", "通知", "修改密码"):
            assert nav.get_by_text(entry, exact=True).count() == 0, entry
        assert nav.locator("button", has_text="退出登录").count() == 1


def test_a_past_years_deadline_is_not_overdue_on_todays_clock(browse, personas):
    """The gazette's 2020 targets are issued; on the last day of 2031 the 2020 report is not "已逾期"."""
    for page in browse("reporter"):
        checked(page, "/")
        item = page.locator("#todo tr", has_text="提交2020年度招商引资自评报告")
        assert item.count() == 1
        assert parameters(2020).deadline.strftime("%Y年") in item.inner_text()
        assert "已逾期" not in item.inner_text()
        assert "table-danger" not in (item.get_attribute("class") or "")
