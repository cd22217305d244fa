"""The organization directory named in the gazette (第9期, 2020年9月30日), loaded idempotently.

Sources: 双政办发〔2020〕14号/15号 (award groups and the 2019 table), 16号 (表一/表二 units),
17号 (营商办, 市直/中省直 units), 双政办规〔2020〕15号 (市场监管/农业/公安 and 属地管理).
"""

from __future__ import annotations

from django.contrib.auth.models import Group

from . import discovery
from .models import AwardGroup, Organization, OrganizationKind, Sector
from .roles import Role

# 第一组 in the published table's order (双政办发〔2020〕15号 附件).
COUNTIES = [
    "集贤县",
    "友谊县",
    "宝清县",
    "饶河县",
    "尖山区",
    "岭东区",
    "四方台区",
    "宝山区",
    "市经开区管委会",
]
COUNTY_ALIASES = {
    "市经开区管委会": ["经开区管委会", "市经开区", "双鸭山经济技术开发区", "经开区"],
}

# 第二组 in the published table's order, which is also their directory order.
AWARD_GROUP_2 = [
    "市住房城乡建设局",
    "市工业和信息化局",
    "市发展改革委",
    "市城建项目办",
    "市城市开发投资中心",
    "市水务局",
    "市交通运输局",
    "市城棚办",
    "市教育和体育局",
    "市经合局",
    "市商务局",
    "市粮食局",
    "市农业农村局",
    "市自然资源局",
    "市科技局",
]

# 市直承标单位 of 表（二） not already above (双政办发〔2020〕16号 附件3), with their kind.
INVESTMENT_UNITS = [
    ("市林草局", OrganizationKind.MUNICIPAL),
    ("市文化广电和旅游局", OrganizationKind.MUNICIPAL),
    ("双鸭山长三角合作服务中心", OrganizationKind.OFFICE),
    ("双鸭山珠三角合作服务中心", OrganizationKind.OFFICE),
    ("市政府驻哈尔滨办事处", OrganizationKind.OFFICE),
    ("市政府驻北京联络处", OrganizationKind.OFFICE),
    ("市民政局", OrganizationKind.MUNICIPAL),
    ("市卫生健康委", OrganizationKind.MUNICIPAL),
    ("市政府外事办公室", OrganizationKind.MUNICIPAL),
    ("市金融服务中心", OrganizationKind.OFFICE),
    ("市电子商务发展服务中心", OrganizationKind.OFFICE),
]

OTHER_CITY_UNITS = [
    ("双鸭山市人民政府办公室", OrganizationKind.MUNICIPAL, ["市政府办公室", "市政府办"], ""),
    ("市财政局", OrganizationKind.MUNICIPAL, ["双鸭山市财政局"], ""),
    ("市统计局", OrganizationKind.MUNICIPAL, ["双鸭山市统计局"], ""),
    (
        "市委市政府优化营商环境领导小组办公室",
        OrganizationKind.MUNICIPAL,
        ["营商办", "市营商办", "市优化办"],
        "",
    ),
    (
        "市市场监督管理局",
        OrganizationKind.MUNICIPAL,
        ["市市场监管局", "双鸭山市市场监督管理局"],
        Sector.MARKET,
    ),
    ("市公安局", OrganizationKind.MUNICIPAL, ["双鸭山市公安局"], Sector.POLICE),
]

GROUP_2_ALIASES = {
    "市发展改革委": ["市发改委", "市发展和改革委员会", "双鸭山市发展和改革委员会"],
    "市住房城乡建设局": ["市住建局", "市住房和城乡建设局"],
    "市工业和信息化局": ["市工信局"],
    "市教育和体育局": ["市教体局"],
    "市经合局": ["市经济合作促进局"],
    "市农业农村局": ["市农业局"],
    "市交通运输局": ["市交通局"],
}

# 属地管理 (双政办规〔2020〕15号 五): every county/district has its own offices of the three lines.
COUNTY_OFFICES = [
    ("{}市场监督管理局", Sector.MARKET, ["{}市场监管局"]),
    ("{}农业农村局", Sector.AGRICULTURE, ["{}农业局"]),
    ("{}公安局", Sector.POLICE, ["{}公安分局"]),
]


def _upsert(name: str, **fields) -> Organization:
    org, created = Organization.objects.get_or_create(name=name, defaults=fields)
    if not created:
        changed = [k for k, v in fields.items() if getattr(org, k) != v]
        if changed:
            for k in changed:
                setattr(org, k, fields[k])
            org.save(update_fields=changed)
    return org


@discovery.gazette
def load() -> dict[str, int]:
    before = Organization.objects.count()
    for role in Role:
        Group.objects.get_or_create(name=role.value)

    order = 0
    counties = {}
    for name in COUNTIES:
        order += 10
        counties[name] = _upsert(
            name,
            kind=OrganizationKind.COUNTY,
            award_group=AwardGroup.COUNTY,
            aliases=COUNTY_ALIASES.get(name, []),
            directory_order=order,
            sector="",
        )
    for county in counties.values():
        if county.district_id != county.pk:
            county.district = county
            county.save(update_fields=["district"])

    order = 1000
    for name in AWARD_GROUP_2:
        order += 10
        _upsert(
            name,
            kind=OrganizationKind.MUNICIPAL,
            award_group=AwardGroup.MUNICIPAL,
            aliases=GROUP_2_ALIASES.get(name, []),
            directory_order=order,
            sector=Sector.AGRICULTURE if name == "市农业农村局" else "",
        )
    order = 2000
    for name, kind in INVESTMENT_UNITS:
        order += 10
        _upsert(name, kind=kind, award_group=None, aliases=[], directory_order=order, sector="")
    order = 3000
    for name, kind, aliases, sector in OTHER_CITY_UNITS:
        order += 10
        _upsert(name, kind=kind, award_group=None, aliases=aliases, directory_order=order, sector=sector)

    order = 4000
    for county_name, county in counties.items():
        short = "市经开区" if county_name == "市经开区管委会" else county_name
        for pattern, sector, alias_patterns in COUNTY_OFFICES:
            order += 1
            _upsert(
                pattern.format(short),
                kind=OrganizationKind.COUNTY_DEPARTMENT,
                award_group=None,
                aliases=[a.format(short) for a in alias_patterns],
                directory_order=order,
                sector=sector,
                district=county,
            )
    return {"organizations_added": Organization.objects.count() - before}
