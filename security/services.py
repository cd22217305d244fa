"""Writes of the security app: password bookkeeping, login notices, deactivation, role assignment."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from orgs import discovery
from orgs.roles import BUSINESS_ROLES, SEPARATED_ADMINISTRATORS, Role
from orgs.workflow import require

from . import audit, permissions
from .models import AccountSecurity, AuditEvent, PasswordHistory
from .passwords import history_length

TWO_ADMINISTRATOR_ROLES = "三员分立：系统管理员、安全管理员、审计管理员不能由同一账号兼任（{roles}）。"
ADMINISTRATOR_AND_BUSINESS = "三员分立：管理员账号不能兼任业务角色（{roles}），管理员只做管理，不办理业务。"
ALREADY_INACTIVE = "该账号已停用。"
CANNOT_DEACTIVATE_SELF = "不能停用自己的账号。"


def account(user) -> AccountSecurity:
    state, _ = AccountSecurity.objects.get_or_create(user=user)
    return state


def password_was_changed(user) -> None:
    """Keep the hash history (the last ``PASSWORD_HISTORY``) and restart the expiry clock."""
    PasswordHistory.objects.create(user=user, password=user.password)
    keep = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[: history_length()]
    PasswordHistory.objects.filter(user=user).exclude(pk__in=list(keep)).delete()
    AccountSecurity.objects.update_or_create(
        user=user, defaults={"password_changed_at": timezone.now(), "change_required": False}
    )


def require_password_change(user) -> None:
    """An administrator created the account or set its password: the user changes it at the next login."""
    AccountSecurity.objects.update_or_create(user=user, defaults={"change_required": True})


def login_notice(user, ip: str) -> str:
    """The last login's time and address and the failed attempts since; then remember this login."""
    state = account(user)
    since = state.last_login_at
    failures = AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGIN_FAILED, username=user.get_username())
    if since is not None:
        failures = failures.filter(at__gt=since)
    count = failures.count()
    if since is None:
        text = "这是您第一次登录本平台。"
    else:
        local = timezone.localtime(since)
        text = f"上次登录：{local:%Y年%m月%d日 %H:%M}，地址 {state.last_login_ip or '未知'}。"
    text += f"此后该账号登录失败 {count} 次。" if count else "此后没有失败的登录。"
    AccountSecurity.objects.filter(pk=state.pk).update(last_login_at=timezone.now(), last_login_ip=ip or None)
    return text


def check_separation(role_names) -> None:
    """GB/T 22239-2019 8.1.5: no account holds two of 系统管理员, 安全管理员 and 审计管理员."""
    held = sorted(set(role_names) & SEPARATED_ADMINISTRATORS)
    if len(held) > 1:
        raise ValidationError(TWO_ADMINISTRATOR_ROLES.format(roles="、".join(held)))
    business = sorted(set(role_names) & BUSINESS_ROLES)
    if held and business:
        raise ValidationError(ADMINISTRATOR_AND_BUSINESS.format(roles="、".join(held + business)))


@transaction.atomic
def assign_roles(*, user, roles: list[str], by) -> None:
    """Set ``user``'s roles (the 安全管理员's work; the three administrators' by the setup superuser); every
    change is a ``role`` audit record via the signal and waits in the 审计管理员's 待办 until reviewed."""
    require(permissions.can_assign_roles(by, user, roles))
    check_separation(roles)
    user.groups.set([Group.objects.get_or_create(name=name)[0] for name in roles])
    # The Django admin is the 系统管理员's working place: the flag follows the role, never set by hand.
    get_user_model().objects.filter(pk=user.pk).update(is_staff=Role.ADMIN in roles)


@transaction.atomic
def deactivate(*, user, by, reason: str = "") -> None:
    """停用: the account can no longer log in; the user, its history and every record naming it stay."""
    if user.pk == by.pk:
        raise ValidationError(CANNOT_DEACTIVATE_SELF)
    require(permissions.can_deactivate(by, user))
    if not user.is_active:
        raise ValidationError(ALREADY_INACTIVE)
    get_user_model().objects.filter(pk=user.pk).update(is_active=False)
    AccountSecurity.objects.update_or_create(
        user=user, defaults={"deactivated_at": timezone.now(), "deactivation_reason": reason[:200]}
    )
    audit.record(AuditEvent.Kind.ACCOUNT, user=by, target=user.get_username(), detail=f"停用账号：{reason}")


