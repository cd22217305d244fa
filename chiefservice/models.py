"""企业首席服务员 (双政办发〔2020〕17号): roster, served subjects, assignments, ledger, meetings, evaluation."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from orgs.models import Organization, OrganizationKind
from orgs.roles import Role

from . import rules

BUSINESS_OFFICE_READERS = frozenset({Role.BUSINESS_OFFICE})

#: 市直 and 驻双中省直 units: the rank rules of 第八条 apply to them.
CITY_LEVEL_KINDS = (OrganizationKind.MUNICIPAL, OrganizationKind.PROVINCIAL, OrganizationKind.OFFICE)

OFFICER_INACTIVE = "该人员已不在岗。"
DUE_BEFORE_RECEIVED = "办理期限不能早于受理日期。"
CLOSED_BEFORE_RECEIVED = "销号日期不能早于受理日期。"
SURVEY_IN_THE_FUTURE = "测评日期不能晚于今天。"
CREDIT_CODE_REQUIRED = "除拟投资企业外，须填写统一社会信用代码。"
#: What identifies the person in a chief post (第十一条): changed only through the change action.
CHIEF_PERSON_FIELDS = {"name": "姓名", "user": "平台账号", "unit": "派出单位"}


class OfficerRole(models.TextChoices):
    CHIEF = rules.CHIEF, "首席服务员"
    LIAISON = rules.LIAISON, "服务联络员"


class Rank(models.TextChoices):
    CLERK = "clerk", "办事员"
    STAFF = "staff", "科员"
    DEPUTY_SECTION = "deputy_section", "副科级"
    SECTION = "section", "正科级"
    DEPUTY_DIVISION = "deputy_division", "副处级"
    DIVISION = "division", "正处级"
    BUREAU = "bureau", "副厅级及以上"


class Officer(models.Model):
    """One person on the roster (第八条, 第十条)."""

    name = models.CharField("姓名", max_length=40)
    unit = models.ForeignKey(
        Organization, verbose_name="派出单位", on_delete=models.PROTECT, related_name="service_officers"
    )
    role = models.CharField("职责", max_length=10, choices=OfficerRole.choices, db_index=True)
    rank = models.CharField("职级", max_length=20, choices=Rank.choices)
    position = models.CharField("职务", max_length=60, blank=True)
    phone = models.CharField("联系电话", max_length=30)
    is_active = models.BooleanField("在岗", default=True, db_index=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="平台账号",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="service_officer",
        help_text="关联后，本人可登记自己的服务台账",
    )
    note = models.TextField("内部备注", blank=True)
    ended_on = models.DateField("离岗日期", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    history = HistoricalRecords()

    scope_organization_lookup = "unit"
    scope_readers = BUSINESS_OFFICE_READERS

    class Meta:
        verbose_name = "首席服务员/服务联络员"
        verbose_name_plural = "首席服务员/服务联络员"
        ordering = ["unit__directory_order", "role", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(role=rules.CHIEF, is_active=True),
                name="chiefservice_one_active_chief_per_unit",
                violation_error_message=rules.ONE_CHIEF_PER_UNIT_SHORT,
            )
        ]
        indexes = [models.Index(fields=["unit", "is_active", "role"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit.name}·{self.get_role_display()}）"

    @property
    def rank_rules_apply(self) -> bool:
        return self.unit.kind in CITY_LEVEL_KINDS

    def clean(self) -> None:
        """第八条 (ranks, one chief per unit) and 第十一条 (who holds a chief post), on every path."""
        super().clean()
        if not self.unit_id:
            return
        errors: dict[str, str] = {}
        if self.role and self.rank in rules.RANK_LEVELS:
            error = rules.rank_error(role=self.role, rank=self.rank, rank_rules_apply=self.rank_rules_apply)
            if error:
                errors["rank"] = error
        errors |= self._chief_post_errors()
        if self.role == rules.CHIEF and self.is_active and "role" not in errors:
            other = (
                Officer.objects.filter(unit_id=self.unit_id, role=rules.CHIEF, is_active=True)
                .exclude(pk=self.pk)
                .first()
            )
            if other is not None:
                errors["role"] = rules.ONE_CHIEF_PER_UNIT.format(name=other.name)
        if errors:
            raise ValidationError(errors)

    def _chief_post_errors(self) -> dict[str, str]:
        """第十一条 不得擅自调整首席服务员: editing a chief's record corrects contact details only.

        The change action (services.chief_change, services.officer_recall) sets ``_chief_change`` on the
        officers it moves; no form or admin page can.
        """
        if self.pk is None or getattr(self, "_chief_change", False):
            return {}
        stored = Officer.objects.filter(pk=self.pk).values("role", "is_active", *CHIEF_PERSON_FIELDS).first()
        if stored is None or stored["role"] != rules.CHIEF:
            return {}
        errors = {}
        for field, label in CHIEF_PERSON_FIELDS.items():
            before, after = stored[field], getattr(self, f"{field}_id" if field != "name" else field)
            if field == "user" and before is None:
                continue  # linking the chief's own account for the first time is not a change of person
            if before != after:
                errors[field] = rules.CHIEF_PERSON_FIXED.format(field=label)
        if stored["is_active"] and (self.role != rules.CHIEF or not self.is_active):
            errors["role" if self.role != rules.CHIEF else "is_active"] = rules.CHIEF_POST_BY_CHANGE_ONLY
        return errors


class SubjectKind(models.TextChoices):
    ENTERPRISE = "enterprise", "企业"
    ORGANIZATION = "organization", "其他组织"
    INDIVIDUAL = rules.INDIVIDUAL, "个体工商户"
    PROSPECTIVE = "prospective", "拟投资企业"


class SubjectSize(models.TextChoices):
    LARGE = "large", "大型"
    MEDIUM = "medium", "中型"
    SMALL = "small", "小型"
    MICRO = "micro", "微型"


class ServedSubject(models.Model):
    """服务对象 (第三条): an enterprise, other organization, 个体工商户 or an intending investor."""

    name = models.CharField("名称", max_length=120, db_index=True)
    kind = models.CharField("类型", max_length=20, choices=SubjectKind.choices, db_index=True)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True, db_index=True)
    district = models.ForeignKey(
        Organization,
        verbose_name="所属县（区）",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": OrganizationKind.COUNTY},
    )
    grid = models.CharField("网格", max_length=60, blank=True)
    size = models.CharField("规模", max_length=10, choices=SubjectSize.choices, blank=True)
    # 第九条's four kinds, worded as the gazette words them (tables show the short labels of key_flags).
    is_provincial_key = models.BooleanField("省委省政府确定的重点项目", default=False)
    is_provincial_top100 = models.BooleanField("省百大项目", default=False)
    is_city_key = models.BooleanField("市重点规上企业", default=False)
    is_monitored = models.BooleanField("重点监测的企业", default=False)
    contract_signed_on = models.DateField("招商引资合同签订日期", null=True, blank=True)
    # 第十九条: deadline columns written when the clock starts / stops.
    assignment_due_on = models.DateField("配置服务员期限", null=True, blank=True, db_index=True)
    assigned_on = models.DateField("首次配置服务员日期", null=True, blank=True, db_index=True)
    # The day that first assignment was recorded, and how many days after the 15th day it came: a start date
    # typed in the past does not make a late assignment look timely (第十九条).
    assignment_recorded_on = models.DateField("首次配置登记日期", null=True, blank=True, editable=False)
    assignment_late_days = models.PositiveSmallIntegerField("配置超期天数", default=0, editable=False)
    # Whether an assignment is open now, kept by services.roster.coverage_refresh whenever assignments open
    # or end: the coverage list and counts (第九条) read it through a small partial index instead of an
    # anti-join over every subject and assignment of ten years.
    has_officer = models.BooleanField("已配置服务员", default=False, editable=False)
    registered_by = models.ForeignKey(
        Organization, verbose_name="登记单位", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["has_officer"])  # derived from the assignments' history

    scope_readers = BUSINESS_OFFICE_READERS

    class Meta:
        verbose_name = "服务对象"
        verbose_name_plural = "服务对象"
        ordering = ["name", "id"]
        indexes = [
            models.Index(
                fields=["name", "id"], condition=Q(has_officer=False), name="chiefservice_subject_uncovered"
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"], condition=~Q(credit_code=""), name="chiefservice_unique_credit_code"
            ),
            models.CheckConstraint(
                condition=Q(kind="prospective") | ~Q(credit_code=""),
                name="chiefservice_credit_code_required",
                violation_error_message=CREDIT_CODE_REQUIRED,
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """The credit code (GB 32100-2015, part by part), the 15-day clock (第十九条), 第九条's 专班 rule."""
        super().clean()
        self.credit_code = rules.normalize_credit_code(self.credit_code)
        errors: dict[str, list[str] | str] = {}
        if self.credit_code:
            problems = rules.credit_code_errors(self.credit_code)
            if problems:
                errors["credit_code"] = problems
        elif self.kind and self.kind != SubjectKind.PROSPECTIVE:
            errors["credit_code"] = CREDIT_CODE_REQUIRED
        self.assignment_due_on = (
            rules.assignment_due_on(self.contract_signed_on) if self.contract_signed_on else None
        )
        if self.assigned_on is not None:
            self.assignment_late_days = rules.assignment_late_days(
                due_on=self.assignment_due_on,
                start_on=self.assigned_on,
                recorded_on=self.assignment_recorded_on or self.assigned_on,
            )
        if self.pk is not None and self.is_key_subject:
            other = (
                Assignment.objects.filter(subject_id=self.pk, end_on__isnull=True)
                .exclude(mode=rules.TASK_FORCE)
                .select_related("officer")
                .first()
            )
            if other is not None:
                errors[NON_FIELD_ERRORS] = rules.KEY_SUBJECT_SERVED_OTHERWISE.format(
                    name=other.officer.name, mode=other.get_mode_display()
                )
        if errors:
            raise ValidationError(errors)

    @classmethod
    def scope_filter(cls, user, organization) -> Q:
        """A unit sees the subjects it registered, those in its county, and those its officers serve."""
        # An uncorrelated IN: the database builds the unit's served set once and probes it (a hashed subplan),
        # where a correlated EXISTS ran once for each of hundreds of thousands of subjects.
        served = Assignment.objects.filter(officer__unit=organization).values("subject_id")
        return Q(registered_by=organization) | Q(district=organization) | Q(pk__in=served)

    @property
    def is_key_subject(self) -> bool:
        """第九条: the four kinds served by a 专班."""
        return self.is_provincial_key or self.is_provincial_top100 or self.is_city_key or self.is_monitored

    @property
    def assigned_late(self) -> bool:
        return self.assignment_late_days > 0

    def key_flags(self) -> list[str]:
        flags = (self.is_provincial_key, self.is_provincial_top100, self.is_city_key, self.is_monitored)
        return [label for flag, label in zip(flags, rules.KEY_FLAGS, strict=True) if flag]


