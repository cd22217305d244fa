"""Demo data (【演示】): a small 2020 project list, verified, and its draft allocation. Idempotent."""

from __future__ import annotations

from decimal import Decimal

from orgs import discovery
from orgs.models import Organization

from . import services
from .models import Category, IndustrialTarget, Project, Verification

DEMO_YEAR = 2020

#: 计划总投资 of the demo's 产业项目 (required of every 投资500万元以上产业项目)
DEMO_TOTAL = Decimal(20000)

# entity, category, planned, actual, started, completed, single
DEMO_PROJECTS = [
    ("宝清县", Category.PROV, 60000, 52000, True, False, True),
    ("宝清县", Category.CITY, 3000, 2500, True, True, False),
    ("宝清县", Category.IND, 8000, 6000, True, False, False),
    ("集贤县", Category.PROV, 20000, 12000, True, False, False),
    ("集贤县", Category.IND, 5000, 0, False, False, False),
    ("市经开区管委会", Category.PROV, 30000, 31000, True, True, True),
    ("市住房城乡建设局", Category.CITY, 6000, 5800, True, True, False),
    ("市工业和信息化局", Category.IND, 9000, 7000, True, False, False),
    ("市发展改革委", Category.CITY, 2000, 800, True, False, False),
]


@discovery.demo
def load() -> dict[str, int]:
    created = 0
    entities = {o.name: o for o in Organization.objects.filter(award_group__isnull=False)}
    if services.year_is_locked(DEMO_YEAR):
        return {"demo_projects": 0}
    for number, (name, category, planned, actual, started, completed, single) in enumerate(DEMO_PROJECTS, 1):
        _project, new = Project.objects.get_or_create(
            year=DEMO_YEAR,
            name=f"【演示】{name}项目{number}",
            entity=entities[name],
            defaults={
                "category": category,
                "planned_investment": Decimal(planned),
                "actual_investment": Decimal(actual),
                "started": started,
                "completed": completed,
                "single": single,
                "total_investment": DEMO_TOTAL if category == Category.IND else None,
            },
        )
        created += new
    for name in ("宝清县", "集贤县", "市工业和信息化局"):
        IndustrialTarget.objects.get_or_create(
            year=DEMO_YEAR,
            entity=entities[name],
            defaults={"target_count": 2, "target_amount": Decimal(10000)},
        )
    if created:
        _verify()
        services.allocation_compute(year=DEMO_YEAR)
    return {"demo_projects": created}


def _verify() -> None:
    """As 发改委经办 would: the 入统 figures (the demo's are the declared ones) and the 核实 of every project."""
    from .statistics import Plan, Row

    projects = list(Project.objects.filter(year=DEMO_YEAR).select_related("entity"))
    services.statistics_apply(Plan(DEMO_YEAR, [Row(p, True, p.actual_investment) for p in projects]))
    pending = [p for p in Project.objects.filter(year=DEMO_YEAR, verification=Verification.PENDING)]
    if pending:
        services.projects_verify(projects=pending)
