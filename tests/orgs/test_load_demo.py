"""load_demo creates accounts with the public demo password: refused wherever DEBUG is off."""

import logging
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from orgs.management.commands.load_demo import REFUSED
from tests.reliability.processes import base_env


@pytest.mark.slow
def test_load_demo_under_debug_0_exits_non_zero_in_chinese_before_opening_the_database(tmp_path):
    database = tmp_path / "production.sqlite3"
    env = base_env() | {
        "DEBUG": "0",
        "SECRET_KEY": "a-production-key-for-this-test-only",
        "AUDIT_HMAC_KEY": "an-audit-key-for-this-test-only-0123456789",
        "ALLOWED_HOSTS": "platform.example.cn",
        "DATABASE_URL": f"sqlite:///{database}",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "load_demo"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert REFUSED in result.stderr
    assert "演示账号密码" not in result.stdout
    assert not database.exists()  # not even a connection was opened, so nothing was written


@pytest.mark.django_db
def test_load_demo_refused_writes_no_account(settings):
    settings.DEMO_DATA_ALLOWED = False
    before = get_user_model().objects.count()  # the suite's personas
    with pytest.raises(CommandError, match="DEBUG=0"):
        call_command("load_demo")
    assert get_user_model().objects.count() == before
    assert not get_user_model().objects.filter(username="tianbao").exists()


def test_the_in_process_broker_names_its_host_so_no_task_warns_about_it(caplog):
    """Embedded mode still opens a producer on the broker for every task (celery's eager path): a broker URL
    without a host made kombu warn "No hostname was supplied" on the first notification of ``load_demo``."""
    from config.celery import app

    with caplog.at_level(logging.WARNING, logger="kombu.connection"):
        app.connection_for_write().info()
    assert not [r for r in caplog.records if "hostname" in r.getMessage()]
