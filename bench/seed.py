"""Synthetic, clearly marked data for benchmarks and the load test (``bench_seed``).

Scale S ≈ one real year; L = 100 × S. Rows are bulk-inserted through the apps' own models; names carry the
prefix 【压测】 so nobody mistakes them for real records.
"""

from __future__ import annotations

from orgs.demo import create_user
from orgs.models import Organization
from orgs.roles import Role

BENCH_PASSWORD = "Bench-2020-pass"  # noqa: S105  # nosec B105 - synthetic benchmark accounts only
MARK = "【压测】"

# key -> (role, organization)
BENCH_USERS = {
    "admin": (Role.ADMIN, "双鸭山市人民政府办公室"),
    "leader": (Role.LEADER, "双鸭山市人民政府办公室"),
    "fgw_clerk": (Role.FGW_CLERK, "市发展改革委"),
    "reporter": (Role.REPORTER, "宝清县"),
    "business_office": (Role.BUSINESS_OFFICE, "市委市政府优化营商环境领导小组办公室"),
    "assessor": (Role.ASSESSOR, "市经合局"),
    "market": (Role.MARKET, "宝清县市场监督管理局"),
}

SCALES = {"S": 1, "L": 100}


def bench_user(key: str):
    role, org_name = BENCH_USERS[key]
    return create_user(
        f"bench_{key}",
        role=role,
        organization=Organization.objects.get(name=org_name),
        name=f"{MARK}{role}",
        password=BENCH_PASSWORD,
    )


def bench_admin():
    return bench_user("admin")
