"""The service ledger (第十五条–第十八条) and the monthly reports (第二十一条)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from orgs.models import Organization
from orgs.validators import LOG_TEXT, LONG_TEXT, SHORT_TEXT, validate_business_date

from .. import rules
from .roster import BUSINESS_OFFICE_READERS, Officer, ServedSubject

DUE_BEFORE_RECEIVED = "办理期限不能早于受理日期。"
CLOSED_BEFORE_RECEIVED = "销号日期不能早于受理日期。"


def report_due_day() -> int:
    """第二十一条: the day of the next month by which a month's ledger is due (settings, 5 by default)."""
    return int(getattr(settings, "CHIEFSERVICE_REPORT_DUE_DAY", rules.REPORT_DUE_DAY))


def report_due_on(year: int, month: int) -> date:
    return rules.monthly_report_due_on(year, month, report_due_day())


class LedgerKind(models.TextChoices):
    DIFFICULTY = "difficulty", "困难问题"
    DEMAND = "demand", "合理诉求"
    CASE = "case", "典型事例"
    EXPERIENCE = "experience", "工作经验"


class LedgerStatus(models.TextChoices):
    OPEN = "open", "待办理"
    IN_PROGRESS = "in_progress", "办理中"
    ESCALATED = "escalated", "已提交会商"
    RESOLVED = "resolved", "已销号"


class Satisfaction(models.TextChoices):
    SATISFIED = rules.SATISFIED, "满意"
    BASICALLY = rules.BASICALLY, "基本满意"
    DISSATISFIED = rules.DISSATISFIED, "不满意"


class LedgerEntry(models.Model):
    """综合服务工作台账 (第十八条, 附件3): one request or record per officer and subject."""

    officer = models.ForeignKey(
        Officer, verbose_name="服务员", on_delete=models.PROTECT, related_name="ledger"
    )
    subject = models.ForeignKey(
        ServedSubject, verbose_name="服务对象", on_delete=models.PROTECT, related_name="+"
    )
    received_on = models.DateField("受理日期", db_index=True, validators=[validate_business_date])
    kind = models.CharField("类别", max_length=20, choices=LedgerKind.choices)
    description = models.TextField("内容", max_length=LONG_TEXT, validators=[MaxLengthValidator(LONG_TEXT)])
    within_own_duty = models.BooleanField("属本部门职责", default=True)
    first_receiving_unit = models.ForeignKey(
        Organization, verbose_name="首受单位", on_delete=models.PROTECT, related_name="+"
    )
    co_units = models.ManyToManyField(
        Organization, verbose_name="转办/协办单位", blank=True, related_name="+"
    )
    status = models.CharField(
        "状态", max_length=20, choices=LedgerStatus.choices, default=LedgerStatus.OPEN, editable=False
    )
    due_on = models.DateField("办理期限", db_index=True, validators=[validate_business_date])
    resolution = models.TextField(
        "办理结果", blank=True, max_length=LONG_TEXT, validators=[MaxLengthValidator(LONG_TEXT)]
    )
    closed_on = models.DateField(
        "销号日期", null=True, blank=True, db_index=True, validators=[validate_business_date]
    )
    satisfaction = models.CharField("企业满意度", max_length=20, choices=Satisfaction.choices, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    # Routing to co-units is part of the record (第十五条 首受责任制), so its changes are history too.
    history = HistoricalRecords(m2m_fields=[co_units])

    scope_readers = BUSINESS_OFFICE_READERS

    class Meta:
        verbose_name = "服务台账"
        verbose_name_plural = "服务台账"
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["closed_on", "due_on"]),
            models.Index(fields=["status", "received_on"]),
            # 销号清零 lists and 待办: open entries by deadline, without walking the closed millions.
            models.Index(
                fields=["due_on", "id"], condition=Q(closed_on__isnull=True), name="chiefservice_ledger_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject.name}：{self.description[:20]}"

    def clean(self) -> None:
        """Events in order: received and closed by today, closed after receipt, after a 会商 after its decision."""
        super().clean()
        errors = {}
        today = timezone.localdate()
        for name in ("received_on", "closed_on"):
            value = getattr(self, name)
            if value and value > today:
                label = self._meta.get_field(name).verbose_name
                errors[name] = rules.DATE_IN_THE_FUTURE.format(label=label, today=today)
        if self.received_on and self.due_on and self.due_on < self.received_on:
            errors["due_on"] = DUE_BEFORE_RECEIVED
        if self.received_on and self.closed_on and self.closed_on < self.received_on:
            errors["closed_on"] = CLOSED_BEFORE_RECEIVED
        if self.closed_on and "closed_on" not in errors:
            error = self._after_decision_error()
            if error:
                errors["closed_on"] = error
        if errors:
            raise ValidationError(errors)

    def _after_decision_error(self) -> str:
        """第十七条: an entry that went to a 会商 meeting is closed on its decision, not before it."""
        went_to_meeting = self.status == LedgerStatus.ESCALATED or (
            self.pk is not None and self.agenda.exists()
        )
        if not went_to_meeting:
            return ""
        decided = (
            self.agenda.filter(decided_at__isnull=False)
            .order_by("-decided_at")
            .values_list("decided_at", flat=True)
            if self.pk is not None
            else []
        )
        latest = next(iter(decided), None)
        if latest is None:
            return rules.CLOSE_NEEDS_DECISION
        decided_on = timezone.localdate(latest)
        if self.closed_on < decided_on:
            return rules.CLOSE_BEFORE_DECISION.format(decided_on=decided_on)
        return ""

    @classmethod
    def scope_filter(cls, user, organization) -> Q:
        """The officer's unit, and the units a request was routed to (转办/协办, 第十六条), which follow it up."""
        routed = cls.co_units.through.objects.filter(organization=organization).values("ledgerentry_id")
        officers = Officer.objects.filter(unit=organization).values("pk")
        return Q(officer__any=officers) | Q(pk__any=routed)  # both by index: see ServedSubject

    @property
    def waiting_for(self) -> str:
        """Whose turn it is (the officer in person before a 会商 meeting), from the workflow's declaration."""
        from chiefservice.workflow import LEDGER  # the declaration imports these models

        text = LEDGER.waiting_for(self.status)
        return text.format(officer=f"{self.officer.unit.name} {self.officer.name}") if text else ""


class LedgerLog(models.Model):
    entry = models.ForeignKey(LedgerEntry, on_delete=models.CASCADE, related_name="logs")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT)
    at = models.DateTimeField("时间", auto_now_add=True)
    from_status = models.CharField("原状态", max_length=20, choices=LedgerStatus.choices)
    to_status = models.CharField("新状态", max_length=20, choices=LedgerStatus.choices)
    note = models.TextField(
        "说明", blank=True, max_length=LOG_TEXT, validators=[MaxLengthValidator(LOG_TEXT)]
    )

    class Meta:
        verbose_name = "台账状态记录"
        verbose_name_plural = "台账状态记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class MonthlyReport(models.Model):
    """第二十一条: a unit's month of ledger, generated then submitted to 营商办; contents derive from dates."""

    unit = models.ForeignKey(
        Organization, verbose_name="派出单位", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年")
    month = models.PositiveSmallIntegerField("月", validators=[MinValueValidator(1), MaxValueValidator(12)])
    due_on = models.DateField("报送期限", db_index=True, validators=[validate_business_date])
    generated_at = models.DateTimeField("生成时间", auto_now_add=True)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True, db_index=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报送人", on_delete=models.PROTECT, null=True, blank=True
    )
    # Figures frozen at submission (the live figures keep deriving from the ledger's dates).
    carried_over = models.PositiveIntegerField("上月结转", default=0)
    new = models.PositiveIntegerField("本月新增", default=0)
    closed = models.PositiveIntegerField("本月销号", default=0)
    open_at_end = models.PositiveIntegerField("月末未销号", default=0)
    history = HistoricalRecords()

    scope_organization_lookup = "unit"
    scope_readers = BUSINESS_OFFICE_READERS

    class Meta:
        verbose_name = "月度台账报送"
        verbose_name_plural = "月度台账报送"
        ordering = ["-year", "-month", "unit__directory_order"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "month"], name="chiefservice_one_report")
        ]

    def __str__(self) -> str:
        return f"{self.unit.name} {self.year}年{self.month}月台账"

    def clean(self) -> None:
        """A month's report shows the ledger at the month's end: submitted from the month's last day."""
        super().clean()
        if self.submitted_at is None or not (self.year and self.month):
            return
        first = rules.monthly_report_submittable_from(self.year, self.month)
        if timezone.localdate(self.submitted_at) < first:
            raise ValidationError(
                rules.REPORT_BEFORE_MONTH_END.format(year=self.year, month=self.month, first=first)
            )


