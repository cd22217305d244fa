"""百大项目建设奖励: projects, industrial targets, a year's scheme parameters and its computed allocation.

双政办发〔2020〕14号 (the standing rules) and 15号 (the 2019 scheme, whose values are the defaults here).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django_fsm import FSMField
from simple_history.models import HistoricalRecords

from orgs.models import Organization
from orgs.roles import Role

ZERO = Decimal("0")


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

    def clean(self):
        from django.core.exceptions import ValidationError

        from .rules import (
            COMPLETED_NOT_STARTED,
            INDUSTRIAL_MINIMUM,
            INVESTMENT_NOT_STARTED,
            counts_as_industrial,
        )

        errors = {}
        if self.category == Category.IND and not counts_as_industrial(self.total_investment):
            errors["total_investment"] = INDUSTRIAL_MINIMUM
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


class AllocationStatus(models.TextChoices):
    DRAFT = "draft", "草稿（可重新计算）"
    SUBMITTED = "submitted", "已提交待审批"
    APPROVED = "approved", "发改委已审批"
    CITY_APPROVED = "city_approved", "已批复"
    DISBURSED = "disbursed", "已拨付"


class Allocation(models.Model):
    """A year's computed allocation. Each correction after approval is a new ``revision``."""

    year = models.PositiveIntegerField("年度", db_index=True)
    revision = models.PositiveIntegerField("修订版本", default=1)
    status = FSMField("状态", max_length=20, choices=AllocationStatus.choices, default=AllocationStatus.DRAFT)
    rate = models.DecimalField("第一组每分奖励（万元）", max_digits=10, decimal_places=4)
    parameters = models.JSONField("方案参数快照", default=dict)
    warnings = models.JSONField("提示", default=list, blank=True)
    reason = models.TextField("修订原因", blank=True)
    source = models.CharField("来源", max_length=100, blank=True)
    computed_at = models.DateTimeField("计算时间", auto_now=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="计算人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    version = models.PositiveIntegerField("数据版本", default=0)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField("审批时间", null=True, blank=True)
    city_document_no = models.CharField("市政府批复文号", max_length=100, blank=True)
    city_document_date = models.DateField("市政府批复日期", null=True, blank=True)
    city_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="批复登记人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    city_recorded_at = models.DateTimeField("批复登记时间", null=True, blank=True)
    inputs_fingerprint = models.CharField(
        "输入数据指纹",
        max_length=64,
        blank=True,
        help_text="计算时该年度项目、产业项目目标和方案参数的摘要；数据变更后须重新计算才能报批",
    )
    inputs_at = models.DateTimeField("计算所依据数据的时间", null=True, blank=True)
    history = HistoricalRecords()

    scope_readers = frozenset({Role.FGW_CLERK, Role.FGW_APPROVER, Role.CITY_OFFICE, Role.FINANCE})

    class Meta:
        verbose_name = "奖励资金分配"
        verbose_name_plural = "奖励资金分配"
        ordering = ["-year", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["year", "revision"], name="award_allocation_unique_revision")
        ]

    def __str__(self) -> str:
        return f"{self.year}年奖励资金分配（第{self.revision}版）"

    @property
    def waiting_for(self) -> str:
        """Whose turn it is on a pending allocation (empty once disbursed), from the workflow's declaration."""
        from .workflow import ALLOCATION  # the declaration imports these models

        return ALLOCATION.waiting_for(self.status)


class AllocationLine(models.Model):
    """One entity's result: indicators with derivations (``details``), scores, rank, tier and amount."""

    allocation = models.ForeignKey(Allocation, on_delete=models.CASCADE, related_name="lines")
    entity = models.ForeignKey(
        Organization, verbose_name="责任主体", on_delete=models.PROTECT, related_name="+"
    )
    group = models.PositiveSmallIntegerField("分组", choices=[(1, "第一组"), (2, "第二组")])
    details = models.JSONField("评分明细", default=dict)
    score_prov = models.DecimalField("省级百大项目得分", max_digits=8, decimal_places=2, default=ZERO)
    score_city = models.DecimalField("市级百大项目得分", max_digits=8, decimal_places=2, default=ZERO)
    score_ind = models.DecimalField("产业项目得分", max_digits=8, decimal_places=2, default=ZERO)
    bonus_major = models.DecimalField("特别重大项目加分", max_digits=8, decimal_places=2, default=ZERO)
    bonus_single = models.DecimalField("单体省级百大项目加分", max_digits=8, decimal_places=2, default=ZERO)
    raw_score = models.DecimalField("考核得分", max_digits=8, decimal_places=2, default=ZERO)
    converted_score = models.IntegerField("折算后得分", default=0)
    rank = models.PositiveIntegerField("名次", null=True, blank=True)
    tier = models.CharField("奖项", max_length=20, blank=True)
    computed_amount = models.IntegerField("计算金额（万元）", default=0)
    final_amount = models.IntegerField("分配金额（万元）", default=0)
    adjustment_reason = models.TextField("调整理由", blank=True)
    disqualified = models.BooleanField("取消奖励资格", default=False)
    directory_order = models.PositiveIntegerField("排序", default=0)
    disbursed_on = models.DateField("拨付日期", null=True, blank=True)
    voucher_no = models.CharField("拨付凭证号", max_length=100, blank=True)
    disbursed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="拨付登记人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    disbursed_at = models.DateTimeField("拨付登记时间", null=True, blank=True)
    disbursed_amount = models.IntegerField(
        "本版拨付金额（万元）",
        default=0,
        help_text="本修订版本实际拨付的金额：首次拨付为全额，修订后为补拨的差额",
    )
    history = HistoricalRecords()

    scope_readers = frozenset({Role.FGW_CLERK, Role.FGW_APPROVER, Role.CITY_OFFICE, Role.FINANCE})

    class Meta:
        verbose_name = "奖励资金分配明细"
        verbose_name_plural = "奖励资金分配明细"
        ordering = ["group", "directory_order"]
        constraints = [
            models.UniqueConstraint(fields=["allocation", "entity"], name="award_line_unique_entity")
        ]

    def __str__(self) -> str:
        return f"{self.allocation} {self.entity}"

    def category_details(self) -> list[tuple[str, dict]]:
        """The per-category derivations in the gazette's order (省级, 市级, 产业).

        PostgreSQL's jsonb does not keep the order of keys, so never iterate ``details["categories"]`` itself.
        """
        categories = (self.details or {}).get("categories") or {}
        return [(code, categories[code]) for code in Category.values if code in categories]

    @property
    def approved_amount(self) -> int:
        """What this line gives its unit: 0 once the unit is disqualified (取消奖励资格)."""
        return 0 if self.disqualified else self.final_amount

    @property
    def adjusted(self) -> bool:
        return self.final_amount != self.computed_amount

    @property
    def disbursed(self) -> bool:
        return self.disbursed_on is not None


