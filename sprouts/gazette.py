"""The five clauses of 双政办规〔2020〕15号 as routing rules, the additives it names, and the parameters.

Each rule's 规则说明 is the clause as the gazette words it (第二条 split into its two 环节).

Idempotent: a rule code that already exists (in any version, possibly revised by an administrator) is left
alone, so a second run changes nothing.
"""

from __future__ import annotations

from datetime import date

from orgs import discovery
from orgs.models import Sector

from .choices import Source, Stage
from .models import Additive, RoutingRule, SupervisionSettings

DOCUMENT = "双政办规〔2020〕15号"
IN_FORCE_FROM = date(2020, 8, 24)

RULES = [
    {
        "code": "clause-4-crime",
        "clause": "第四条",
        "title": "公安部门负责依法打击全市生产、销售有毒有害豆芽违法犯罪行为，依法查处监管部门移交的豆芽质量安全案件",
        "criminal": True,
        "lead_sector": Sector.POLICE,
        "cooperating_sectors": [Sector.MARKET],
        "priority": 10,
        "legal_basis": f"{DOCUMENT} 第四条；《中华人民共和国刑法》第一百四十四条",
    },
    {
        "code": "clause-3-risk-monitoring",
        "clause": "第三条",
        "title": "农业行政主管部门在豆芽生产、销售环节风险监测过程中发现的豆芽质量安全问题线索，移交给市场监管部门的由市场监管部门进行处理",
        "source": Source.RISK_MONITORING,
        "lead_sector": Sector.MARKET,
        "priority": 20,
        "legal_basis": f"{DOCUMENT} 第三条",
    },
    {
        "code": "clause-1-production",
        "clause": "第一条",
        "title": "市场监管部门联系农业行政主管部门负责全市豆芽生产环节的质量安全监管，由市场监管部门、农业行政主管部门依法作出处罚决定",
        "stage": Stage.PRODUCTION,
        "lead_sector": Sector.MARKET,
        "cooperating_sectors": [Sector.AGRICULTURE],
        "priority": 30,
        "legal_basis": f"{DOCUMENT} 第一条；《中华人民共和国农产品质量安全法》",
    },
    {
        "code": "clause-2-circulation",
        "clause": "第二条",
        "title": "市场监管部门负责市场流通环节的豆芽质量安全监管",
        "stage": Stage.CIRCULATION,
        "lead_sector": Sector.MARKET,
        "priority": 30,
        "legal_basis": f"{DOCUMENT} 第二条；《中华人民共和国食品安全法》",
    },
    {
        "code": "clause-2-catering",
        "clause": "第二条",
        "title": "市场监管部门负责餐饮服务环节的豆芽质量安全监管",
        "stage": Stage.CATERING,
        "lead_sector": Sector.MARKET,
        "priority": 30,
        "legal_basis": f"{DOCUMENT} 第二条；《中华人民共和国食品安全法》",
    },
    {
        "code": "clause-5-territorial",
        "clause": "第五条",
        "title": "按照属地管理原则，市场监管部门做好本辖区内豆芽产品安全的日常监管工作",
        "territorial": True,
        "priority": 50,
        "legal_basis": f"{DOCUMENT} 第五条",
    },
]

ADDITIVES = ["6-苄基腺嘌呤", "4-氯苯氧乙酸钠", "赤霉素", "亚硫酸盐"]


@discovery.gazette
def load() -> dict[str, int]:
    rules_added = 0
    for spec in RULES:
        if RoutingRule.objects.filter(code=spec["code"]).exists():
            continue
        rule = RoutingRule(valid_from=IN_FORCE_FROM, version=1, is_current=True, **spec)
        rule.full_clean()
        rule.save()
        rules_added += 1
    additives_added = 0
    for order, name in enumerate(ADDITIVES, start=1):
        _, created = Additive.objects.get_or_create(name=name, defaults={"order": order})
        additives_added += created
    if not SupervisionSettings.objects.exists():
        SupervisionSettings.objects.create()
    return {"sprout_rules_added": rules_added, "additives_added": additives_added}
