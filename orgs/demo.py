"""Demo users, one per role — for development and demonstration only, never for production.

All demo accounts share the password ``DEMO_PASSWORD`` (documented in the README).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from . import discovery
from .models import Membership, Organization
from .roles import Role

# A documented development password for the demo accounts only; load_demo is never run in production.
DEMO_PASSWORD = "Demo-2020-sys"  # noqa: S105  # nosec B105

# username, display name, role, organization
DEMO_USERS = [
    ("tianbao", "【演示】宝清县填报员", Role.REPORTER, "宝清县"),
    ("tianbao_shizhi", "【演示】市住建局填报员", Role.REPORTER, "市住房城乡建设局"),
    ("fgw_jingban", "【演示】发改委经办", Role.FGW_CLERK, "市发展改革委"),
    ("fgw_shenpi", "【演示】发改委审批", Role.FGW_APPROVER, "市发展改革委"),
    ("shizhengfu", "【演示】市政府办公室", Role.CITY_OFFICE, "双鸭山市人民政府办公室"),
    ("caizheng", "【演示】市财政局", Role.FINANCE, "市财政局"),
    ("kaohe", "【演示】考核组（市经合局）", Role.ASSESSOR, "市经合局"),
    ("yingshang", "【演示】营商办", Role.BUSINESS_OFFICE, "市委市政府优化营商环境领导小组办公室"),
    ("shichang", "【演示】宝清县市场监管", Role.MARKET, "宝清县市场监督管理局"),
    ("nongye", "【演示】宝清县农业", Role.AGRICULTURE, "宝清县农业农村局"),
    ("gongan", "【演示】宝清县公安", Role.POLICE, "宝清县公安局"),
    ("lingdao", "【演示】市领导（只读）", Role.LEADER, "双鸭山市人民政府办公室"),
    ("admin", "【演示】系统管理员", Role.ADMIN, "双鸭山市人民政府办公室"),
    ("anquan", "【演示】安全管理员", Role.SECURITY_ADMIN, "双鸭山市人民政府办公室"),
    ("shenji", "【演示】审计管理员", Role.AUDIT_ADMIN, "双鸭山市人民政府办公室"),
]


def create_user(username: str, *, role: str, organization: Organization, name: str = "", password=None):
    user_model = get_user_model()
    user, _ = user_model.objects.get_or_create(username=username, defaults={"first_name": name})
    if password:
        user.set_password(password)
    user.first_name = name or user.first_name
    # The 系统管理员 reaches the Django admin through its group's permissions, never as a superuser: the
    # superuser is for the first setup only (三员分立, GB/T 22239-2019 8.1.5).
    user.is_staff = role == Role.ADMIN
    user.is_superuser = False
    user.save()
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    Membership.objects.update_or_create(user=user, defaults={"organization": organization})
    return user


@discovery.demo
def load() -> dict[str, int]:
    for username, name, role, org_name in DEMO_USERS:
        create_user(
            username,
            role=role,
            organization=Organization.objects.get(name=org_name),
            name=name,
            password=DEMO_PASSWORD,
        )
    return {"demo_users": len(DEMO_USERS)}
