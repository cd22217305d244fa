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


PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

# three municipal lead units (第二组) with decreasing investment, so their ranks are fixed
GROUP2 = [("市住房城乡建设局", 30000), ("市工业和信息化局", 20000), ("市发展改革委", 10000)]
TWO_TIERS = [{"name": "一等奖", "places": 1, "amount": 20}, {"name": "二等奖", "places": 1, "amount": 10}]


def pdf(name: str = "处理决定.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def workflow_year(year: int = 2030, *, by=None):
    """A computed draft: 宝清县 in 第一组, three 第二组 units under a two-tier table (20, 10)."""
    from awards import services
    from awards.models import SchemeParameters

    SchemeParameters.objects.create(year=year, tiers=TWO_TIERS)
    ProjectFactory(year=year, entity=entity("宝清县"))
    for name, actual in GROUP2:
        ProjectFactory(
            year=year,
            entity=entity(name),
            category=Category.CITY,
            planned_investment=Decimal(actual),
            actual_investment=Decimal(actual),
        )
    return services.allocation_compute(year=year, by=by)


def seen(obj) -> int:
    """The version a page drawn now would carry: of the allocation, or of a line's allocation. For tests about
    something else than a change between the page and the POST (those pass the stale version themselves)."""
    from awards.models import Allocation, AllocationLine

    pk = obj.allocation_id if isinstance(obj, AllocationLine) else obj.pk
    return Allocation.objects.values_list("version", flat=True).get(pk=pk)