class AssignmentMode(models.TextChoices):
    ONE_TO_ONE = rules.ONE_TO_ONE, "一对一"
    ONE_TO_MANY = rules.ONE_TO_MANY, "一对多"
    TASK_FORCE = rules.TASK_FORCE, "专班"


class Assignment(models.Model):
    """An officer serving a subject from ``start_on`` to ``end_on`` (open while ``end_on`` is empty)."""

    # Indexed with the subject below: a unit's served set is read from the index alone.
    officer = models.ForeignKey(
        Officer, verbose_name="服务员", on_delete=models.PROTECT, related_name="assignments", db_index=False
    )
    subject = models.ForeignKey(
        ServedSubject, verbose_name="服务对象", on_delete=models.PROTECT, related_name="assignments"
    )
    mode = models.CharField("服务方式", max_length=20, choices=AssignmentMode.choices)
    start_on = models.DateField("开始日期")
    end_on = models.DateField("结束日期", null=True, blank=True, db_index=True)
    end_reason = models.CharField("结束原因", max_length=200, blank=True)
    history = HistoricalRecords()

    scope_organization_lookup = "officer__unit"
    scope_readers = BUSINESS_OFFICE_READERS

    class Meta:
        verbose_name = "服务关系"
        verbose_name_plural = "服务关系"
        ordering = ["-start_on", "-id"]
        indexes = [
            models.Index(fields=["subject", "end_on"]),
            # The subjects a unit's officers serve (ServedSubject.scope_filter): 146 → 30 ms at 375,000 rows.
            models.Index(fields=["officer", "subject"], name="chiefservice_assign_officer"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")),
                name="chiefservice_assignment_ends_after_start",
                violation_error_message=rules.END_BEFORE_START,
            )
        ]

    def __str__(self) -> str:
        return f"{self.officer.name} → {self.subject.name}（{self.get_mode_display()}）"

    def clean(self) -> None:
        """第九条 and 附件1: the service mode; an open assignment needs an officer on duty."""
        super().clean()
        if not (self.officer_id and self.subject_id and self.mode):
            return
        errors: dict[str, str] = {}
        if self.start_on and self.end_on and self.end_on < self.start_on:
            errors["end_on"] = rules.END_BEFORE_START
        if self.end_on is None:
            if not self.officer.is_active:
                errors["officer"] = OFFICER_INACTIVE
            open_ = Assignment.objects.filter(subject_id=self.subject_id, end_on__isnull=True).exclude(
                pk=self.pk
            )
            other = (
                open_.filter(mode=rules.ONE_TO_ONE)
                .exclude(officer_id=self.officer_id)
                .select_related("officer")
                .first()
            )
            error = rules.assignment_mode_error(
                mode=self.mode,
                officer_role=self.officer.role,
                is_key_subject=self.subject.is_key_subject,
                other_one_to_one_officer=other.officer.name if other else "",
                task_force_led=open_.filter(mode=rules.TASK_FORCE, officer__role=rules.CHIEF).exists(),
            )
            if error:
                errors["mode"] = error
        if errors:
            raise ValidationError(errors)


