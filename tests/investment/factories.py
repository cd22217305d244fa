"""Factories and small builders for the investment tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory
from django.core.files.base import ContentFile

from investment.models import (
    Evidence,
    IncentiveProposal,
    Project,
    Publication,
    PublicationStatus,
    SelfEvaluation,
    Source,
    TargetSet,
)
from orgs.models import Organization

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def org(name: str) -> Organization:
    return Organization.objects.get(name=name)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    organization = factory.LazyFunction(lambda: org("宝清县"))
    year = 2020
    name = factory.Sequence(lambda n: f"测试项目{n}")
    investor = "某投资公司"
    source = Source.DOMESTIC
    signed_on = date(2020, 3, 1)
    contract_wan = Decimal("10000")
    industry = "绿色食品"
    is_leading = True
    started_on = date(2020, 5, 1)
    received_foreign_musd = Decimal("0")
    received_domestic_wan = Decimal("5000")


def targets_2020() -> TargetSet:
    return TargetSet.objects.get(year=2020, version=1)


def evaluation(organization: Organization, year: int = 2020) -> SelfEvaluation:
    found, _ = SelfEvaluation.objects.get_or_create(
        organization=organization, year=year, defaults={"due_on": date(year, 12, 25)}
    )
    return found


def evidence_for(project: Project, by) -> Evidence:
    item = Evidence(
        organization=project.organization,
        project=project,
        original_name="合同.pdf",
        kind="pdf",
        uploaded_by=by,
    )
    item.file.save("x.pdf", ContentFile(PDF_BYTES), save=False)
    item.save()
    return item


def evaluation_evidence(ev: SelfEvaluation, by) -> Evidence:
    """The one evidence file a self-evaluation needs before it can be submitted (16号 第六条(二))."""
    item = Evidence(
        organization=ev.organization, evaluation=ev, original_name="佐证材料.pdf", kind="pdf", uploaded_by=by
    )
    item.file.save("x.pdf", ContentFile(PDF_BYTES), save=False)
    item.save()
    return item


def published(year: int = 2020) -> Publication:
    pub, _ = Publication.objects.get_or_create(year=year, defaults={"status": PublicationStatus.PUBLISHED})
    return pub


def proposal(by, year: int = 2020) -> IncentiveProposal:
    return IncentiveProposal.objects.create(year=year, pool_wan=Decimal("100"), created_by=by)


def one_unit_reviewed(personas, name: str = "宝清县") -> SelfEvaluation:
    """宝清县's self-evaluation submitted on time and reviewed: a year with a unit to rank, so it may be published
    (a 通报 with no submission at all is refused, investment.rules.publish_problem)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from investment import services

    ev = evaluation(org(name))
    ev.report = "本年度完成情况良好。"
    ev.save()
    evaluation_evidence(ev, personas.reporter)
    ev = services.evaluation_submit(
        evaluation=ev, by=personas.reporter, now=datetime(2020, 12, 20, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    )
    for review in ev.reviews.all():
        services.review_record(review=review, accept=True, by=personas.assessor)
    return services.evaluation_complete_review(evaluation=ev, by=personas.assessor)
