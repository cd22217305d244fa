"""发改委审批 enrols a second factor and approves; the 审计管理员 finds the approval and the login and exports them."""

import io
from base64 import b32decode

import pytest
from openpyxl import load_workbook

from awards import services
from tests.awards.factories import seen, workflow_year
from tests.e2e.conftest import login
from tests.factories import PASSWORD
from tests.security.support import totp_code

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_approver_enrols_and_approves_and_the_auditor_finds_and_exports_it(new_page, personas):
    draft = workflow_year(by=personas.fgw_clerk)
    services.allocation_submit(allocation=draft, by=personas.fgw_clerk, version=seen(draft))

    approver = new_page()
    approver.goto("/accounts/login/")
    approver.get_by_label("用户名").fill("fgw_approver")
    approver.get_by_label("密码").fill(PASSWORD)
    approver.get_by_role("button", name="登录").click()
    approver.wait_for_url("**/security/enrol/**")
    assert approver.locator("#totp-qr svg").is_visible()
    secret = approver.locator("#totp-secret").inner_text().replace(" ", "")
    approver.get_by_label("验证码").fill(totp_code(b32decode(secret)))
    approver.get_by_role("button", name="完成绑定").click()
    assert approver.locator("#recovery-codes li").count() == 10
    approver.get_by_role("link", name="我已保存，继续").click()
    approver.goto("/awards/2030/")
    approver.locator("#approve-button").click()
    approver.wait_for_url("**/awards/2030/")
    assert approver.locator("#allocation-status").inner_text() == "发改委已审批"

    auditor = new_page()
    login(auditor, "audit_admin")
    auditor.goto("/security/audit/")
    auditor.get_by_label("用户名").fill("fgw_approver")
    auditor.get_by_role("button", name="筛选").click()
    auditor.wait_for_url("**/security/audit/?*")
    table = auditor.locator("table").inner_text()
    assert "登录" in table and "审批通过" in table and "双因素认证" in table

    with auditor.expect_download() as download:
        auditor.locator("#audit-export").click()
    sheet = load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    rows = [row for row in sheet.iter_rows(values_only=True) if "fgw_approver" in row]
    kinds = {row[2] for row in rows}
    assert {"登录", "流程记录"} <= kinds
    assert any("审批通过" in str(row[7]) for row in rows)
