"""A year's computed allocation, its revisions and one line per unit."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone
from simple_history.models import HistoricalRecords

from orgs.models import Organization
from orgs.roles import Role
from orgs.validators import SHORT_TEXT, validate_business_date

from .projects import ZERO, Category


class AllocationStatus(models.TextChoices):
    DRAFT = "draft", "草稿（可重新计算）"
    SUBMITTED = "submitted", "已提交待审批"
    APPROVED = "approved", "发改委已审批"
    CITY_APPROVED = "city_approved", "已批复"
    DISBURSED = "disbursed", "已拨付"


#: 市政府批复 recorded: the revision's amounts are what the money is settled against.
CITY_APPROVED_STATES = (AllocationStatus.CITY_APPROVED, AllocationStatus.DISBURSED)


class AllocationQuerySet(models.QuerySet):
    """Which revision of a year counts, asked in one place (awards spec, "Only the latest revision acts")."""

    def latest_revision(self, year: int):
        """The latest revision of ``year`` among these rows, or ``None`` (chain ``values_list`` or ``only``
        before it to read less)."""
        return self.filter(year=year).order_by("-revision").first()

    def latest_revisions(self):
        """Only the latest revision of each year: every earlier one is read-only (已被第N版取代)."""
        newer = Allocation.objects.filter(year=OuterRef("year"), revision__gt=OuterRef("revision"))
        return self.filter(~Exists(newer))

    def city_approved(self):
        """Revisions whose 市政府批复 is recorded."""
        return self.filter(status__in=CITY_APPROVED_STATES)

    def approved_revision(self, year: int):
        """The latest revision of ``year`` approved by 市政府: its amounts are what each unit is owed."""
        return self.city_approved().latest_revision(year)


class Allocation(models.Model):
    """A year's computed allocation. Each correction after approval is a new ``revision``."""

    year = models.PositiveIntegerField("年度", db_index=True)
    revision = models.PositiveIntegerField("修订版本", default=1)
    # Changed only by orgs.workflow.transition, through the steps declared in awards/workflow.py.
    status = models.CharField(
        "状态", max_length=20, choices=AllocationStatus.choices, default=AllocationStatus.DRAFT
    )
    rate = models.DecimalField("第一组每分奖励（万元）", max_digits=10, decimal_places=4)
    parameters = models.JSONField("方案参数快照", default=dict)
    warnings = models.JSONField("提示", default=list, blank=True)
    reason = models.TextField(
        "修订原因", blank=True, max_length=SHORT_TEXT, validators=[MaxLengthValidator(SHORT_TEXT)]
    )
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
    city_document_date = models.DateField(
        "市政府批复日期", null=True, blank=True, validators=[validate_business_date]
    )
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

    objects = AllocationQuerySet.as_manager()

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

    def clean(self):
        super().clean()
        problem = city_approval_date_problem(self.city_document_date, self.approved_at)
        if problem:
            raise ValidationError({"city_document_date": problem})

    @property
    def waiting_for(self) -> str:
        """Whose turn it is on a pending allocation (empty once disbursed), from the workflow's declaration."""
        from ..workflow import ALLOCATION  # the declaration imports these models

        return ALLOCATION.waiting_for(self.status)


CITY_APPROVAL_BEFORE_APPROVAL = (
    "批复日期不能早于发改委审批通过本版分配的日期（{approved:%Y-%m-%d}）：市政府批复的是已审批的分配。"
)
CITY_APPROVAL_IN_THE_FUTURE = "批复日期不能晚于今天（{today:%Y-%m-%d}）：登记的是已作出的批复。"


def city_approval_date_problem(document_date, approved_at, today=None) -> str:
    """Why ``document_date`` cannot be the 市政府批复日期 of a revision 发改委 approved at ``approved_at``, or "".

    双政办发〔2020〕14号 六: 发改委 drafts and approves the allocation, then 报市政府批准 — the 批复 answers that
    approval, so it is never dated before it (a Beijing day, ``timezone.localdate``), nor after ``today``
    (Beijing's today unless the caller passes its own).
    """
    if document_date is None:
        return ""
    try:
        validate_business_date(document_date)
    except ValidationError as error:
        return error.messages[0]
    if approved_at is not None:
        approved_on = timezone.localdate(approved_at)
        if document_date < approved_on:
            return CITY_APPROVAL_BEFORE_APPROVAL.format(approved=approved_on)
    today = today or timezone.localdate()
    if document_date > today:
        return CITY_APPROVAL_IN_THE_FUTURE.format(today=today)
    return ""


PAID_BEFORE_APPROVAL = "拨付日期不能早于本修订版的市政府批复日期（{approved:%Y-%m-%d}）。"
PAID_IN_THE_FUTURE = "拨付日期不能晚于今天（{today:%Y-%m-%d}）。"


def payment_date_problem(paid_on, approved_on, today=None) -> str:
    """Why ``paid_on`` cannot be a payment date of a revision approved (批复) on ``approved_on``, or "".

    Money leaves only after 市政府 approved the revision it pays, and a payment is recorded once made: never
    dated before the 批复 nor after ``today`` (Beijing's day, ``timezone.localdate``, unless passed).
    """
    if paid_on is None:
        return ""
    try:
        validate_business_date(paid_on)
    except ValidationError as error:
        return error.messages[0]
    if approved_on is not None and paid_on < approved_on:
        return PAID_BEFORE_APPROVAL.format(approved=approved_on)
    today = today or timezone.localdate()
    if paid_on > today:
        return PAID_IN_THE_FUTURE.format(today=today)
    return ""


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
    adjustment_reason = models.TextField(
        "调整理由", blank=True, max_length=SHORT_TEXT, validators=[MaxLengthValidator(SHORT_TEXT)]
    )
    disqualified = models.BooleanField("取消奖励资格", default=False)
    directory_order = models.PositiveIntegerField("排序", default=0)
    disbursed_on = models.DateField("拨付日期", null=True, blank=True, validators=[validate_business_date])
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

    def clean(self):
        super().clean()
        if self.disbursed_on is not None and self.allocation_id is not None:
            problem = payment_date_problem(self.disbursed_on, self.allocation.city_document_date)
            if problem:
                raise ValidationError({"disbursed_on": problem})

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
