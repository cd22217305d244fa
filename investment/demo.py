"""【演示】 projects for 宝清县 so the indicators, self-evaluation and review pages have something to show.

Idempotent; every demo row's name starts with 【演示】.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from orgs import discovery
from orgs.models import Organization

from .models import Project, Source

DEMO_PROJECTS = [
    (
        "【演示】大豆精深加工项目",
        "【演示】某粮油集团",
        Source.DOMESTIC,
        date(2020, 3, 15),
        "80000",
        "绿色食品",
        True,
        date(2020, 5, 10),
        "0",
        "32000",
    ),
    (
        "【演示】光伏发电项目",
        "【演示】某新能源公司",
        Source.FOREIGN,
        date(2020, 4, 20),
        "40000",
        "新能源",
        True,
        date(2020, 7, 1),
        "520",
        "0",
    ),
    (
        "【演示】物流园区项目",
        "【演示】某物流公司",
        Source.DOMESTIC,
        date(2020, 6, 1),
        "15000",
        "现代物流",
        False,
        None,
        "0",
        "4000",
    ),
]


@discovery.demo
def load() -> dict[str, int]:
    organization = Organization.objects.get(name="宝清县")
    added = 0
    for (
        name,
        investor,
        source,
        signed,
        contract,
        industry,
        leading,
        started,
        foreign,
        domestic,
    ) in DEMO_PROJECTS:
        _, created = Project.objects.get_or_create(
            organization=organization,
            year=2020,
            name=name,
            defaults={
                "investor": investor,
                "source": source,
                "signed_on": signed,
                "contract_wan": Decimal(contract),
                "industry": industry,
                "is_leading": leading,
                "started_on": started,
                "received_foreign_musd": Decimal(foreign),
                "received_domestic_wan": Decimal(domestic),
            },
        )
        added += created
    return {"demo_projects_added": added}
