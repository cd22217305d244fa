"""createsuperuser obeys the password rules (no bypass, --noinput included) and is recorded in the trail."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from security.models import AuditEvent

pytestmark = pytest.mark.django_db
STRONG = "Root-pass-2024!"


class Terminal(StringIO):
    """An operator at a terminal (Django skips the interactive questions otherwise)."""

    def isatty(self):
        return True


def test_noinput_with_the_password_1_is_refused_and_creates_nobody(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "1")
    with pytest.raises(CommandError, match="密码太短"):
        call_command("createsuperuser", "--noinput", username="root", email="root@example.cn")
    assert not get_user_model().objects.filter(username="root").exists()
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.ACCOUNT, target="root").exists()


def test_noinput_with_a_password_of_one_character_class_is_refused(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "onlylowercaseletters")
    with pytest.raises(CommandError, match="至少 3 类"):
        call_command("createsuperuser", "--noinput", username="root", email="root@example.cn")
    assert not get_user_model().objects.filter(username="root").exists()


def test_interactive_bypass_of_the_rules_is_answered_no_and_a_passing_password_asked_again(
    monkeypatch, django_capture_on_commit_callbacks
):
    answers = iter(["1", "1", STRONG, STRONG])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    monkeypatch.setattr("builtins.input", lambda prompt="": "y")  # the operator asks to bypass the rules
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "createsuperuser",
            interactive=True,
            username="root",
            email="root@example.cn",
            stdout=StringIO(),
            stderr=(err := StringIO()),
            stdin=Terminal(),
        )
    assert "不允许绕过密码规则" in err.getvalue()
    assert next(answers, None) is None  # "1" was not accepted: the password was asked for again
    assert get_user_model().objects.get(username="root").check_password(STRONG)


def test_a_superuser_with_a_strong_password_is_created_and_recorded(
    monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", STRONG)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("createsuperuser", "--noinput", username="root", email="root@example.cn", verbosity=0)
    user = get_user_model().objects.get(username="root")
    assert user.is_superuser and user.check_password(STRONG)
    record = AuditEvent.objects.get(kind=AuditEvent.Kind.ACCOUNT, target="root")
    assert "createsuperuser" in record.detail
