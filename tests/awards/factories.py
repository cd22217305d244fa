from datetime import datetime
from decimal import Decimal
from unittest import mock
from zoneinfo import ZoneInfo

import factory
import pytest
from django.utils import timezone

from awards.models import Category, IndustrialTarget, Project, Verification
from orgs.models import Organization


def entity(name: str) -> Organization:
    return Organization.objects.get(name=name)


class ProjectFactory(factory.django.DjangoModelFactory):
    """A project as 发改委经办 has verified it, its 入统 figure the declared one (``verification=PENDING`` and
    ``in_statistics=None`` for a bare declaration; ``verify_year`` verifies through the services)."""

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
    verification = Verification.VERIFIED
    in_statistics = True
    statistics_investment = factory.LazyAttribute(lambda p: p.actual_investment)


def declared(**kwargs) -> Project:
    """A unit's declaration: 待核实, with no 入统 figure yet."""
    return ProjectFactory(
        verification=Verification.PENDING, in_statistics=None, statistics_investment=None, **kwargs
    )


def verify_year(year: int, *, by=None, statistics: dict | None = None) -> int:
    """What 发改委经办 does before computing: the 入统 figures (``statistics``: project name → figure, ``None``
    for 未入统; by default each declared figure) imported, then every pending project verified — through the
    services, as the pages do, on a day after the year (its facts are past events then)."""

    with mock.patch("django.utils.timezone.localdate", today_at(after_the_year(year))):
        return _verify_year(year, by=by, statistics=statistics)


def _verify_year(year: int, *, by, statistics: dict | None) -> int:
    from awards import services
    from awards.statistics import Plan, Row

    rows = []
    for project in Project.objects.filter(year=year).select_related("entity"):
        figure = (statistics or {}).get(project.name, project.actual_investment)
        rows.append(Row(project, figure is not None, figure if figure is not None else Decimal(0)))
    services.statistics_apply(Plan(year, rows), by=by)
    pending = Project.objects.filter(year=year, verification=Verification.PENDING)
    return services.projects_verify(projects=pending, by=by) if pending.exists() else 0


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
    declared(year=year, entity=entity("宝清县"))
    for name, actual in GROUP2:
        declared(
            year=year,
            entity=entity(name),
            category=Category.CITY,
            planned_investment=Decimal(actual),
            actual_investment=Decimal(actual),
        )
    verify_year(year)
    return services.allocation_compute(year=year, by=by)


def city_approved_year(personas, *, approved_on, document_no="批复"):
    """``workflow_year`` submitted, approved by 发改委 and approved by 市政府 on ``approved_on``: payable."""
    from awards import services

    draft = workflow_year(by=personas.fgw_clerk)
    current = services.allocation_submit(allocation=draft, by=personas.fgw_clerk, version=seen(draft))
    current = services.allocation_approve(allocation=current, by=personas.fgw_approver, version=seen(current))
    return services.allocation_record_city_approval(
        allocation=current,
        by=personas.city_office,
        document_no=document_no,
        document_date=approved_on,
        version=seen(current),
    )


# The suite's award year is 2030: "today" is a Beijing day of the following year, so its 开复工, 竣工 and 入统
# figures are past events (the awards' time rules refuse them for a year still to come). Never the machine's clock.
def after_the_year(year: int) -> datetime:
    return datetime(year + 1, 3, 2, 7, 59, tzinfo=ZoneInfo("Asia/Shanghai"))


AFTER_THE_YEAR = after_the_year(2030)
_real_localdate = timezone.localdate


def today_at(moment: datetime):
    """``timezone.localdate`` with "now" at ``moment`` (an explicit value is converted as usual)."""

    def localdate(value=None, timezone=None):
        return _real_localdate(moment if value is None else value, timezone)

    return localdate


@pytest.fixture
def award_year_past(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", today_at(AFTER_THE_YEAR))
    return AFTER_THE_YEAR


def seen(obj) -> int:
    """The version a page drawn now would carry: of the allocation, or of a line's allocation. For tests about
    something else than a change between the page and the POST (those pass the stale version themselves)."""
    from awards.models import Allocation, AllocationLine

    pk = obj.allocation_id if isinstance(obj, AllocationLine) else obj.pk
    return Allocation.objects.values_list("version", flat=True).get(pk=pk)
