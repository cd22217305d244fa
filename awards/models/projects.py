"""A year's projects and industrial targets, entered by the units, and the scheme parameters 发改委 sets."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from orgs.models import Organization
from orgs.roles import Role

ZERO = Decimal("0")


class Verification(models.TextChoices):
    """Awards spec, "verified facts": a unit's entry is a declaration until 发改委经办 verifies it."""

    PENDING = "PENDING", "待核实"
    VERIFIED = "VERIFIED", "已核实"


#: the declared facts 发改委经办 verifies; a change to any of them sends a verified project back to 待核实
DECLARED_FIELDS = (
    "year",
    "name",
    "category",
    "entity_id",
    "single",
    "planned_investment",
    "actual_investment",
    "started",
    "completed",
    "total_investment",
)


class Category(models.TextChoices):
    PROV = "PROV", "省级百大项目"
    CITY = "CITY", "市级百大项目"
    IND = "IND", "产业项目"


def default_tiers() -> list[dict]:
    """双政办发〔2020〕15号 五(二): 一等奖 3 名 20 万元, 二等奖 5 名 10 万元, 三等奖 7 名 5 万元."""
    return [
        {"name": "一等奖", "places": 3, "amount": 20},
        {"name": "二等奖", "places": 5, "amount": 10},
        {"name": "三等奖", "places": 7, "amount": 5},
    ]


def _dec(label: str, default: str, places: int = 4, digits: int = 14):
    return models.DecimalField(
        label,
        max_digits=digits,
        decimal_places=places,
        default=Decimal(default),
        validators=[MinValueValidator(ZERO)],
    )


class SchemeParameters(models.Model):
    """One year's scheme: every coefficient and cap of 双政办发〔2020〕15号 四, editable until approval."""

    year = models.PositiveIntegerField("年度", unique=True)

    # 省级百大项目 (15号 四(二)1 省级)
    prov_start_points = _dec("省级：每开复工1个得分", "1.5")
    prov_start_cap = _dec("省级：开复工得分上限", "15")
    prov_done_points = _dec("省级：每竣工1个得分", "1.5")
    prov_done_cap = _dec("省级：竣工得分上限", "5")
    prov_count_cap = _dec("省级：个数得分上限", "20")
    prov_rate_cap = _dec("省级：开复工率得分上限", "10")
    prov_invest_unit = _dec("省级：投资额计分单位（万元）", "10000")
    prov_invest_points = _dec("省级：每单位投资得分", "3")
    prov_invest_cap = _dec("省级：投资额得分上限", "60")
    prov_completion_cap = _dec("省级：投资完成率得分上限", "10")
    prov_weight = _dec("省级：折算权重", "0.5")
    # 市级百大项目
    city_start_points = _dec("市级：每开复工1个得分", "1")
    city_start_cap = _dec("市级：开复工得分上限", "15")
    city_done_points = _dec("市级：每竣工1个得分", "1")
    city_done_cap = _dec("市级：竣工得分上限", "5")
    city_count_cap = _dec("市级：个数得分上限", "20")
    city_rate_cap = _dec("市级：开复工率得分上限", "10")
    city_invest_unit = _dec("市级：投资额计分单位（万元）", "1000")
    city_invest_points = _dec("市级：每单位投资得分", "1.5")
    city_invest_cap = _dec("市级：投资额得分上限", "60")
    city_completion_cap = _dec("市级：投资完成率得分上限", "10")
    city_weight = _dec("市级：折算权重", "0.3")
    # 投资500万元以上产业项目
    ind_start_points = _dec("产业：每开复工1个得分", "0.6")
    ind_start_cap = _dec("产业：开复工得分上限", "15")
    ind_done_points = _dec("产业：每竣工1个得分", "0.5")
    ind_done_cap = _dec("产业：竣工得分上限", "5")
    ind_count_cap = _dec("产业：个数得分上限", "20")
    ind_rate_cap = _dec("产业：开复工率得分上限", "10")
    ind_invest_unit = _dec("产业：投资额计分单位（万元）", "10000")
    ind_invest_points = _dec("产业：每单位投资得分", "3")
    ind_invest_cap = _dec("产业：投资额得分上限", "60")
    ind_completion_cap = _dec("产业：投资完成率得分上限", "10")
    ind_weight = _dec("产业：折算权重", "0.2")
    # 加分项 (15号 四(二)2、3)
    major_threshold = _dec("特别重大项目：年度完成投资门槛（万元）", "50000")
    major_points = _dec("特别重大项目：每个加分", "7.5")
    major_cap = _dec("特别重大项目：加分上限", "15")
    single_points = _dec("单体省级百大项目：每个加分", "2.5")
    single_cap = _dec("单体省级百大项目：加分上限", "5")
    # 奖励资金 (15号 五)
    rate = _dec("第一组：每分奖励（万元）", "4.56")
    provincial_total = models.DecimalField(
        "省总奖励金额（万元）",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
        help_text="填写后显示“奖励池 ÷ 第一组折算后得分合计”作为每分金额的参考",
    )
    pool_share = _dec("第一组奖励池占省总奖励比例", "0.60")
    tiers = models.JSONField("第二组奖项（名称、名额、金额）", default=default_tiers)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords()

    scope_readers = frozenset({Role.FGW_CLERK, Role.FGW_APPROVER, Role.CITY_OFFICE, Role.FINANCE})

    class Meta:
        verbose_name = "年度奖励方案参数"
        verbose_name_plural = "年度奖励方案参数"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年奖励方案参数"