class OfficerChange(models.Model):
    """第十一条 chief changes (reason, reported to 营商办) and 第二十五条 recalls (ground, replacement)."""

    class Kind(models.TextChoices):
        CHIEF_CHANGE = "chief_change", "调整首席服务员"
        RECALL = "recall", "召（退）回"

    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    unit = models.ForeignKey(
        Organization, verbose_name="派出单位", on_delete=models.PROTECT, related_name="+"
    )
    previous = models.ForeignKey(
        Officer, verbose_name="原人员", on_delete=models.PROTECT, related_name="changes_as_previous"
    )
    replacement = models.ForeignKey(
        Officer, verbose_name="接替人员", on_delete=models.PROTECT, related_name="changes_as_replacement"
    )
    recall_ground = models.CharField("召回情形", max_length=2, choices=rules.RECALL_GROUNDS, blank=True)
    reason = models.TextField("原因")
    changed_on = models.DateField("调整日期")
    reported_at = models.DateTimeField("报备营商办时间", null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="经办人", on_delete=models.PROTECT)
    history = HistoricalRecords()

    scope_organization_lookup = "unit"
    scope_readers = BUSINESS_OFFICE_READERS

    class Meta:
        verbose_name = "人员调整记录"
        verbose_name_plural = "人员调整记录"
        ordering = ["-changed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.changed_on} {self.unit.name} {self.get_kind_display()}"

    def clean(self) -> None:
        """第十一条 a reason; the replacement is another officer of the same unit (第二十五条 另行调整人员)."""
        super().clean()
        errors = {}
        if self.kind == self.Kind.CHIEF_CHANGE and self.reason is not None and not self.reason.strip():
            errors["reason"] = rules.CHANGE_NEEDS_REASON
        if self.previous_id and self.replacement_id:
            if self.previous_id == self.replacement_id:
                errors["replacement"] = rules.REPLACEMENT_IS_SELF
            elif self.replacement.unit_id != self.previous.unit_id:
                errors["replacement"] = rules.REPLACEMENT_SAME_UNIT
        if errors:
            raise ValidationError(errors)


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
    received_on = models.DateField("受理日期", db_index=True)
    kind = models.CharField("类别", max_length=20, choices=LedgerKind.choices)
    description = models.TextField("内容")
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
    due_on = models.DateField("办理期限", db_index=True)
    resolution = models.TextField("办理结果", blank=True)
    closed_on = models.DateField("销号日期", null=True, blank=True, db_index=True)
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
        super().clean()
        errors = {}
        if self.received_on and self.due_on and self.due_on < self.received_on:
            errors["due_on"] = DUE_BEFORE_RECEIVED
        if self.received_on and self.closed_on and self.closed_on < self.received_on:
            errors["closed_on"] = CLOSED_BEFORE_RECEIVED
        if errors:
            raise ValidationError(errors)

    @classmethod
    def scope_filter(cls, user, organization) -> Q:
        """The officer's unit, and the units a request was routed to (转办/协办, 第十六条), which follow it up."""
        routed = cls.co_units.through.objects.filter(organization=organization).values("ledgerentry_id")
        officers = Officer.objects.filter(unit=organization).values("pk")
        return Q(officer__any=officers) | Q(pk__any=routed)  # both by index: see ServedSubject

    @property
    def waiting_for(self) -> str:
        if self.status == LedgerStatus.ESCALATED:
            return "营商办（会商后销号）"
        if self.status == LedgerStatus.RESOLVED:
            return ""
        return f"{self.officer.unit.name} {self.officer.name}"


class LedgerLog(models.Model):
    entry = models.ForeignKey(LedgerEntry, on_delete=models.CASCADE, related_name="logs")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT)
    at = models.DateTimeField("时间", auto_now_add=True)
    from_status = models.CharField("原状态", max_length=20, choices=LedgerStatus.choices)
    to_status = models.CharField("新状态", max_length=20, choices=LedgerStatus.choices)
    note = models.TextField("说明", blank=True)

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
    due_on = models.DateField("报送期限", db_index=True)
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