class MonthlyReportRow(models.Model):
    """One ledger entry as a submitted report showed it: the month's end, written once at submission."""

    report = models.ForeignKey(
        MonthlyReport, verbose_name="月度台账", on_delete=models.CASCADE, related_name="rows"
    )
    entry = models.ForeignKey(
        LedgerEntry, verbose_name="台账事项", on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveIntegerField("序号")
    received_on = models.DateField("受理日期", validators=[validate_business_date])
    officer = models.CharField("服务员", max_length=40)
    officer_role = models.CharField("职责", max_length=10)
    subject = models.CharField("服务对象", max_length=120)
    kind = models.CharField("类别", max_length=20)
    description = models.TextField("内容", max_length=LONG_TEXT, validators=[MaxLengthValidator(LONG_TEXT)])
    first_receiving_unit = models.CharField("首受单位", max_length=200)
    co_units = models.TextField(
        "转办/协办单位", blank=True, max_length=SHORT_TEXT, validators=[MaxLengthValidator(SHORT_TEXT)]
    )
    status = models.CharField("月末状态", max_length=20)
    due_on = models.DateField("办理期限", validators=[validate_business_date])
    resolution = models.TextField(
        "办理结果", blank=True, max_length=LONG_TEXT, validators=[MaxLengthValidator(LONG_TEXT)]
    )
    closed_on = models.DateField("销号日期", null=True, blank=True, validators=[validate_business_date])
    satisfaction = models.CharField("企业满意度", max_length=20, blank=True)
    position = models.CharField("本月情况", max_length=40)

    scope_organization_lookup = "report__unit"
    scope_readers = BUSINESS_OFFICE_READERS

    class Meta:
        verbose_name = "月度台账报送明细"
        verbose_name_plural = "月度台账报送明细"
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "entry"], name="chiefservice_report_row_once")
        ]

    def __str__(self) -> str:
        return f"{self.report} #{self.number}"