class Project(models.Model):
    """A project of the year's plan, entered by its responsible entity's 填报员."""

    year = models.PositiveIntegerField("年度", db_index=True)
    name = models.CharField("项目名称", max_length=200)
    category = models.CharField("项目类别", max_length=4, choices=Category.choices, db_index=True)
    entity = models.ForeignKey(
        Organization,
        verbose_name="责任主体",
        on_delete=models.PROTECT,
        related_name="award_projects",
        limit_choices_to={"award_group__isnull": False},
    )
    single = models.BooleanField("是否单体", default=False)
    planned_investment = models.DecimalField(
        "年度计划投资（万元）", max_digits=14, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )
    actual_investment = models.DecimalField(
        "年度完成投资（万元）",
        max_digits=14,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO)],
        help_text="入统的年度实际完成投资",
    )
    started = models.BooleanField("是否开复工", default=False, db_index=True)
    completed = models.BooleanField("是否竣工", default=False)
    total_investment = models.DecimalField(
        "计划总投资（万元）",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
        help_text="投资500万元以上产业项目必填：500万元以上（含500万元）的产业项目才计入考核",
    )
    verification = models.CharField(
        "核实状态", max_length=8, choices=Verification.choices, default=Verification.PENDING, db_index=True
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="核实人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verified_at = models.DateTimeField("核实时间", null=True, blank=True)
    # 市统计局 入统项目清单 (14号 二(二) "当年投资入统计库"): None until the year's workbook is imported
    in_statistics = models.BooleanField("是否入统（市统计局）", null=True, blank=True)
    statistics_investment = models.DecimalField(
        "入统年度完成投资（万元）",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO)],
        help_text="市统计局入统项目清单中的年度完成投资；计分采用此数",
    )
    statistics_at = models.DateTimeField("入统数据导入时间", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords()

    scope_organization_lookup = "entity"
    scope_readers = frozenset({Role.FGW_CLERK, Role.FGW_APPROVER})

    class Meta:
        verbose_name = "百大项目"
        verbose_name_plural = "百大项目"
        ordering = ["year", "entity__directory_order", "category", "name"]
        constraints = [
            models.UniqueConstraint(fields=["year", "name", "entity"], name="award_project_unique_per_year")
        ]
        indexes = [
            models.Index(fields=["year", "entity", "category"]),
            models.Index(fields=["year", "category", "name"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.verification == Verification.VERIFIED

    @property
    def scored_investment(self) -> Decimal:
        """The 年度完成投资 the scoring reads: the statistics bureau's figure (0 when not 入统)."""
        from ..rules import facts

        return facts.scored_investment(self.in_statistics, self.statistics_investment)

    @property
    def differs_from_statistics(self) -> bool:
        """The declared 年度完成投资 is not the scored statistics figure (shown with both figures)."""
        return self.in_statistics is not None and self.actual_investment != self.scored_investment

    def clean(self):
        from django.core.exceptions import ValidationError

        from ..rules import (
            COMPLETED_NOT_STARTED,
            INDUSTRIAL_MINIMUM,
            INDUSTRIAL_TOTAL_REQUIRED,
            INVESTMENT_NOT_STARTED,
            counts_as_industrial,
            facts,
        )

        today = timezone.localdate()
        errors = {}
        if self.category == Category.IND and self.total_investment is None:
            errors["total_investment"] = INDUSTRIAL_TOTAL_REQUIRED
        elif self.category == Category.IND and not counts_as_industrial(self.total_investment):
            errors["total_investment"] = INDUSTRIAL_MINIMUM
        errors.update(
            facts.future_facts(
                self.year,
                started=self.started,
                completed=self.completed,
                actual=self.actual_investment,
                today=today,
            )
        )
        if self.verified_at is not None and timezone.localdate(self.verified_at) > today:
            errors["verified_at"] = facts.FUTURE_VERIFICATION.format(today=today)
        if self.completed and not self.started:
            errors["completed"] = COMPLETED_NOT_STARTED
        if (self.actual_investment or ZERO) > 0 and not self.started:
            errors["actual_investment"] = INVESTMENT_NOT_STARTED
        if errors:
            raise ValidationError(errors)


class IndustrialTarget(models.Model):
    """Per entity and year: 开复工任务目标个数 and 计划完成投资任务目标额 of its 产业项目."""

    year = models.PositiveIntegerField("年度", db_index=True)
    entity = models.ForeignKey(
        Organization,
        verbose_name="责任主体",
        on_delete=models.PROTECT,
        related_name="award_targets",
        limit_choices_to={"award_group__isnull": False},
    )
    target_count = models.PositiveIntegerField("开复工任务目标个数")
    target_amount = models.DecimalField(
        "计划完成投资任务目标额（万元）",
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(ZERO)],
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords()

    scope_organization_lookup = "entity"
    scope_readers = frozenset({Role.FGW_CLERK, Role.FGW_APPROVER})

    class Meta:
        verbose_name = "产业项目目标"
        verbose_name_plural = "产业项目目标"
        ordering = ["year", "entity__directory_order"]
        constraints = [
            models.UniqueConstraint(fields=["year", "entity"], name="award_target_unique_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.entity}"
