"""企业首席服务员 (双政办发〔2020〕17号): roster, served subjects, assignments, ledger, meetings, evaluation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from simple_history.models import HistoricalRecords

from orgs.models import Organization, OrganizationKind
from orgs.roles import Role

from . import rules

BUSINESS_OFFICE_READERS = frozenset({Role.BUSINESS_OFFICE})

#: 市直 and 驻双中省直 units: the rank rules of 第八条 apply to them.
CITY_LEVEL_KINDS = (OrganizationKind.MUNICIPAL, OrganizationKind.PROVINCIAL, OrganizationKind.OFFICE)


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
            )
        ]
        indexes = [models.Index(fields=["unit", "is_active", "role"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit.name}·{self.get_role_display()}）"

    @property
    def rank_rules_apply(self) -> bool:
        return self.unit.kind in CITY_LEVEL_KINDS


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
    is_provincial_key = models.BooleanField("省重点项目", default=False)
    is_provincial_top100 = models.BooleanField("省百大项目", default=False)
    is_city_key = models.BooleanField("市重点规上企业", default=False)
    is_monitored = models.BooleanField("重点监测企业", default=False)
    contract_signed_on = models.DateField("招商引资合同签订日期", null=True, blank=True)
    # 第十九条: deadline columns written when the clock starts / stops.
    assignment_due_on = models.DateField("配置服务员期限", null=True, blank=True, db_index=True)
    assigned_on = models.DateField("首次配置服务员日期", null=True, blank=True, db_index=True)
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
            )
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_filter(cls, user, organization) -> Q:
        """A unit sees the subjects it registered, those in its county, and those its officers serve."""
        # An uncorrelated IN: the database builds the unit's served set once and probes it (a hashed subplan),
        # where a correlated EXISTS ran once for each of hundreds of thousands of subjects.
        served = Assignment.objects.filter(officer__unit=organization).values("subject_id")
        return Q(registered_by=organization) | Q(district=organization) | Q(pk__in=served)

    @property
    def is_key_project(self) -> bool:
        return self.is_provincial_key or self.is_provincial_top100

    def key_flags(self) -> list[str]:
        return [
            label
            for flag, label in (
                (self.is_provincial_key, "省重点"),
                (self.is_provincial_top100, "省百大"),
                (self.is_city_key, "市重点规上"),
                (self.is_monitored, "重点监测"),
            )
            if flag
        ]


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

    def __str__(self) -> str:
        return f"{self.officer.name} → {self.subject.name}（{self.get_mode_display()}）"


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
    month = models.PositiveSmallIntegerField("月")
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
    SPECIAL = "special", "专题会商"


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
    decision = models.TextField("决定事项", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "会商事项"
        verbose_name_plural = "会商事项"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.topic


class NewsArticle(models.Model):
    """第二十四条: each officer submits one news article per quarter."""

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
    exemption_decision = models.CharField(
        "免责决定", max_length=20, choices=rules.EXEMPTION_DECISIONS, blank=True
    )
    exemption_reason = models.TextField("免责决定理由", blank=True)
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

    def __str__(self) -> str:
        return f"{self.officer.name}：{self.get_item_display()[:20]}"

    @property
    def waiting_for(self) -> str:
        if self.status == CaseStatus.DECIDED:
            return ""
        if self.status == CaseStatus.CLAIMED:
            return "营商办（免责决定）"
        return "营商办（处理决定）；派出单位可申请免责"
