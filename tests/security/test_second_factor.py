"""GB/T 22239-2019 8.1.4.1 d): the money roles and the administrators act only after a second factor."""

import datetime
import re
from base64 import b32decode

import pytest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from awards import services
from awards.models import AllocationStatus
from security import otp
from tests.awards.factories import entity, seen, workflow_year

from .conftest import password_login
from .support import device_code, totp_code

DAY = "2031-03-01"


@pytest.fixture
def draft(personas):
    return workflow_year(by=personas.fgw_clerk)


def _shown_secret(client) -> str:
    page = client.get("/security/enrol/").content.decode()
    return re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")


def _enrol_through_the_page(client) -> None:
    """Read the secret the enrolment page shows, compute the code as an authenticator app does, submit."""
    secret = _shown_secret(client)
    response = client.post("/security/enrol/", {"token": totp_code(b32decode(secret))})
    assert "恢复码" in response.content.decode()


def test_the_approver_cannot_approve_until_enrolled_and_verified(browser_client, personas, draft):
    services.allocation_submit(allocation=draft, by=personas.fgw_clerk, version=seen(draft))
    password_login(browser_client, personas.fgw_approver)
    seen_on_the_page = {"version": seen(draft)}
    refused = browser_client.post("/awards/2030/approve/", seen_on_the_page)
    assert refused.status_code == 302 and refused.url.startswith("/security/enrol/")
    draft.refresh_from_db()
    assert draft.status == AllocationStatus.SUBMITTED

    _enrol_through_the_page(browser_client)
    browser_client.post("/awards/2030/approve/", seen_on_the_page)
    draft.refresh_from_db()
    assert draft.status == AllocationStatus.APPROVED


def test_the_city_office_cannot_record_the_approval_until_verified(browser_client, personas, draft, today):
    today(datetime.date(2031, 3, 1))  # approved and answered by 市政府 the same day
    current = services.allocation_submit(allocation=draft, by=personas.fgw_clerk, version=seen(draft))
    services.allocation_approve(allocation=current, by=personas.fgw_approver, version=seen(current))
    device = otp.enrolled_device(personas.city_office)
    password_login(browser_client, personas.city_office)
    data = {"document_no": "双政批〔2031〕1号", "document_date": DAY, "version": seen(draft)}
    refused = browser_client.post("/awards/2030/city-approval/", data)
    assert refused.status_code == 302 and refused.url.startswith("/security/verify/")
    draft.refresh_from_db()
    assert draft.status == AllocationStatus.APPROVED

    browser_client.post("/security/verify/", {"token": device_code(device)})
    browser_client.post("/awards/2030/city-approval/", data)
    draft.refresh_from_db()
    assert draft.status == AllocationStatus.CITY_APPROVED


def test_finance_cannot_pay_until_verified(browser_client, personas, draft, today):
    today(datetime.date(2031, 3, 1))  # the payment below is dated today
    current = services.allocation_submit(allocation=draft, by=personas.fgw_clerk, version=seen(draft))
    current = services.allocation_approve(allocation=current, by=personas.fgw_approver, version=seen(current))
    services.allocation_record_city_approval(
        allocation=current,
        by=personas.city_office,
        document_no="批复",
        document_date=datetime.date(2031, 1, 1),
        version=seen(current),
    )
    line = current.lines.get(entity=entity("宝清县"))
    device = otp.enrolled_device(personas.finance)
    password_login(browser_client, personas.finance)
    data = {"paid_on": DAY, "voucher_no": "PZ-1"}
    refused = browser_client.post(f"/awards/lines/{line.pk}/disburse/", data)
    assert refused.url.startswith("/security/verify/")
    line.refresh_from_db()
    assert line.disbursed_on is None

    browser_client.post("/security/verify/", {"token": device_code(device)})
    browser_client.post(f"/awards/lines/{line.pk}/disburse/", data)
    line.refresh_from_db()
    assert str(line.disbursed_on) == DAY


def test_a_wrong_code_is_refused_and_keeps_the_user_out(browser_client, personas):
    device = otp.enrolled_device(personas.finance)
    password_login(browser_client, personas.finance)
    code = device_code(device)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    response = browser_client.post("/security/verify/", {"token": wrong})
    assert "验证码不正确" in response.content.decode()
    assert browser_client.get("/").url.startswith("/security/verify/")


