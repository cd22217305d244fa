"""The 2020 target tables exactly as published: 双政办发〔2020〕16号 附件2 (表一) and 附件3 (表二).

Loaded as version 1 of 2020, already issued (下达) by 市政府办公室 on 2020年7月23日; idempotent.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from orgs import discovery
from orgs.models import Organization

from . import services
from .models import CountyTarget, Issuer, MunicipalTargetLine, TargetSet, TargetStatus

YEAR = 2020
DOCUMENT_NUMBER = "双政办发〔2020〕16号"
ISSUED_ON = date(2020, 7, 23)

# 表（一）: name as printed, 外资 万美元, 内资 亿元, 签约额 亿元, 新开工项目 个, 主导产业占比 %.
TABLE_ONE = [
    ("集贤县", 30, 7, 15, 7, 80),
    ("友谊县", 30, 5, 15, 7, 80),
    ("宝清县", 40, 7, 15, 7, 80),
    ("饶河县", 30, 5, 15, 7, 80),
    ("尖山区", 10, 3, 10, 4, 80),
    ("岭东区", 10, 3, 10, 4, 80),
    ("四方台区", 10, 3, 10, 4, 80),
    ("宝山区", 10, 3, 10, 4, 80),
    ("经开区管委会", 40, 7, 15, 4, 80),
]

# 表（二）: unit, [(size 万元, 以上, count), ...] — "3000万 1个、500万以上 2个" is two lines.
TABLE_TWO = [
    ("市发展改革委", [(3000, False, 1)]),
    ("市工业和信息化局", [(3000, False, 1)]),
    ("市商务局", [(3000, False, 1)]),
    ("市经合局", [(3000, False, 2)]),
    ("市农业农村局", [(3000, False, 1), (500, True, 2)]),
    ("市林草局", [(2000, False, 2)]),
    ("市文化广电和旅游局", [(2000, False, 2)]),
    ("市粮食局", [(2000, False, 2)]),
    ("双鸭山长三角合作服务中心", [(3000, False, 2)]),
    ("双鸭山珠三角合作服务中心", [(3000, False, 3)]),
    ("市政府驻哈尔滨办事处", [(2000, False, 1)]),
    ("市政府驻北京联络处", [(2000, False, 1)]),
    ("市教育和体育局", [(500, False, 1)]),
    ("市民政局", [(500, False, 1)]),
    ("市卫生健康委", [(500, False, 1)]),
    ("市住房城乡建设局", [(500, False, 1)]),
    ("市交通运输局", [(500, False, 1)]),
    ("市自然资源局", [(500, False, 1)]),
    ("市水务局", [(500, False, 1)]),
    ("市政府外事办公室", [(500, False, 1)]),
    ("市金融服务中心", [(500, False, 1)]),
    ("市电子商务发展服务中心", [(500, False, 1)]),
]


def find_organization(text: str) -> Organization:
    """By name or alias (表（一） prints "经开区管委会" for 市经开区管委会)."""
    found = Organization.objects.filter(name=text.strip()).first()
    if found:
        return found
    for org in Organization.objects.all():
        if org.matches(text):
            return org
    raise Organization.DoesNotExist(text)


@transaction.atomic
@discovery.gazette
def load() -> dict[str, int]:
    services.parameters_ensure(year=YEAR)
    if TargetSet.objects.filter(year=YEAR, version=1).exists():
        return {"target_sets_added": 0}
    target_set = TargetSet.objects.create(
        year=YEAR,
        version=1,
        status=TargetStatus.ISSUED,
        document_number=DOCUMENT_NUMBER,
        issued_on=ISSUED_ON,
        issuer=Issuer.CITY_OFFICE,
    )
    for order, (name, foreign, domestic, signing, started, share) in enumerate(TABLE_ONE, start=1):
        CountyTarget.objects.create(
            target_set=target_set,
            organization=find_organization(name),
            order=order,
            foreign_musd=Decimal(foreign),
            domestic_yi=Decimal(domestic),
            signing_yi=Decimal(signing),
            new_projects=started,
            leading_share_pct=Decimal(share),
        )
    for order, (name, lines) in enumerate(TABLE_TWO, start=1):
        organization = find_organization(name)
        for number, (size, at_least, count) in enumerate(lines, start=1):
            MunicipalTargetLine.objects.create(
                target_set=target_set,
                organization=organization,
                order=order,
                line=number,
                size_wan=Decimal(size),
                at_least=at_least,
                count=count,
            )
    return {"target_sets_added": 1}
