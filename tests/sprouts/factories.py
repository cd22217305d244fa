"""Factories for sprouts tests: cases go through the intake service so they are routed like real ones."""

from datetime import date

import factory

from orgs.models import Organization
from sprouts import services
from sprouts.choices import Source, Stage
from sprouts.models import Additive, Case


class AdditiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Additive
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"添加物{n}")


class CaseFactory(factory.Factory):
    """``CaseFactory(by=user, ...)``: registered through ``services.case_create``."""

    class Meta:
        model = Case

    source = Source.INSPECTION
    stage = Stage.CIRCULATION
    district = factory.LazyFunction(lambda: Organization.objects.get(name="宝清县"))
    business_name = factory.Sequence(lambda n: f"测试豆芽店{n}")
    business_address = "宝清县测试路1号"
    found_on = factory.LazyFunction(lambda: date(2026, 3, 2))
    criminal_suspected = False

    @classmethod
    def _create(cls, model_class, *args, by, **kwargs):
        return services.case_create(by=by, **kwargs)

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise NotImplementedError("cases are only created through services.case_create")


def district(name: str) -> Organization:
    return Organization.objects.get(name=name)


def intake_data(**overrides) -> dict:
    """The intake page's form for a risk-monitoring clue at a 宝清县 production site, as 农业 fills it in."""
    return {
        "source": Source.RISK_MONITORING,
        "stage": Stage.PRODUCTION,
        "district": Organization.objects.get(name="宝清县").pk,
        "business_name": "宝清县某豆芽作坊",
        "business_address": "宝清县城关镇",
        "found_on": "2026-03-02",
        "additives": [Additive.objects.get(name="6-苄基腺嘌呤").pk],
        "findings": "风险监测发现",
        "sample_results": "6-苄基腺嘌呤 检出 0.52 mg/kg",
    } | overrides
