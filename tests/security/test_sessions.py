"""GB/T 22239-2019 8.1.4.1 b), 8.1.4.2 c): idle timeout, last-login notice, disabling unused and departed accounts."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from security import tasks
from security.middleware import SEEN_KEY
from security.models import AccountSecurity

from .conftest import password_login


def _idle(client, seconds: int) -> None:
    session = client.session
    session[SEEN_KEY] -= seconds
    session.save()


def test_thirty_idle_minutes_log_the_user_out(browser_client, personas):
    password_login(browser_client, personas.reporter)
    _idle(browser_client, 30 * 60 + 1)
    response = browser_client.get("/awards/")
    assert response.url.startswith("/accounts/login/?next=/awards/")
    assert browser_client.get("/").url.startswith("/accounts/login/")


def test_activity_within_the_idle_limit_keeps_the_session(browser_client, personas):
    password_login(browser_client, personas.reporter)
    _idle(browser_client, 29 * 60)
    assert browser_client.get("/awards/").status_code == 200


def test_the_idle_limit_is_a_setting(browser_client, personas, settings):
    settings.SESSION_IDLE_TIMEOUT = 60
    password_login(browser_client, personas.reporter)
    _idle(browser_client, 61)
    assert browser_client.get("/").url.startswith("/accounts/login/")


def test_after_login_the_page_names_the_last_login_and_the_failures_since(
    django_capture_on_commit_callbacks, browser_client, personas
):
    user = personas.reporter
    earlier = timezone.now() - timedelta(days=2)
    AccountSecurity.objects.filter(user=user).update(last_login_at=earlier, last_login_ip="10.9.8.7")
    with django_capture_on_commit_callbacks(execute=True):
        password_login(browser_client, user, "Wrong-pass-1")
        password_login(browser_client, user, "Wrong-pass-2")
    password_login(browser_client, user)
    html = browser_client.get("/").content.decode()
    local = timezone.localtime(earlier)
    assert f"上次登录：{local:%Y年%m月%d日 %H:%M}，地址 10.9.8.7" in html
    assert "此后该账号登录失败 2 次" in html


def test_accounts_unused_for_ninety_days_are_disabled_by_the_daily_task(personas):
    User = get_user_model()
    User.objects.filter(pk=personas.market.pk).update(last_login=timezone.now() - timedelta(days=91))
    User.objects.filter(pk=personas.police.pk).update(last_login=timezone.now() - timedelta(days=89))
    tasks.disable_inactive_accounts.delay()
    assert not User.objects.get(pk=personas.market.pk).is_active
    assert User.objects.get(pk=personas.police.pk).is_active


def test_the_daily_task_is_scheduled(settings):
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "security.tasks.disable_inactive_accounts" in tasks_scheduled


def test_deactivating_a_leaver_keeps_the_account_and_its_history(client, browser_client, personas):
    leaver = personas.market
    client.force_login(personas.admin)
    response = client.post(f"/security/accounts/{leaver.pk}/deactivate/", {"reason": "调离"})
    assert response.status_code == 302
    leaver.refresh_from_db()
    assert not leaver.is_active and leaver.security.deactivation_reason == "调离"
    assert leaver.membership.organization.name == "宝清县市场监督管理局"
    password_login(browser_client, leaver)
    assert browser_client.get("/").url.startswith("/accounts/login/")


def test_the_admin_offers_no_delete_for_users(client, personas):
    client.force_login(personas.admin)
    assert client.get(f"/admin/auth/user/{personas.market.pk}/delete/").status_code == 403