class MeetingKind(models.TextChoices):
    REGULAR = "regular", "例会"
    SPECIAL = "special", "专题工作会商会议"


class Meeting(models.Model):
    """会商会议 (第十七条), convened by 营商办: at least one regular meeting per quarter."""

    kind = models.CharField("类别", max_length=10, choices=MeetingKind.choices)
    held_on = models.DateField("会议日期", db_index=True)
    title = models.CharField("议题", max_length=120)
    summary = models.TextField("会议决定", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT)
    history = HistoricalRecords()

    scope_readers = BUSINESS_OFFICE_READERS

    class Meta:
        verbose_name = "会商会议"
        verbose_name_plural = "会商会议"
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["kind", "held_on"])]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"

    @classmethod
    def scope_filter(cls, user, organization) -> Q:
        """A unit sees the meetings that discussed its officers' ledger entries."""
        return Q(Exists(AgendaItem.objects.filter(meeting=OuterRef("pk"), entry__officer__unit=organization)))


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, verbose_name="会议", on_delete=models.CASCADE, related_name="items")
    entry = models.ForeignKey(
        LedgerEntry,
        verbose_name="台账事项",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda",
    )
    topic = models.CharField("议题", max_length=200)
    # Recorded (and corrected) after the meeting; every version stays in the history (第十七条).
    decision = models.TextField("决定事项", blank=True)
    decided_at = models.DateTimeField("决定登记时间", null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="决定登记人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    history = HistoricalRecords()

    scope_organization_lookup = "entry__officer__unit"
    scope_readers = BUSINESS_OFFICE_READERS

    class Meta:
        verbose_name = "会商事项"
        verbose_name_plural = "会商事项"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.topic


class NewsArticle(models.Model):
    """第二十四条: each chief (首席服务员) submits one news article per quarter; anyone may send more at any time."""

    officer = models.ForeignKey(
        Officer, verbose_name="服务员", on_delete=models.PROTECT, related_name="articles"
    )
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField(
        "季度", choices=[(1, "一季度"), (2, "二季度"), (3, "三季度"), (4, "四季度")]
    )
    title = models.CharField("标题", max_length=120)
    submitted_on = models.DateField("报送日期")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT)
    history = HistoricalRecords()

    scope_organization_lookup = "officer__unit"
    scope_readers = BUSINESS_OFFICE_READERS

    class Meta:
        verbose_name = "新闻宣传稿件"
        verbose_name_plural = "新闻宣传稿件"
        ordering = ["-year", "-quarter", "-id"]
        indexes = [models.Index(fields=["year", "quarter"])]

    def __str__(self) -> str:
        return self.title


