"""Factories for the chiefservice tests (the organizations come from the gazette fixture)."""

from datetime import date

import factory

from chiefservice import rules, services
from chiefservice.models import (
    Assignment,
    LedgerEntry,
    Meeting,
    NewsArticle,
    Officer,
    SatisfactionSurvey,
    ServedSubject,
)
from orgs.models import Organization


def org(name: str) -> Organization:
    return Organization.objects.get(name=name)


def credit_code(n: int) -> str:
    """A valid 统一社会信用代码 numbered ``n``: 9 工商 · 1 企业, 230500 双鸭山市, a 组织机构代码 with its GB 11714
    check character, then the GB 32100 check character."""
    organization = f"{n:08d}"
    first17 = f"91230500{organization}{rules.organization_code_check_character(organization)}"
    return first17 + rules.credit_code_check_character(first17)


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer

    name = factory.Sequence(lambda n: f"服务员{n}")
    unit = factory.LazyFunction(lambda: org("宝清县"))
    role = rules.LIAISON
    rank = "section"
    phone = factory.Sequence(lambda n: f"1390469{n:04d}")


class SubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServedSubject

    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    kind = "enterprise"
    credit_code = factory.Sequence(lambda n: credit_code(n + 1))
    district = factory.LazyFunction(lambda: org("宝清县"))
    registered_by = factory.LazyFunction(lambda: org("宝清县"))


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    officer = factory.SubFactory(OfficerFactory)
    subject = factory.SubFactory(SubjectFactory)
    mode = rules.ONE_TO_MANY
    start_on = date(2020, 8, 1)

    @factory.post_generation
    def coverage(obj, create, extracted, **kwargs):
        # Rows made here skip the services, which keep the subject's derived coverage flag.
        if create:
            services.coverage_refresh([obj.subject_id])


class LedgerEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LedgerEntry

    officer = factory.SubFactory(OfficerFactory)
    subject = factory.SubFactory(SubjectFactory)
    received_on = date(2020, 8, 10)
    kind = "difficulty"
    description = factory.Sequence(lambda n: f"企业反映的困难问题{n}")
    first_receiving_unit = factory.SelfAttribute("officer.unit")
    due_on = factory.LazyAttribute(lambda o: o.received_on.replace(day=28))
    created_by = None


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    kind = "regular"
    held_on = date(2020, 8, 20)
    title = factory.Sequence(lambda n: f"首席服务员例会{n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsArticle

    officer = factory.SubFactory(OfficerFactory)
    year = 2020
    quarter = 3
    title = factory.Sequence(lambda n: f"稿件{n}")
    submitted_on = date(2020, 9, 1)


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SatisfactionSurvey

    officer = factory.SubFactory(OfficerFactory)
    subject = factory.SubFactory(SubjectFactory)
    surveyed_on = date(2020, 9, 1)
    method = "questionnaire"
    answer = rules.SATISFIED
