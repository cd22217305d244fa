"""Who may do what in the security app — decided here once (三员分立, GB/T 22239-2019 8.1.5).

系统管理员 manages users, organizations and reference data, and deactivates accounts of people who leave; it
cannot read the audit trail or change security settings. 安全管理员 unlocks accounts, assigns roles and resets
second factors. 审计管理员 reads, searches and exports the audit trail and changes nothing else. The superuser
flag confers none of the last two.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from orgs.access import NO_CAPABILITY
from orgs.roles import SECOND_FACTOR_ROLES, Role, roles_of


def _holds(user, role: str) -> bool:
    # Group membership only: ``roles_of`` gives superusers 系统管理员, and nothing more here.
    return getattr(user, "is_authenticated", False) and role in roles_of(user)


def can_read_audit(user) -> bool:
    return _holds(user, Role.AUDIT_ADMIN)


def can_manage_security(user) -> bool:
    return _holds(user, Role.SECURITY_ADMIN)


def can_manage_accounts(user) -> bool:
    return _holds(user, Role.ADMIN)


def requires_second_factor(user) -> bool:
    """GB/T 22239-2019 8.1.4.1 d): the administrators, the money roles and anyone with the Django admin."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_staff or user.is_superuser or bool(roles_of(user) & SECOND_FACTOR_ROLES)


def require(decision: bool) -> None:
    if not decision:
        raise PermissionDenied(NO_CAPABILITY)
