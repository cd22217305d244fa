"""GB/T 22239-2019 8.1.4.1 a): complexity, no reuse of the last five, change every 90 days and at first login."""

from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from orgs.demo import DEMO_PASSWORD
from security.models import AccountSecurity, PasswordHistory

from .conftest import password_login


def _messages(password, user=None) -> list[str]:
    try:
        with translation.override("zh-hans"):
            validate_password(password, user)
    except ValidationError as exc:
        return exc.messages
    return []


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("Ab1!x", "密码太短，至少需要 8 个字符。"),
        ("alllowercase", "密码须同时包含大写字母、小写字母、数字和符号中的至少 3 类。"),
        ("lower1234case", "密码须同时包含大写字母、小写字母、数字和符号中的至少 3 类。"),
        ("Password123", "这个密码太常见了。"),
    ],
)
def test_weak_passwords_are_refused_in_chinese(db, password, expected):
    assert expected in _messages(password)


@pytest.mark.parametrize(
    "password", ["Lower-case-only", "UPPER1234lower", "digits-1234-and-!", DEMO_PASSWORD]
)
def test_passwords_of_three_kinds_are_accepted(db, password):
    assert _messages(password) == []


def _change(client, old, new):
    return client.post(
        "/accounts/password/", {"old_password": old, "new_password1": new, "new_password2": new}
    )


def test_one_of_the_last_five_passwords_is_refused(client, personas):
    user = personas.reporter
    client.force_login(user)
    current = "Test-pass-2020"
    for number in range(1, 5):
        new = f"Fresh-pass-{number}"
        assert _change(client, current, new).status_code == 302
        current = new
    response = _change(client, current, "Test-pass-2020")  # the fifth most recent
    assert "新密码不能与最近 5 次使用过的密码相同。" in response.content.decode()


def test_a_password_six_changes_back_is_allowed_again(client, personas):
    user = personas.reporter
    client.force_login(user)
    current = "Test-pass-2020"
    for number in range(1, 6):
        new = f"Fresh-pass-{number}"
        _change(client, current, new)
        current = new
    assert _change(client, current, "Test-pass-2020").status_code == 302
    assert PasswordHistory.objects.filter(user=user).count() == 5


def test_an_expired_password_must_be_changed_before_anything_else(browser_client, personas):
    user = personas.reporter
    AccountSecurity.objects.filter(user=user).update(password_changed_at=timezone.now() - timedelta(days=91))
    password_login(browser_client, user)
    response = browser_client.get("/awards/")
    assert response.url == "/accounts/password/"
    assert "超过 90 天" in browser_client.get("/accounts/password/").content.decode()

    _change(browser_client, "Test-pass-2020", "Renewed-pass-91")
    assert browser_client.get("/awards/").status_code == 200


def test_an_account_with_no_recorded_password_change_must_change_it_at_its_next_login(
    browser_client, personas
):
    user = personas.reporter
    AccountSecurity.objects.filter(user=user).update(password_changed_at=None)
    password_login(browser_client, user)
    response = browser_client.get("/awards/")
    assert response.url == "/accounts/password/"
    assert "没有密码修改记录" in browser_client.get("/accounts/password/").content.decode()

    _change(browser_client, "Test-pass-2020", "Renewed-pass-00")
    assert browser_client.get("/awards/").status_code == 200


def test_an_account_with_no_security_row_at_all_must_change_its_password(browser_client, personas):
    user = personas.reporter
    PasswordHistory.objects.filter(user=user).delete()
    AccountSecurity.objects.filter(user=user).delete()
    password_login(browser_client, user)
    assert browser_client.get("/awards/").url == "/accounts/password/"


def test_a_password_younger_than_the_limit_needs_no_change(browser_client, personas):
    user = personas.reporter
    AccountSecurity.objects.filter(user=user).update(password_changed_at=timezone.now() - timedelta(days=89))
    password_login(browser_client, user)
    assert browser_client.get("/awards/").status_code == 200


def test_an_account_made_by_an_administrator_changes_its_password_at_first_login(
    client, browser_client, personas
):
    client.force_login(personas.admin)
    client.post(
        "/admin/auth/user/add/",
        {
            "username": "newcomer",
            "password1": "Initial-pass-1",
            "password2": "Initial-pass-1",
            "usable_password": "true",
        },
    )
    from django.contrib.auth import get_user_model

    newcomer = get_user_model().objects.get(username="newcomer")
    assert newcomer.security.change_required
    password_login(browser_client, newcomer, "Initial-pass-1")
    assert browser_client.get("/").url == "/accounts/password/"
    _change(browser_client, "Initial-pass-1", "Own-choice-2031")
    assert browser_client.get("/").status_code == 200
