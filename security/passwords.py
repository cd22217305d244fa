"""Password rules (GB/T 22239-2019 8.1.4.1 a)): complexity, no reuse of recent passwords, periodic change.

Both classes are Django password validators (``AUTH_PASSWORD_VALIDATORS``), so every form that sets a password
— the password change page, the admin's add-user and set-password pages — applies them with Chinese messages.
``PasswordHistoryValidator.password_changed`` is Django's hook after any ``set_password`` + ``save``: it keeps
the hash history and the change date the expiry rule reads.
"""

from __future__ import annotations

import string
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone

CHARACTER_CLASSES = 3
TOO_SHORT = "密码太短，至少需要 {count} 个字符。"
TOO_SIMPLE = "密码须同时包含大写字母、小写字母、数字和符号中的至少 {count} 类。"
REUSED = "新密码不能与最近 {count} 次使用过的密码相同。"


def _classes(password: str) -> int:
    return sum(
        [
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(c in string.punctuation or not c.isalnum() for c in password),
        ]
    )


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule with its message in Chinese (Django's own catalogue lacks this one)."""

    def get_error_message(self):
        return TOO_SHORT.format(count=self.min_length)

    def get_help_text(self):
        return TOO_SHORT.format(count=self.min_length)


class CharacterClassValidator:
    """At least three of upper case, lower case, digits and symbols."""

    def __init__(self, classes: int = CHARACTER_CLASSES):
        self.classes = classes

    def validate(self, password, user=None):
        if _classes(password) < self.classes:
            raise ValidationError(TOO_SIMPLE.format(count=self.classes), code="password_too_simple")

    def get_help_text(self):
        return TOO_SIMPLE.format(count=self.classes)


def history_length() -> int:
    return int(getattr(settings, "PASSWORD_HISTORY", 5))


class PasswordHistoryValidator:
    """Not one of the last ``PASSWORD_HISTORY`` passwords (the current one included)."""

    def validate(self, password, user=None):
        if user is None or not getattr(user, "pk", None):
            return
        from .models import PasswordHistory

        count = history_length()
        earlier = PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[:count]
        if any(check_password(password, encoded) for encoded in earlier):
            raise ValidationError(REUSED.format(count=count), code="password_reused")

    def password_changed(self, password, user=None):
        if user is None or not user.pk:
            return
        from .services import password_was_changed

        password_was_changed(user)

    def get_help_text(self):
        return REUSED.format(count=history_length())


def password_expired(changed_at, now=None) -> bool:
    """A change is due ``PASSWORD_MAX_AGE_DAYS`` after the last one (0 turns expiry off)."""
    days = int(getattr(settings, "PASSWORD_MAX_AGE_DAYS", 90))
    if not days or changed_at is None:
        return False
    return (now or timezone.now()) - changed_at >= timedelta(days=days)
