"""Who may do what in the security app — decided here once (三员分立, GB/T 22239-2019 8.1.5).

系统管理员 manages users, organizations and reference data, and deactivates accounts of people who leave; it
cannot read the audit trail or change security settings. 安全管理员 unlocks accounts, assigns roles and resets
second factors. 审计管理员 reads, searches and exports the audit trail and changes nothing else. The superuser
flag confers none of the last two.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from orgs.access import ALLOW, NO_CAPABILITY, Decision, deny
from orgs.roles import SECOND_FACTOR_ROLES, SEPARATED_ADMINISTRATORS, Role, roles_of

OWN_ROLES = "不能修改自己的角色，请由另一位安全管理员办理。"
OTHER_ADMINISTRATOR = (
    "三员分立：管理员不能修改、重置或停用另一位管理员的账号（{name}）；请由初始设置账号办理。"
)
ADMINISTRATOR_ROLES_AT_SETUP = "系统管理员、安全管理员、审计管理员角色只能由初始设置账号（超级用户）分配。"
SETUP_GRANTS_ADMINISTRATORS_ONLY = "初始设置账号只分配三个管理员角色；业务角色由安全管理员分配。"
SUPERUSER_HOLDS_NO_ROLE = "超级用户仅用于初始设置，不能再分配角色。"
LAST_AUDITOR = "这是最后一个在用的审计管理员账号，不能停用：审计记录须始终有人查阅。"
NOT_SECURITY_ADMIN = "只有安全管理员可以分配角色。"
NOT_AUDIT_ADMIN = "只有审计管理员可以查阅、导出和复核审计记录。"
NOT_SECURITY_MANAGER = "只有安全管理员可以解除锁定或重置手机令牌。"
NOT_ACCOUNT_MANAGER = "只有系统管理员可以管理账号。"
NOT_ACCOUNTS_PAGE = "只有系统管理员、安全管理员可以打开账号管理。"
NO_VERIFIED_DEVICE = "请先通过手机令牌验证，再重新生成恢复码。"


def _holds(user, role: str) -> bool:
    # Group membership only: ``roles_of`` gives superusers 系统管理员, and nothing more here.
    return getattr(user, "is_authenticated", False) and role in roles_of(user)


def can_read_audit(user) -> Decision:
    """Reading, exporting and reviewing the audit trail (GB/T 22239-2019 8.1.4.3)."""
    return ALLOW if _holds(user, Role.AUDIT_ADMIN) else deny(NOT_AUDIT_ADMIN)


def can_manage_security(user) -> Decision:
    return ALLOW if _holds(user, Role.SECURITY_ADMIN) else deny(NOT_SECURITY_MANAGER)


def can_manage_accounts(user) -> Decision:
    return ALLOW if _holds(user, Role.ADMIN) else deny(NOT_ACCOUNT_MANAGER)


def can_open_accounts(user) -> Decision:
    """The accounts page: the 系统管理员 and the 安全管理员 at work, and the setup superuser."""
    if can_manage_accounts(user) or can_manage_security(user) or getattr(user, "is_superuser", False):
        return ALLOW
    return deny(NOT_ACCOUNTS_PAGE)


def _secures(actor, target) -> Decision:
    """Unlocking an account or resetting its second factor: the 安全管理员, never on another administrator."""
    if not _holds(actor, Role.SECURITY_ADMIN):
        return deny(NOT_SECURITY_MANAGER)
    return can_act_on_account(actor, target)


def can_unlock(actor, target) -> Decision:
    return _secures(actor, target)


def can_reset_second_factor(actor, target) -> Decision:
    return _secures(actor, target)


def can_renew_recovery_codes(user, *, has_device: bool) -> Decision:
    """New recovery codes for one's own device, only in a session that passed it (a password alone never)."""
    return ALLOW if has_device and user.is_verified() else deny(NO_VERIFIED_DEVICE)


def is_administrator_account(user) -> bool:
    """One of the three administrators, or the setup superuser."""
    return user.is_superuser or bool(roles_of(user) & SEPARATED_ADMINISTRATORS)


def can_act_on_account(actor, target) -> Decision:
    """Changing, resetting, unlocking or deactivating ``target``'s account: never another administrator's
    (三员分立 — one administrator cannot silence or take over another); the setup superuser may."""
    if target.pk != actor.pk and is_administrator_account(target) and not actor.is_superuser:
        return deny(OTHER_ADMINISTRATOR.format(name=target.get_username()))
    return ALLOW


def can_assign_roles(actor, target, roles=()) -> Decision:
    """Business roles by the 安全管理员; the three administrator roles only by the setup superuser; nobody
    changes their own roles, and a superuser account holds none."""
    wanted = set(roles)
    if not (_holds(actor, Role.SECURITY_ADMIN) or actor.is_superuser):
        return deny(NOT_SECURITY_ADMIN)
    if target.pk == actor.pk:
        return deny(OWN_ROLES)
    if target.is_superuser:
        return deny(SUPERUSER_HOLDS_NO_ROLE)
    decision = can_act_on_account(actor, target)
    if not decision:
        return decision
    if actor.is_superuser and not _holds(actor, Role.SECURITY_ADMIN):
        if wanted - SEPARATED_ADMINISTRATORS:
            return deny(SETUP_GRANTS_ADMINISTRATORS_ONLY)
        return ALLOW
    if (wanted ^ set(roles_of(target))) & SEPARATED_ADMINISTRATORS:
        return deny(ADMINISTRATOR_ROLES_AT_SETUP)
    return ALLOW


def can_deactivate(actor, target) -> Decision:
    from django.contrib.auth import get_user_model

    if not (can_manage_accounts(actor) or actor.is_superuser):
        return deny(NO_CAPABILITY)
    decision = can_act_on_account(actor, target)
    if not decision:
        return decision
    if Role.AUDIT_ADMIN in roles_of(target):
        others = (
            get_user_model()
            .objects.filter(is_active=True, groups__name=Role.AUDIT_ADMIN)
            .exclude(pk=target.pk)
        )
        if not others.exists():
            return deny(LAST_AUDITOR)
    return ALLOW


def requires_second_factor(user) -> bool:
    """GB/T 22239-2019 8.1.4.1 d): the administrators, the money roles and anyone with the Django admin."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_staff or user.is_superuser or bool(roles_of(user) & SECOND_FACTOR_ROLES)


def require(decision: bool | Decision) -> None:
    if not decision:
        raise PermissionDenied(getattr(decision, "reason", "") or NO_CAPABILITY)
