from decimal import Decimal

import factory

from awards.models import Category, IndustrialTarget, Project
from orgs.models import Organization


def entity(name: str) -> Organization:
    return Organization.objects.get(name=name)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    year = 2030
    name = factory.Sequence(lambda n: f"测试项目{n}")
    category = Category.PROV
    entity = factory.LazyFunction(lambda: Organization.objects.get(name="宝清县"))
    single = False
    planned_investment = Decimal("10000")
    actual_investment = Decimal("5000")
    started = True
    completed = False


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndustrialTarget

    year = 2030
    entity = factory.LazyFunction(lambda: Organization.objects.get(name="宝清县"))
    target_count = 4
    target_amount = Decimal("20000")
