"""【演示】 cases for the demo users (load_demo): one per typical path of 双政办规〔2020〕15号."""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model

from orgs import discovery
from orgs.models import Organization

from . import services
from .choices import Outcome, Source, Stage
from .models import Additive, Case

DEMO = "【演示】"


def _user(username: str):
    return get_user_model().objects.get(username=username)


@discovery.demo
def load() -> dict[str, int]:
    if Case.objects.filter(business_name__startswith=DEMO).exists():
        return {"demo_sprout_cases": 0}
    market, farm = _user("shichang"), _user("nongye")
    baoqing = Organization.objects.get(name="宝清县")
    additive = Additive.objects.get(name="6-苄基腺嘌呤")
    common = {"district": baoqing, "business_address": f"{DEMO}宝清县城关镇"}
    created = [
        services.case_create(
            by=farm,
            source=Source.RISK_MONITORING,
            stage=Stage.PRODUCTION,
            business_name=f"{DEMO}青青豆芽作坊",
            found_on=date(2026, 3, 2),
            additives=[additive],
            sample_results="6-苄基腺嘌呤 检出 0.52 mg/kg",
            **common,
        ),
        services.case_create(
            by=market,
            source=Source.SAMPLING,
            stage=Stage.CIRCULATION,
            business_name=f"{DEMO}农贸市场豆芽摊位",
            found_on=date(2026, 4, 8),
            **common,
        ),
    ]
    catering = services.case_create(
        by=market,
        source=Source.COMPLAINT,
        stage=Stage.CATERING,
        business_name=f"{DEMO}某饭店",
        found_on=date(2026, 5, 12),
        findings="投诉豆芽有异味，现场检查未发现非法添加",
        **common,
    )
    services.case_close(case=catering, by=market, outcome=Outcome.NO_VIOLATION, note="未发现违法行为")
    created.append(catering)
    return {"demo_sprout_cases": len(created)}
