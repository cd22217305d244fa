"""Browser tests: the public roster without login; a liaison's ledger entry escalated and closed by 营商办."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from chiefservice import rules
from chiefservice.models import LedgerEntry, LedgerStatus
from tests.chiefservice.factories import AssignmentFactory, OfficerFactory, SubjectFactory, org
from tests.factories import make_user

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_anonymous_visitor_finds_who_serves_their_enterprise(new_page, gazette):
    officer = OfficerFactory(name="周服务", phone="0469-8887777", note="内部备注", unit=org("宝清县"))
    AssignmentFactory(officer=officer, subject=SubjectFactory(name="宝清县丰收粮食有限公司"))
    OfficerFactory(name="吴首席", role=rules.CHIEF, rank="division", unit=org("集贤县"), phone="0469-1112222")

    page = new_page()
    page.goto("/accounts/login/")
    page.get_by_role("link", name="企业首席服务员公示名单").click()
    roster = page.locator("#roster")
    expect(roster).to_contain_text("周服务")
    expect(roster).to_contain_text("0469-8887777")
    expect(roster).to_contain_text("吴首席")
    expect(page.locator("body")).not_to_contain_text("内部备注")

    page.get_by_label("谁为我的企业服务").fill("宝清县丰收粮食有限公司")
    page.get_by_role("button", name="查询").click()
    answer = page.locator("#who-serves")
    expect(answer).to_contain_text("周服务")
    expect(answer).to_contain_text("服务联络员")
    expect(answer).not_to_contain_text("吴首席")


def test_liaison_records_escalates_and_business_office_closes(new_page, personas):
    account = make_user("填报员", org("宝清县"), username="liaison_zhou")
    officer = OfficerFactory(name="周联络", unit=org("宝清县"), user=account)
    subject = SubjectFactory(name="宝清县绿源食品有限公司")
    AssignmentFactory(officer=officer, subject=subject)

    liaison = new_page()
    login(liaison, "liaison_zhou")
    liaison.goto("/chiefservice/ledger/new/")
    liaison.get_by_label("服务员").select_option(label=str(officer))
    liaison.get_by_label("服务对象").select_option(label=subject.name)
    liaison.get_by_label("受理日期").fill(date.today().isoformat())
    liaison.get_by_label("类别").select_option(label="困难问题")
    liaison.get_by_label("内容").fill("企业反映厂区供电线路改造审批缓慢")
    liaison.get_by_label("属本部门职责").uncheck()
    liaison.get_by_label("转办/协办单位").select_option(label="市住房城乡建设局")
    liaison.get_by_role("button", name="保存").click()
    expect(liaison.locator("#status")).to_have_text("待办理")
    entry = LedgerEntry.objects.get()
    assert entry.first_receiving_unit == org("宝清县") and not entry.within_own_duty

    liaison.get_by_role("link", name="报请会商").click()
    liaison.get_by_label("说明").fill("涉及市级审批，报请会商")
    liaison.get_by_role("button", name="报请会商").click()
    expect(liaison.locator("#status")).to_have_text("已提交会商")
    expect(liaison.locator("body")).to_contain_text("营商办（会商后销号）")
    expect(liaison.get_by_role("link", name="会商后销号")).to_have_count(0)

    office = new_page()
    login(office, "business_office")
    office.goto("/chiefservice/meetings/new/")
    office.get_by_label("类别").select_option(label="专题工作会商会议")
    office.get_by_label("会议日期").fill(date.today().isoformat())
    office.locator("#id_title").fill("供电线路改造审批专题会商")
    office.get_by_role("button", name="保存").click()
    office.get_by_role("link", name="列入议程").click()
    office.get_by_label("台账事项（已报请会商、未销号）").select_option(index=1)
    office.get_by_label("决定事项").fill("市住建局五个工作日内办结")
    office.get_by_role("button", name="列入议程").click()
    expect(office.locator("table")).to_contain_text("市住建局五个工作日内办结")

    office.get_by_role("link", name=re.compile(r"宝清县绿源食品有限公司")).click()
    office.get_by_role("link", name="会商后销号").click()
    office.get_by_label("办理结果").fill("会商后由市住建局办结，企业已通电")
    office.get_by_label("企业满意度").select_option(label="满意")
    office.get_by_role("button", name="销号").click()
    expect(office.locator("#status")).to_have_text("已销号")

    entry.refresh_from_db()
    assert entry.status == LedgerStatus.RESOLVED
    assert entry.satisfaction == rules.SATISFIED
    assert [log.to_status for log in entry.logs.all()] == ["open", "escalated", "resolved"]
