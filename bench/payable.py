"""Award years ready to pay (``bench_payable``, make ha-drill): synthetic 【压测】 projects for every unit of
the award groups, carried through the same services the pages call — 入统 figures, 核实, compute, submit,
approve and the 市政府批复 — so that 市财政局 has a line per winning unit still to pay.

The years are past ones by the machine's clock, so the awards' time rules (no fact of a year still to come,
no payment dated after today) hold without moving the clock; the 批复 and payment dates are given explicitly.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from awards import services
from awards.models import Allocation, Category, Project, Verification
from awards.statistics import Plan, Row
from orgs.models import Organization
from orgs.roles import Role

from .seed import MARK, bench_user, create_bench_user

# key -> (role, organization): the workflow's other hands, kept apart from BENCH_USERS (the load test's
# accounts), so the load test's page plan does not change.
PAYABLE_USERS = {
    "fgw_approver": (Role.FGW_APPROVER, "市发展改革委"),
    "city_office": (Role.CITY_OFFICE, "双鸭山市人民政府办公室"),
    "finance": (Role.FINANCE, "市财政局"),
}


def payable_user(key: str):
    return create_bench_user(key, *PAYABLE_USERS[key])


def _version(allocation: Allocation) -> int:
    return Allocation.objects.values_list("version", flat=True).get(pk=allocation.pk)


def payable_year(year: int, *, approved_on: date) -> Allocation:
    """One year from declaration to 已批复 (approved on ``approved_on``): one project per award unit, the
    investment decreasing with the unit's place in the list, so the ranks (and the amounts) are fixed."""
    clerk = bench_user("fgw_clerk")
    approver = payable_user("fgw_approver")
    city = payable_user("city_office")
    units = Organization.objects.filter(award_group__isnull=False).order_by("award_group", "name")
    for number, unit in enumerate(units, 1):
        investment = Decimal(100_000 - 1_000 * number)
        Project.objects.create(
            year=year,
            name=f"{MARK}{unit.name}项目{number}",
            entity=unit,
            category=Category.PROV if unit.award_group == 1 else Category.CITY,
            planned_investment=investment,
            actual_investment=investment,
            started=True,
            completed=False,
            single=False,
        )
    projects = list(Project.objects.filter(year=year).select_related("entity"))
    services.statistics_apply(Plan(year, [Row(p, True, p.actual_investment) for p in projects]), by=clerk)
    pending = Project.objects.filter(year=year, verification=Verification.PENDING)
    if pending.exists():
        services.projects_verify(projects=list(pending), by=clerk)
    draft = services.allocation_compute(year=year, by=clerk)
    submitted = services.allocation_submit(allocation=draft, by=clerk, version=_version(draft))
    approved = services.allocation_approve(allocation=submitted, by=approver, version=_version(submitted))
    return services.allocation_record_city_approval(
        allocation=approved,
        by=city,
        document_no=f"双政批〔{approved_on.year}〕{year % 100}号",
        document_date=approved_on,
        version=_version(approved),
    )
