"""The platform's roles: one Django group each, named in Chinese exactly as platform.md lists them.

A typo in a role name fails at import because code only ever refers to ``Role.X``.
"""

from django.db import models


class Role(models.TextChoices):
    REPORTER = "填报员", "填报员"
    FGW_CLERK = "发改委经办", "发改委经办"
    FGW_APPROVER = "发改委审批", "发改委审批"
    CITY_OFFICE = "市政府办公室", "市政府办公室"
    FINANCE = "市财政局", "市财政局"
    ASSESSOR = "考核组", "考核组"
    BUSINESS_OFFICE = "营商办", "营商办"
    MARKET = "市场监管", "市场监管"
    AGRICULTURE = "农业", "农业"
    POLICE = "公安", "公安"
    LEADER = "领导", "领导（只读）"
    ADMIN = "系统管理员", "系统管理员"
    # GB/T 22239-2019 8.1.5 (三员分立): security and audit administration are separate roles.
    SECURITY_ADMIN = "安全管理员", "安全管理员"
    AUDIT_ADMIN = "审计管理员", "审计管理员"


#: Roles that see every organization's rows (read access); writing still needs the capability.
CITYWIDE_READERS = frozenset({Role.LEADER})

#: 三员分立 (GB/T 22239-2019 8.1.5.1-8.1.5.3): no account holds two of these, and none of them holds a business
#: role — administrators administer, they never take a step of a workflow or read its rows.
SEPARATED_ADMINISTRATORS = frozenset({Role.ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
BUSINESS_ROLES = frozenset(Role.values) - SEPARATED_ADMINISTRATORS

#: Roles that must pass a second factor before acting (GB/T 22239-2019 8.1.4.1 d): the three administrators
#: and the roles that approve, record the 批复 of, and pay award money.
SECOND_FACTOR_ROLES = frozenset(
    {Role.ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN, Role.FGW_APPROVER, Role.CITY_OFFICE, Role.FINANCE}
)


def roles_of(user) -> frozenset[str]:
    """The role names of ``user`` (its groups), cached on the user object for the request.

    The superuser flag adds none: it is for the first setup (creating the three administrators), and a role
    of a workflow is only ever a group the 安全管理员 assigned."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._role_names = cached
    return cached


def has_role(user, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))