# --- workflow, disbursement, disqualification and clawback (双政办发〔2020〕14号 六) -------------


class AllocationLog(models.Model):
    """One step of an allocation's workflow: who, when, from which status to which, and a note."""

    allocation = models.ForeignKey(Allocation, on_delete=models.PROTECT, related_name="log")
    action = models.CharField("操作", max_length=40)
    from_status = models.CharField("原状态", max_length=20, blank=True)
    to_status = models.CharField("新状态", max_length=20, blank=True)
    note = models.TextField("说明", blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    scope_readers = frozenset({Role.FGW_CLERK, Role.FGW_APPROVER, Role.CITY_OFFICE, Role.FINANCE})

    class Meta:
        verbose_name = "奖励资金分配流程记录"
        verbose_name_plural = "奖励资金分配流程记录"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.allocation} {self.action}"

    def status_label(self, value: str) -> str:
        return AllocationStatus(value).label if value in AllocationStatus.values else value

    @property
    def from_label(self) -> str:
        return self.status_label(self.from_status)

    @property
    def to_label(self) -> str:
        return self.status_label(self.to_status)


class Ground(models.TextChoices):
    """双政办发〔2020〕14号 六(二)1 / 15号 六(二)1: the three grounds for 取消奖励资格."""

    ACCIDENT = "accident", "发生较大以上安全、质量或环境事故"
    AUDIT = "audit", "国家或省、市有关部门审计、专项检查发现重大问题或其他违法行为"
    FRAUD = "fraud", "数据弄虚作假，骗取、截留、挪用奖励资金等违规行为"


class Disqualification(models.Model):
    """取消奖励资格 of one entity in one allocation revision (cannot be deleted)."""

    line = models.OneToOneField(AllocationLine, on_delete=models.PROTECT, related_name="disqualification")
    ground = models.CharField("取消依据", max_length=20, choices=Ground.choices)
    description = models.TextField("情况说明")
    document = models.FileField("相关文件", upload_to="awards_documents/%Y/", max_length=300)
    document_name = models.CharField("文件名", max_length=200, blank=True)
    after_approval = models.BooleanField("审批后取消", default=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("登记时间", auto_now_add=True)
    history = HistoricalRecords()

    scope_readers = frozenset({Role.FGW_CLERK, Role.FGW_APPROVER, Role.CITY_OFFICE, Role.FINANCE})

    class Meta:
        verbose_name = "取消奖励资格"
        verbose_name_plural = "取消奖励资格"
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.line.entity} {self.get_ground_display()}"


class ClawbackStatus(models.TextChoices):
    PENDING = "pending", "待收回"
    RECOVERED = "recovered", "已收回"
    CANCELLED = "cancelled", "已撤销（后续批复不再收回）"


class Clawback(models.Model):
    """收回: money paid to a unit beyond what 市政府 approved for it, tracked by 市财政局 until recovered.

    Raised when a unit already paid is disqualified (取消奖励资格), or when a later revision approved by 市政府
    gives it less than it has been paid (双政办发〔2020〕14号 六(二)1 "按相关规定收回奖励资金").
    """

    line = models.ForeignKey(
        AllocationLine, verbose_name="分配明细", on_delete=models.PROTECT, related_name="clawbacks"
    )
    disqualification = models.OneToOneField(
        Disqualification, on_delete=models.PROTECT, related_name="clawback", null=True, blank=True
    )
    reason = models.CharField("收回原因", max_length=200, blank=True)
    amount = models.IntegerField("应收回金额（万元）")
    status = models.CharField(
        "状态", max_length=20, choices=ClawbackStatus.choices, default=ClawbackStatus.PENDING, db_index=True
    )
    recovered_on = models.DateField("收回日期", null=True, blank=True)
    voucher_no = models.CharField("收回凭证号", max_length=100, blank=True)
    recovered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("发起时间", auto_now_add=True, db_index=True)
    history = HistoricalRecords()

    scope_readers = frozenset({Role.FGW_CLERK, Role.FGW_APPROVER, Role.FINANCE})

    class Meta:
        verbose_name = "奖励资金收回"
        verbose_name_plural = "奖励资金收回"
        ordering = ["status", "-created_at"]

    def __str__(self) -> str:
        return f"收回 {self.line.entity} {self.amount} 万元"