def disable_inactive(now=None) -> int:
    """GB/T 22239-2019 8.1.4.2 c): accounts unused for ``ACCOUNT_INACTIVE_DAYS`` are disabled."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=int(getattr(settings, "ACCOUNT_INACTIVE_DAYS", 90)))
    idle = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff))
    )
    # The last 审计管理员 stays: a trail nobody may read is no control (GB/T 22239-2019 8.1.5.2).
    users = [user for user in idle if Role.AUDIT_ADMIN not in user.groups.values_list("name", flat=True)]
    auditors = [user for user in idle if user not in users]
    active_auditors = get_user_model().objects.filter(is_active=True, groups__name=Role.AUDIT_ADMIN)
    spare = active_auditors.exclude(pk__in=[a.pk for a in auditors]).exists()
    users += auditors if spare else auditors[:-1]
    for user in users:
        with transaction.atomic():
            get_user_model().objects.filter(pk=user.pk).update(is_active=False)
            AccountSecurity.objects.update_or_create(
                user=user, defaults={"deactivated_at": now, "deactivation_reason": "长期未登录，自动停用"}
            )
            audit.record(
                AuditEvent.Kind.ACCOUNT,
                target=user.get_username(),
                detail=f"超过 {cutoff:%Y-%m-%d} 未登录，自动停用",
            )
    return len(users)


def unlock(*, user, by) -> None:
    """Clear the lockout records of ``user`` (django-axes), the 安全管理员's work."""
    from axes.utils import reset

    require(permissions.can_unlock(by, user))
    reset(username=user.get_username())
    audit.record(AuditEvent.Kind.ACCOUNT, user=by, target=user.get_username(), detail="解除登录锁定")


def reset_second_factor(*, user, by) -> None:
    from . import otp

    require(permissions.can_reset_second_factor(by, user))
    otp.reset(user)
    audit.record(AuditEvent.Kind.ACCOUNT, user=by, target=user.get_username(), detail="解除手机令牌绑定")


NOTHING_TO_REVIEW = "没有待复核的角色变更。"


def review_role_changes(*, by, up_to: int) -> None:
    """The 审计管理员 has read the role changes up to record ``up_to``: they leave its 待办 (later ones stay)."""
    from .todo import pending_role_changes

    require(permissions.can_read_audit(by))
    if not pending_role_changes().filter(seq__lte=up_to).exists():
        raise ValidationError(NOTHING_TO_REVIEW)
    audit.record(
        AuditEvent.Kind.REVIEW, user=by, target=str(up_to), detail=f"已复核第 {up_to} 条及之前的角色变更"
    )


def policy() -> list[tuple[str, str]]:
    """The security settings in force, as the 安全管理员's page shows them."""
    from . import audit as audit_module

    return [
        ("密码最短长度", "8 位，且含大写字母、小写字母、数字、符号中的至少 3 类"),
        ("不得重复使用", f"最近 {history_length()} 次的密码"),
        ("密码有效期", f"{settings.PASSWORD_MAX_AGE_DAYS} 天"),
        (
            "登录失败锁定",
            f"同一地址连续 {settings.AXES_FAILURE_LIMIT} 次，锁定 {int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)} 分钟",
        ),
        ("会话空闲超时", f"{settings.SESSION_IDLE_TIMEOUT // 60} 分钟"),
        ("会话最长", f"{settings.SESSION_COOKIE_AGE // 3600} 小时"),
        ("长期未登录停用", f"{settings.ACCOUNT_INACTIVE_DAYS} 天"),
        ("审计记录保存", f"至少 {audit_module.retention_days()} 天"),
    ]


#: What the 系统管理员 manages in the Django admin (GB/T 22239-2019 8.1.5.1): the organizations, the reference
#: data and the records of the four systems. Accounts it may create, edit and deactivate, never delete; roles and
#: groups it may only view (they are the 安全管理员's); the audit trail, lockouts and second factors not at all.
ADMINISTRATOR_APPS = ("orgs", *discovery.domain_apps())
ADMINISTRATOR_ACCOUNT_PERMISSIONS = ("auth.add_user", "auth.change_user", "auth.view_user", "auth.view_group")


def grant_administrator_permissions() -> None:
    """The 系统管理员 group's Django admin permissions; run after every migrate, so a new model is covered."""
    group = Group.objects.get_or_create(name=Role.ADMIN)[0]
    accounts = Q()
    for label in ADMINISTRATOR_ACCOUNT_PERMISSIONS:
        app_label, codename = label.split(".")
        accounts |= Q(content_type__app_label=app_label, codename=codename)
    group.permissions.set(
        Permission.objects.filter(Q(content_type__app_label__in=ADMINISTRATOR_APPS) | accounts)
    )
