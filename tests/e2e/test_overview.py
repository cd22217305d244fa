"""The home page shows where the year stands: the whole city's four systems for 领导 (as for 发改委审批 and
市政府办公室), drawn by ECharts from the site's own copy; other roles see the systems they work in.

The homes are opened once for the module on the demo data (a browser test's database is emptied after each
test); each test asserts one thing seen there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.db.models import Sum

from awards.models import Allocation
from orgs.demo import DEMO_PASSWORD
from tests.e2e.conftest import login

SECTIONS = ["awards", "investment", "chiefservice", "sprouts"]
USERS = ["lingdao", "kaohe", "tianbao", "shichang"]


@dataclass
class Home:
    heading: str = ""
    sections: list[str] = field(default_factory=list)  # keys of the sections shown, in order
    drawn: dict[str, int] = field(default_factory=dict)  # section -> canvases ECharts drew in its box
    labelled: dict[str, str] = field(default_factory=dict)  # section -> role of the chart box
    text: dict[str, str] = field(default_factory=dict)  # section -> its text, data table included
    row_heads: dict[str, list[str]] = field(default_factory=dict)  # section -> first cells of its table
    console_errors: list[str] = field(default_factory=list)


@dataclass
class Seen:
    homes: dict[str, Home]
    allocation_year: int
    allocation_total: int


def _open_home(page, username: str) -> Home:
    home = Home()
    page.on("console", lambda m: m.type == "error" and home.console_errors.append(m.text))
    login(page, username, DEMO_PASSWORD)
    page.goto("/")
    page.wait_for_load_state("load")
    overview = page.locator("#overview")
    if overview.count():
        home.heading = overview.locator("h2").first.inner_text()
    for box in page.locator("#overview .card").all():
        key = box.get_attribute("id").removeprefix("overview-")
        home.sections.append(key)
        chart = box.locator(".chart")
        home.drawn[key] = box.locator(".chart canvas").count()
        home.labelled[key] = chart.get_attribute("role") if chart.count() else ""
        home.text[key] = box.text_content()
        home.row_heads[key] = [t.strip() for t in box.locator("tbody th").all_text_contents()]
    return home


@pytest.fixture(scope="module")
def seen(browser, live_server, demo_data, django_db_blocker):
    with django_db_blocker.unblock():
        allocation = Allocation.objects.order_by("-year", "-revision").first()
        total = allocation.lines.aggregate(total=Sum("final_amount"))["total"]
    homes = {}
    for username in USERS:
        context = browser.new_context(base_url=live_server.url, locale="zh-CN")
        context.set_default_timeout(15_000)
        homes[username] = _open_home(context.new_page(), username)
        context.close()
    return Seen(homes, allocation.year, total)


def test_leader_sees_the_four_systems_of_the_city(seen):
    leader = seen.homes["lingdao"]
    assert leader.heading == "全市四项工作本年度情况"
    assert leader.sections == SECTIONS


def test_echarts_draws_each_chart_as_a_labelled_image_without_errors(seen):
    leader = seen.homes["lingdao"]
    assert all(leader.drawn[key] == 1 for key in SECTIONS), leader.drawn
    assert all(leader.labelled[key] == "img" for key in SECTIONS), leader.labelled
    assert leader.console_errors == []


def test_leader_overview_states_the_year_award_money(seen):
    awards = seen.homes["lingdao"].text["awards"]
    assert f"{seen.allocation_year}年度奖励资金" in awards
    assert f"拟分配（未批复） {seen.allocation_total} 万元" in awards


def test_assessor_sees_only_the_investment_figures(seen):
    assessor = seen.homes["kaohe"]
    assert assessor.heading == "本年度情况"
    assert assessor.sections == ["investment"]


def test_county_reporter_sees_its_own_county_only(seen):
    reporter = seen.homes["tianbao"]
    assert reporter.sections == ["investment", "chiefservice"]
    assert reporter.row_heads["investment"] == ["宝清县"]


def test_sprout_office_sees_its_cases_by_month(seen):
    office = seen.homes["shichang"]
    assert office.sections == ["sprouts"]
    assert "线索/案件（按发现月份）" in office.text["sprouts"]
    assert office.drawn["sprouts"] == 1
