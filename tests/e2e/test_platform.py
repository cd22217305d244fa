from tests.e2e.conftest import login


def test_a_user_logs_in_sees_their_home_and_logs_out(new_page, personas):
    page = new_page()
    login(page, "fgw_clerk")
    assert page.get_by_role("heading", name="待办事项").is_visible()
    assert page.get_by_role("link", name="百大项目奖励").first.is_visible()
    page.get_by_role("button", name="fgw_clerk").click()
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url("**/accounts/login/")
    assert page.get_by_role("heading", name="用户登录").is_visible()
