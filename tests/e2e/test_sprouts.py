"""A risk-monitoring finding travels 农业 → 市场监管 → 公安 through the browser."""

import re

import pytest
from playwright.sync_api import expect

from sprouts.models import Case

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_agriculture_finding_is_handed_to_market_then_to_police(new_page, personas):
    # 宝清县农业农村局 records a risk-monitoring finding.
    farm = new_page()
    login(farm, "agriculture")
    farm.goto("/sprouts/")
    farm.get_by_role("link", name="登记线索/案件").click()
    farm.get_by_label("发现来源").select_option(label="风险监测")
    farm.get_by_label("环节").select_option(label="生产环节")
    farm.get_by_label("案发县（区）").select_option(label="宝清县")
    farm.get_by_label("经营者名称").fill("宝清县青青豆芽作坊")
    farm.get_by_label("发现日期").fill("2026-03-02")
    farm.get_by_label("6-苄基腺嘌呤").check()
    farm.get_by_label("抽样检验结果").fill("6-苄基腺嘌呤 检出 0.52 mg/kg")
    farm.get_by_role("button", name="登记并分办").click()
    expect(farm.locator("#routing")).to_contain_text("第三条（风险监测）：市场监管部门牵头")
    expect(farm.locator("#routing")).to_contain_text(
        "第五条（属地管理）：案发地宝清县 → 宝清县市场监督管理局"
    )
    expect(farm.locator("#waiting-for")).to_contain_text("宝清县市场监督管理局确认接收")
    case = Case.objects.get()

    # 宝清县市场监督管理局 finds it in its 待办, acknowledges it, finds a crime and hands it to 公安.
    market = new_page()
    login(market, "market")
    market.locator("#todo").get_by_role("link", name=re.compile(case.number)).click()
    market.get_by_role("button", name="确认接收").click()
    expect(market.get_by_role("alert")).to_contain_text("已确认接收")
    expect(market.locator("#case-status")).to_contain_text("办理中")
    market.get_by_role("link", name="涉嫌犯罪，移交公安").click()
    market.get_by_label("涉嫌犯罪的事实和理由").fill("检出非法添加物，涉嫌生产有毒有害食品")
    market.get_by_role("button", name="移交公安部门").click()
    expect(market.get_by_role("alert")).to_contain_text("已移交宝清县公安局")
    expect(market.locator("#lead-office")).to_contain_text("宝清县公安局")
    expect(market.locator("#routing")).to_contain_text("第四条（涉嫌犯罪）：公安部门牵头")

    # 宝清县公安局 now sees the case and acknowledges it.
    police = new_page()
    login(police, "police")
    police.goto(f"/sprouts/cases/{case.pk}/")
    police.get_by_role("button", name="确认接收").click()
    expect(police.locator("#case-status")).to_contain_text("办理中")
    case.refresh_from_db()
    assert case.lead_office.name == "宝清县公安局"
    assert case.criminal_suspected
    assert [h.acknowledged_at is not None for h in case.handovers.all()] == [True, True]