class SurveyMethod(models.TextChoices):
    QUESTIONNAIRE = "questionnaire", "问卷测评"
    VISIT = "visit", "企业走访座谈"
    INSPECTION = "inspection", "实地察看"
    LEDGER_CHECK = "ledger_check", "检查工作台账"


class SatisfactionSurvey(models.Model):
    """第二十六条: one questionnaire / visit answer of a subject about its officer."""

    officer = models.ForeignKey(
        Officer, verbose_name="服务员", on_delete=models.PROTECT, related_name="surveys"
    )
    subject = models.ForeignKey(
        ServedSubject, verbose_name="服务对象", on_delete=models.PROTECT, related_name="+"
    )
    surveyed_on = models.DateField("测评日期", db_index=True)
    method = models.CharField("方式", max_length=20, choices=SurveyMethod.choices)
    answer = models.CharField("满意度", max_length=20, choices=Satisfaction.choices)
    comment = models.TextField("意见建议", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT)
    history = HistoricalRecords()

    scope_organization_lookup = "officer__unit"
    scope_readers = BUSINESS_OFFICE_READERS

    class Meta:
        verbose_name = "满意度测评"
        verbose_name_plural = "满意度测评"
        ordering = ["-surveyed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.surveyed_on} {self.get_answer_display()}"

    def clean(self) -> None:
        super().clean()
        if self.surveyed_on and self.surveyed_on > timezone.localdate():
            raise ValidationError({"surveyed_on": SURVEY_IN_THE_FUTURE})


class CaseStatus(models.TextChoices):
    OPEN = "open", "调查中"
    CLAIMED = "claimed", "已申请免责"
    DECIDED = "decided", "已决定"


class AccountabilityCase(models.Model):
    """第二十八条–第三十条, 附件4: visible to 营商办 and the officer's dispatching unit only."""

    officer = models.ForeignKey(
        Officer, verbose_name="当事人", on_delete=models.PROTECT, related_name="cases"
    )
    item = models.CharField("情形", max_length=4, choices=rules.CASE_ITEMS)
    facts = models.TextField("查证事实")
    evidence = models.FileField("证据材料", upload_to="chiefservice/cases/%Y/", blank=True)
    measures = models.TextField("问责措施")
    suggestion = models.TextField("处理建议")
    status = models.CharField(
        "状态", max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN, editable=False
    )
    exemption_ground = models.CharField("免责情形", max_length=2, choices=rules.EXEMPTION_GROUNDS, blank=True)
    exemption_claim = models.TextField("免责申请理由", blank=True)
    # 第二十九条: claimed by the dispatching unit, decided by 营商办 — never by the same person.
    exemption_claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="免责申请人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    exemption_decision = models.CharField(
        "免责决定", max_length=20, choices=rules.EXEMPTION_DECISIONS, blank=True
    )
    exemption_reason = models.TextField("免责决定理由", blank=True)
    exemption_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="免责决定人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    decision = models.CharField("处理决定", max_length=20, choices=rules.DECISIONS, blank=True)
    decision_reason = models.TextField("处理决定理由", blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="立案人", on_delete=models.PROTECT)
    opened_on = models.DateField("立案日期", auto_now_add=True)
    history = HistoricalRecords()

    scope_organization_lookup = "officer__unit"
    scope_readers = BUSINESS_OFFICE_READERS

    class Meta:
        verbose_name = "问责案件"
        verbose_name_plural = "问责案件"
        ordering = ["-opened_on", "-id"]
        indexes = [models.Index(fields=["status", "opened_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(exemption_decided_by__isnull=True)
                | ~Q(exemption_decided_by=F("exemption_claimed_by")),
                name="chiefservice_exemption_not_self_decided",
                violation_error_message=rules.EXEMPTION_SAME_USER,
            )
        ]

    def __str__(self) -> str:
        return f"{self.officer.name}：{self.get_item_display()[:20]}"

    def clean(self) -> None:
        """第二十九条 and 第三十条 as the services apply them, so the admin cannot record what they refuse."""
        super().clean()
        errors = {}
        if self.exemption_decision:
            error = rules.exemption_decision_error(
                claimed_ground=self.exemption_ground,
                decision=self.exemption_decision,
                reason=self.exemption_reason,
            )
            if error:
                errors["exemption_decision"] = error
        if self.decision and "exemption_decision" not in errors:
            error = rules.case_decision_error(
                claimed_ground=self.exemption_ground,
                exemption_decision=self.exemption_decision,
                decision=self.decision,
                reason=self.decision_reason,
            )
            if error:
                errors["decision"] = error
        if errors:
            raise ValidationError(errors)

    @property
    def waiting_for(self) -> str:
        if self.status == CaseStatus.DECIDED:
            return ""
        if self.status == CaseStatus.CLAIMED:
            return "营商办（免责决定）"
        return "营商办（处理决定）；派出单位可申请免责"
