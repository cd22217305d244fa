"""What happens to the money after the allocation: the log of each step, disqualifications and clawbacks
(双政办发〔2020〕14号 六)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from simple_history.models import HistoricalRecords

from orgs.roles import Role
from orgs.validators import LOG_TEXT, LONG_TEXT, validate_business_date

from .allocation import Allocation, AllocationLine, AllocationStatus

CLAWBACK_FIXED = "收回记录登记后，其分配明细、取消资格依据和应收回金额不能修改。"


class AllocationLog(models.Model):
    """One step of an allocation's workflow: who, when, from which status to which, and a note."""

    allocation = models.ForeignKey(Allocation, on_delete=models.PROTECT, related_name="log")
    action = models.CharField("操作", max_length=40)
    from_status = models.CharField("原状态", max_length=20, blank=True)
    to_status = models.CharField("新状态", max_length=20, blank=True)
    note = models.TextField(
        "说明", blank=True, max_length=LOG_TEXT, validators=[MaxLengthValidator(LOG_TEXT)]
    )
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
    description = models.TextField(
        "情况说明", max_length=LONG_TEXT, validators=[MaxLengthValidator(LONG_TEXT)]
    )
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
    recovered_on = models.DateField("收回日期", null=True, blank=True, validators=[validate_business_date])
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

    def clean(self):
        # A clawback stays on the line it was raised for: moved, it would add its amount to another unit's
        # 待拨付 (双政办发〔2020〕14号 六(二)1 收回 is of the money paid to that unit).
        if self.pk is not None:
            stored = Clawback.objects.filter(pk=self.pk).values_list(
                "line_id", "disqualification_id", "amount"
            )
            if stored and stored[0] != (self.line_id, self.disqualification_id, self.amount):
                raise ValidationError(CLAWBACK_FIXED)
