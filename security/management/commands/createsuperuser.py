"""Django's createsuperuser under the platform's password rules, with an audit record.

Django validates an interactive password but lets the operator answer "y" to bypass the rules, and does not
validate ``--noinput`` with ``DJANGO_SUPERUSER_PASSWORD`` at all: "1" made a superuser. Here both ways obey
``AUTH_PASSWORD_VALIDATORS`` (GB/T 22239-2019 8.1.4.1 a)): the environment's password is checked before
anything is written, and the interactive bypass is answered "no", so the operator enters a password that
passes. A created superuser is recorded in the audit trail (8.1.4.3 a)).
"""

from __future__ import annotations

import getpass
import os

from django.contrib.auth.management.commands import createsuperuser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db.models.signals import post_save

from security import audit
from security.models import AuditEvent

CREATED = "命令行 createsuperuser 创建超级用户（操作系统账号 {account}）"
NO_BYPASS = "平台不允许绕过密码规则，请重新输入符合规则的密码。"
#: DJANGO_SUPERUSER_PASSWORD, named as Django names it
FROM_ENVIRONMENT = f"DJANGO_SUPERUSER_{createsuperuser.PASSWORD_FIELD.upper()}"


def _operating_system_account() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container): the record still says how
        return "未知"


class Command(createsuperuser.Command):
    help = "创建超级用户：密码须符合平台的密码规则，创建记入审计记录。"

    def handle(self, *args, **options):
        if not options["interactive"] and FROM_ENVIRONMENT in os.environ:
            self.check_environment_password(options)
        created = []

        def remember(sender, instance, raw: bool = False, **kwargs):
            if kwargs.get("created") and not raw:
                created.append(instance)

        uid = f"security.createsuperuser.{id(self)}"
        post_save.connect(remember, sender=self.UserModel, weak=False, dispatch_uid=uid)
        # Django asks "Bypass password validation and create user anyway?" with the built-in input(); a name
        # in its module's namespace answers first, for this command only.
        createsuperuser.input = self.refuse_bypass
        try:
            super().handle(*args, **options)
        finally:
            del createsuperuser.input
            post_save.disconnect(sender=self.UserModel, dispatch_uid=uid)
        for user in created:
            audit.record(
                AuditEvent.Kind.ACCOUNT,
                target=user.get_username(),
                detail=CREATED.format(account=_operating_system_account()),
            )

    def check_environment_password(self, options) -> None:
        """``--noinput``: the password from the environment passes every rule, or nothing is created."""
        username_field = self.UserModel.USERNAME_FIELD
        candidate = {
            username_field: options.get(username_field)
            or os.environ.get(f"DJANGO_SUPERUSER_{username_field.upper()}", "")
        }
        for name in self.UserModel.REQUIRED_FIELDS:
            field = self.UserModel._meta.get_field(name)
            if not field.is_relation:
                candidate[name] = options.get(name) or os.environ.get(f"DJANGO_SUPERUSER_{name.upper()}", "")
        try:
            validate_password(os.environ[FROM_ENVIRONMENT], self.UserModel(**candidate))
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from error

    def refuse_bypass(self, prompt: str = "") -> str:
        self.stderr.write(NO_BYPASS)
        return "n"