def test_a_recovery_code_works_once(browser_client, personas):
    otp.enrolled_device(personas.admin)
    code = otp.new_recovery_codes(personas.admin)[0]
    password_login(browser_client, personas.admin)
    assert browser_client.post("/security/verify/", {"token": code}).status_code == 302
    assert browser_client.get("/").status_code == 200
    browser_client.post("/accounts/logout/")
    password_login(browser_client, personas.admin)
    response = browser_client.post("/security/verify/", {"token": code})
    assert "验证码不正确" in response.content.decode()


def test_a_password_alone_cannot_replace_an_enrolled_device(browser_client, personas):
    otp.enrolled_device(personas.fgw_approver)
    password_login(browser_client, personas.fgw_approver)
    assert browser_client.get("/security/enrol/").url.startswith("/security/verify/")


def test_the_django_admin_needs_the_second_factor(browser_client, personas):
    password_login(browser_client, personas.admin)
    assert browser_client.get("/admin/").url.startswith("/security/enrol/")


@pytest.mark.parametrize("persona", ["security_admin", "audit_admin", "admin"])
def test_each_administrator_must_enrol(browser_client, personas, persona):
    password_login(browser_client, personas[persona])
    assert browser_client.get("/").url.startswith("/security/enrol/")


def test_other_roles_work_without_a_device_but_may_enrol(browser_client, personas):
    password_login(browser_client, personas.reporter)
    assert browser_client.get("/").status_code == 200
    _enrol_through_the_page(browser_client)
    assert otp.has_device(personas.reporter)


def test_an_enrolled_user_of_any_role_verifies_at_the_next_login(browser_client, personas):
    otp.enrolled_device(personas.reporter)
    password_login(browser_client, personas.reporter)
    assert browser_client.get("/").url.startswith("/security/verify/")


def test_the_enrolment_page_draws_the_qr_code_inline(browser_client, personas):
    password_login(browser_client, personas.finance)
    html = browser_client.get("/security/enrol/").content.decode()
    assert "<svg" in html and "http" not in html.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )


def test_the_enrolment_page_writes_no_device_until_a_correct_first_code(browser_client, personas):
    password_login(browser_client, personas.finance)
    secret = _shown_secret(browser_client)
    assert _shown_secret(browser_client) == secret  # kept across reloads, in the session
    assert not TOTPDevice.objects.filter(user=personas.finance).exists()

    code = totp_code(b32decode(secret))
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    response = browser_client.post("/security/enrol/", {"token": wrong})
    assert "验证码不正确" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=personas.finance).exists()
    assert _shown_secret(browser_client) == secret

    response = browser_client.post("/security/enrol/", {"token": code})
    assert "恢复码" in response.content.decode()
    device = TOTPDevice.objects.get(user=personas.finance)
    assert device.confirmed and device.bin_key == b32decode(secret)


def test_a_user_locked_out_of_the_phone_codes_still_gets_in_with_a_recovery_code(browser_client, personas):
    device = otp.enrolled_device(personas.admin)
    code = otp.new_recovery_codes(personas.admin)[0]
    password_login(browser_client, personas.admin)
    wrong = f"{(int(device_code(device)) + 1) % 1_000_000:06d}"
    for _ in range(6):
        assert "验证码不正确" in browser_client.post("/security/verify/", {"token": wrong}).content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count >= 1
    assert not device.verify_is_allowed()[0]  # the phone codes are locked for now

    assert browser_client.post("/security/verify/", {"token": code}).status_code == 302
    assert browser_client.get("/").status_code == 200


def test_wrong_recovery_codes_count_against_the_recovery_codes_only(browser_client, personas):
    device = otp.enrolled_device(personas.admin)
    otp.new_recovery_codes(personas.admin)
    password_login(browser_client, personas.admin)
    for _ in range(3):
        browser_client.post("/security/verify/", {"token": "zzzzzzzz"})
    recovery = StaticDevice.objects.get(user=personas.admin)
    device.refresh_from_db()
    assert recovery.throttling_failure_count >= 1
    assert not recovery.verify_is_allowed()[0]
    assert device.throttling_failure_count == 0
    assert browser_client.post("/security/verify/", {"token": device_code(device)}).status_code == 302


def test_the_enrolment_page_shows_no_business_menu_before_the_second_factor(browser_client, personas):
    from tests.security.conftest import password_login

    password_login(browser_client, personas.finance)
    page = browser_client.get("/security/enrol/").content.decode()
    nav = page.split("</nav>")[0]
    assert "百大项目奖励" not in nav and "/awards/" not in nav and ">待办<" not in nav
    assert "退出登录" in nav
