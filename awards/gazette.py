"""Reference data of 双政办发〔2020〕15号: the 2019 scheme parameters and the published 2019 table (idempotent).

The published table (15号 附件 "2019年全市百大项目建设奖励资金分配表") is loaded as the archived 2019
allocation: status 已批复, source 双政办发〔2020〕15号, raw and converted scores and final amounts as
published. The computed amount is what the scheme gives for the published converted score (第一组: C × 4.56
half-up; 第二组: the tier of the rank), so a published figure that differs (友谊县: 83 against 82) shows as an
adjustment with its reason.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from orgs import discovery, issuance
from orgs.models import Organization

from . import notice, rules, services
from .exports import PUBLISHED_ON
from .models import Allocation, AllocationLine, AllocationLog, AllocationStatus, SchemeParameters

SOURCE_2019 = "双政办发〔2020〕15号"
ARCHIVE_REASON = "按{source}附件公布的金额（计算金额 {computed} 万元）"

# (name, 2019年项目建设考核得分, 折算后得分, 奖励金额（万元）) in the order of the published table
PUBLISHED_2019_GROUP1 = [
    ("集贤县", "161.31", 51, 233),
    ("友谊县", "74.28", 18, 83),
    ("宝清县", "296.79", 113, 515),
    ("饶河县", "111.96", 35, 160),
    ("尖山区", "77.46", 20, 91),
    ("岭东区", "151.71", 39, 178),
    ("四方台区", "82.49", 21, 96),
    ("宝山区", "91.53", 29, 132),
    ("市经开区管委会", "166.92", 53, 242),
]
PUBLISHED_2019_GROUP2 = [
    ("市住房城乡建设局", "58.64", 22, 20),
    ("市工业和信息化局", "75.44", 20, 20),
    ("市发展改革委", "54.82", 14, 20),
    ("市城建项目办", "42.54", 13, 10),
    ("市城市开发投资中心", "22.69", 11, 10),
    ("市水务局", "22.46", 11, 10),
    ("市交通运输局", "39.33", 10, 10),
    ("市城棚办", "21.15", 6, 10),
    ("市教育和体育局", "18.46", 6, 5),
    ("市经合局", "24.03", 5, 5),
    ("市商务局", "22.45", 4, 5),
    ("市粮食局", "21.24", 4, 5),
    ("市农业农村局", "20.96", 4, 5),
    ("市自然资源局", "20.92", 4, 5),
    ("市科技局", "20.62", 4, 5),
]
# as printed: 合计 1700.21 / 519 / 1875; 第一组 1214.45 / 379 / 1730; 第二组 485.76 / 140 / 145
PUBLISHED_2019_TOTALS = {0: ("1700.21", 519, 1875), 1: ("1214.45", 379, 1730), 2: ("485.76", 140, 145)}


def _find(organizations: list[Organization], name: str) -> Organization:
    for organization in organizations:
        if organization.matches(name):
            return organization
    raise Organization.DoesNotExist(name)


@transaction.atomic
def load_archive_2019(params: SchemeParameters) -> int:
    """The archived 2019 allocation; nothing happens when a 2019 allocation already exists."""
    if Allocation.objects.filter(year=2019).exists():
        return 0
    scheme = services.scheme_of(params)
    allocation = Allocation(
        year=2019,
        revision=1,
        status=AllocationStatus.CITY_APPROVED,
        rate=scheme.rate,
        parameters=services.snapshot_of(params, scheme),
        source=SOURCE_2019,
        reason=f"公报存档：{SOURCE_2019}附件",
        city_document_no=SOURCE_2019,
    )
    allocation.save()
    # The archived year's notice is 15号 itself: the series of 双政办发 holds its number.
    issuance.record(
        notice.SERIES,
        notice.subject(allocation),
        document_no=SOURCE_2019,
        title=notice.NOTICE_TITLE.format(issuer=notice.ISSUER, year=2019),
        issued_on=PUBLISHED_ON[SOURCE_2019],
    )
    organizations = list(Organization.objects.filter(award_group__isnull=False))
    lines = []
    for order, (name, raw, converted, amount) in enumerate(PUBLISHED_2019_GROUP1, start=1):
        entity = _find(organizations, name)
        computed = rules.group1_amount(converted, scheme.rate)
        lines.append(
            AllocationLine(
                allocation=allocation,
                entity=entity,
                group=1,
                raw_score=Decimal(raw),
                converted_score=converted,
                rank=order,
                computed_amount=computed,
                final_amount=amount,
                adjustment_reason=""
                if computed == amount
                else ARCHIVE_REASON.format(source=SOURCE_2019, computed=computed),
                directory_order=entity.directory_order,
                details={"conversion": f"公报公布（{SOURCE_2019}附件）"},
            )
        )
    slots = [t for t in scheme.tiers for _ in range(t.places)]
    for rank, (name, raw, converted, amount) in enumerate(PUBLISHED_2019_GROUP2, start=1):
        entity = _find(organizations, name)
        tier = slots[rank - 1] if rank <= len(slots) else None
        computed = tier.amount if tier else 0
        lines.append(
            AllocationLine(
                allocation=allocation,
                entity=entity,
                group=2,
                raw_score=Decimal(raw),
                converted_score=converted,
                rank=rank,
                tier=tier.name if tier else "",
                computed_amount=computed,
                final_amount=amount,
                adjustment_reason=""
                if computed == amount
                else ARCHIVE_REASON.format(source=SOURCE_2019, computed=computed),
                directory_order=entity.directory_order,
                details={"conversion": f"公报公布（{SOURCE_2019}附件）"},
            )
        )
    bulk_create_with_history(lines, AllocationLine)
    AllocationLog.objects.create(
        allocation=allocation,
        action="公报存档",
        from_status="",
        to_status=allocation.status,
        note=f"载入{SOURCE_2019}附件“2019年全市百大项目建设奖励资金分配表”",
    )
    return 1


@discovery.gazette
def load() -> dict[str, int]:
    params, created = SchemeParameters.objects.get_or_create(year=2019)
    return {"scheme_2019_created": int(created), "allocation_2019_created": load_archive_2019(params)}
