import re
import subprocess
import sys

from django.conf import settings

from tests.factories import PASSWORD


def test_login_page_is_chinese(client, db):
    body = client.get("/accounts/login/").content.decode()
    assert "用户登录" in body and "用户名" in body and "密码" in body


def test_wrong_password_shows_a_chinese_error(client, personas):
    body = client.post("/accounts/login/", {"username": "reporter", "password": "wrong"}).content.decode()
    assert "请输入一个正确的" in body


def test_a_user_lands_on_their_home_page(client, personas):
    response = client.post("/accounts/login/", {"username": "reporter", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "待办事项" in response.content.decode()


def test_five_failures_lock_the_account_on_that_address(client, personas):
    for _ in range(5):
        client.post("/accounts/login/", {"username": "reporter", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "reporter", "password": PASSWORD})
    assert response.status_code == 429
    assert "账号已暂时锁定" in response.content.decode()


def test_lockout_is_keyed_by_user_and_address_so_colleagues_can_still_log_in(client, personas):
    for _ in range(5):
        client.post("/accounts/login/", {"username": "reporter", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "other_reporter", "password": PASSWORD})
    assert response.status_code == 302


def test_a_password_change_logs_out_other_sessions(client, personas, django_user_model):
    from django.test import Client

    other_device = Client()
    other_device.force_login(personas.reporter)
    client.force_login(personas.reporter)
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "Brand-new-2021", "new_password2": "Brand-new-2021"},
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert other_device.get("/").status_code == 302


def test_pages_load_assets_only_from_the_app_itself(client, personas):
    client.force_login(personas.reporter)
    body = client.get("/").content.decode()
    for url in re.findall(r'(?:src|href)="([^"]+)"', body):
        assert not url.startswith(("http:", "https:", "//")), url
    assert f"{settings.STATIC_URL}bootstrap/css/bootstrap.min.css" in body


def test_security_headers_are_sent(client, db):
    response = client.get("/accounts/login/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    env = {
        "DEBUG": "0",
        "SECRET_KEY": "x" * 20 + "production-like-secret-key-for-the-check-0123456789",
        "AUDIT_HMAC_KEY": "production-like-audit-trail-key-for-the-check-0123456789",
        "ALLOWED_HOSTS": "platform.example.gov.cn",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_expired_session_must_log_in_again(client, personas):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client.force_login(personas.reporter)
    assert client.get("/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_sessions_end_after_a_working_day_and_with_the_browser():
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_HTTPONLY


def test_passwords_are_stored_with_argon2_and_older_hashes_upgraded_at_login(client, personas, settings):
    from django.contrib.auth.hashers import make_password

    from config import settings as project

    settings.PASSWORD_HASHERS = project.PASSWORD_HASHERS
    user = personas.reporter
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])

    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})

    user.refresh_from_db()
    assert user.password.startswith("argon2$")


def test_argon2_hashes_use_owasp_parameters_and_older_argon2_hashes_are_rewritten(client, personas, settings):
    from django.contrib.auth.hashers import Argon2PasswordHasher as DjangoDefault

    from config import settings as project

    settings.PASSWORD_HASHERS = project.PASSWORD_HASHERS
    user = personas.reporter
    user.password = DjangoDefault().encode(PASSWORD, DjangoDefault().salt())
    user.save(update_fields=["password"])
    assert ",p=8$" in user.password

    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})

    assert response.status_code == 302
    user.refresh_from_db()
    assert "$v=19$m=19456,t=2,p=1$" in user.password


def test_an_over_long_user_name_is_a_field_error_and_records_no_attempt(client, db):
    from axes.models import AccessAttempt

    response = client.post("/accounts/login/", {"username": "甲" * 300, "password": "x"})

    assert response.status_code == 200
    assert "150" in response.context["form"].errors["username"][0]
    assert not AccessAttempt.objects.exists()
