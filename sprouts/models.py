"""Bean-sprout supervision (双政办规〔2020〕15号): routing rules as data, cases, hand-overs, handling."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from orgs.models import Organization, OrganizationKind, Sector
from orgs.uploads import EXTENSIONS, UNKNOWN_EXTENSION
from orgs.validators import LOG_TEXT, LONG_TEXT, SHORT_TEXT, validate_business_date

from . import rules, workflow
from .choices import Outcome, Source, Stage, Status, Trigger

USER = settings.AUTH_USER_MODEL


class Additive(models.Model):
    """An illegal additive that may be found (the list an administrator extends)."""

    name = models.CharField("名称", max_length=60, unique=True)
    is_active = models.BooleanField("启用", default=True)
    order = models.PositiveSmallIntegerField("排序", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "非法添加物"
        verbose_name_plural = "非法添加物"
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class SupervisionSettings(models.Model):
    """Parameters of the procedure, one row (edited by an administrator)."""

    acknowledgement_days = models.PositiveSmallIntegerField(
        "移交接收时限（日）", default=3, validators=[MinValueValidator(1)], help_text="自然日"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "监管参数"
        verbose_name_plural = "监管参数"

    def __str__(self) -> str:
        return f"移交接收时限 {self.acknowledgement_days} 日"

    @classmethod
    def current(cls) -> SupervisionSettings:
        return cls.objects.order_by("pk").first() or cls.objects.create()


class RoutingRuleQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True)


class RoutingRule(models.Model):
    """One version of a routing rule. Editing a rule creates a new version; old versions never change,
    so every routing decision keeps pointing at the version that produced it."""

    code = models.CharField("规则编号", max_length=40)
    version = models.PositiveIntegerField("版本", default=1)
    is_current = models.BooleanField("现行版本", default=True)
    clause = models.CharField("条款", max_length=40, help_text="如：第一条")
    title = models.CharField("规则说明", max_length=200)
    stage = models.CharField("环节", max_length=20, choices=Stage.choices, blank=True, help_text="留空为不限")
    source = models.CharField(
        "发现来源", max_length=20, choices=Source.choices, blank=True, help_text="留空为不限"
    )
    criminal = models.BooleanField("涉嫌犯罪", null=True, blank=True, help_text="留空为不限")
    lead_sector = models.CharField(
        "牵头部门", max_length=20, choices=Sector.choices, blank=True, help_text="属地管理规则留空"
    )
    cooperating_sectors = models.JSONField("配合部门", default=list, blank=True)
    territorial = models.BooleanField("属地管理（由案发县区部门办理）", default=False)
    legal_basis = models.TextField(
        "法律依据", blank=True, max_length=LONG_TEXT, validators=[MaxLengthValidator(LONG_TEXT)]
    )
    priority = models.PositiveSmallIntegerField(
        "优先级", default=100, help_text="数字越小越优先；涉嫌犯罪规则总是优先"
    )
    valid_from = models.DateField("生效日期", validators=[validate_business_date])
    valid_to = models.DateField("失效日期", null=True, blank=True, validators=[validate_business_date])
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    created_by = models.ForeignKey(
        USER, verbose_name="创建人", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    objects = RoutingRuleQuerySet.as_manager()

    class Meta:
        verbose_name = "分办规则"
        verbose_name_plural = "分办规则"
        ordering = ["priority", "code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="sprouts_rule_version_once"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(is_current=True), name="sprouts_rule_one_current_version"
            ),
        ]
        indexes = [models.Index(fields=["is_current", "priority"])]

    def __str__(self) -> str:
        return f"{self.clause} {self.title}（第{self.version}版）"

    def as_rule(self) -> rules.Rule:
        return rules.Rule(
            id=self.pk,
            code=self.code,
            version=self.version,
            clause=self.clause,
            title=self.title,
            priority=self.priority,
            valid_from=self.valid_from,
            valid_to=self.valid_to,
            stage=self.stage,
            source=self.source,
            criminal=self.criminal,
            lead_sector=self.lead_sector,
            cooperating_sectors=tuple(self.cooperating_sectors or ()),
            territorial=self.territorial,
            legal_basis=self.legal_basis,
        )

    def cooperating_labels(self) -> str:
        return "、".join(Sector(s).label for s in self.cooperating_sectors or ()) or "—"


def _district_choices():
    return {"kind": OrganizationKind.COUNTY}


class Case(models.Model):
    """A clue or case (线索/案件) about bean sprouts, routed on intake by the rules."""

    number = models.CharField("案件编号", max_length=20, unique=True)
    source = models.CharField("发现来源", max_length=20, choices=Source.choices, db_index=True)
    stage = models.CharField("环节", max_length=20, choices=Stage.choices, db_index=True)
    district = models.ForeignKey(
        Organization,
        verbose_name="案发县（区）",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=_district_choices,
    )
    business_name = models.CharField("经营者名称", max_length=200)
    business_address = models.CharField("经营地址", max_length=300, blank=True)
    found_on = models.DateField("发现日期", db_index=True, validators=[validate_business_date])
    additives = models.ManyToManyField(Additive, verbose_name="检出非法添加物", blank=True)
    findings = models.TextField(
        "发现的问题", blank=True, max_length=LONG_TEXT, validators=[MaxLengthValidator(LONG_TEXT)]
    )
    sample_results = models.TextField(
        "抽样检验结果", blank=True, max_length=LONG_TEXT, validators=[MaxLengthValidator(LONG_TEXT)]
    )
    criminal_suspected = models.BooleanField("涉嫌犯罪", default=False)
    reported_by_office = models.ForeignKey(
        Organization, verbose_name="登记单位", on_delete=models.PROTECT, related_name="+"
    )
    reported_by = models.ForeignKey(USER, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    lead_sector = models.CharField("牵头部门", max_length=20, choices=Sector.choices, db_index=True)
    lead_office = models.ForeignKey(
        Organization, verbose_name="承办单位", on_delete=models.PROTECT, related_name="+"
    )
    cooperating_offices = models.ManyToManyField(
        Organization, verbose_name="配合单位", blank=True, related_name="+"
    )
    status = models.CharField("状态", max_length=20, choices=Status.choices, db_index=True)
    # Counts the steps taken (orgs.workflow.transition): a step is refused when the case changed after the
    # permission decided on it.
    version = models.PositiveIntegerField("数据版本", default=0)
    outcome = models.CharField("办理结果", max_length=20, choices=Outcome.choices, blank=True, db_index=True)
    closing_note = models.TextField(
        "办结说明", blank=True, max_length=LONG_TEXT, validators=[MaxLengthValidator(LONG_TEXT)]
    )
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    # Who cooperates on a case changes with every hand-over; keep those changes with the case's history.
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[additives, cooperating_offices])

    class Meta:
        verbose_name = "豆芽质量安全案件"
        verbose_name_plural = "豆芽质量安全案件"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["lead_office", "status"]),
            models.Index(fields=["district", "found_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.business_name}"

    def clean(self) -> None:
        super().clean()
        today = timezone.localdate()
        errors = {}
        if problem := rules.event_date_problem(
            self.found_on, today=today, found_on=None, future=rules.FOUND_IN_FUTURE
        ):
            errors["found_on"] = problem
        closed_on = timezone.localdate(self.closed_at) if self.closed_at else None
        if problem := rules.event_date_problem(
            closed_on,
            today=today,
            found_on=self.found_on,
            future=rules.CLOSED_IN_FUTURE,
            before_found=rules.CLOSED_BEFORE_FOUND,
        ):
            errors["closed_at"] = problem
        if errors:
            raise ValidationError(errors)
        if self.outcome:
            problem = rules.outcome_problem(
                self.outcome,
                lead_sector=self.lead_sector,
                has_penalty=self.pk is not None and self.penalties.exists(),
            )
            if problem:
                raise ValidationError({"outcome": problem})

    @classmethod
    def scope_filter(cls, user, organization) -> Q:
        """Offices see the cases they lead, cooperate on, reported, or that were handed to or by them."""
        handed = HandOver.objects.filter(Q(to_office=organization) | Q(from_office=organization))
        cooperating = cls.cooperating_offices.through.objects.filter(organization=organization)
        # __any, not __in: each alternative keeps its index (orgs.lookups.AnyOf).
        return (
            Q(lead_office=organization)
            | Q(reported_by_office=organization)
            | Q(pk__any=cooperating.values("case_id"))
            | Q(pk__any=handed.values("case_id"))
        )

    @property
    def waiting_for(self) -> str:
        """Whose turn it is (empty once closed), from the workflow's declaration."""
        return workflow.waiting_for(self.status, self.lead_office)


class RoutingDecision(models.Model):
    """What the rules decided for a case, with the rule versions used and the reasons — never re-run."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="decisions")
    trigger = models.CharField("分办原因", max_length=20, choices=Trigger.choices)
    lead_sector = models.CharField("牵头部门", max_length=20, choices=Sector.choices)
    lead_office = models.ForeignKey(
        Organization, verbose_name="承办单位", on_delete=models.PROTECT, related_name="+"
    )
    cooperating = models.JSONField("配合单位", default=list, blank=True)
    rules = models.ManyToManyField(RoutingRule, verbose_name="所用规则版本", related_name="decisions")
    rule_version_ids = models.JSONField("所用规则版本编号", default=list)
    reasons = models.TextField("分办理由", max_length=SHORT_TEXT, validators=[MaxLengthValidator(SHORT_TEXT)])
    facts = models.JSONField("分办依据的事实", default=dict)
    decided_at = models.DateTimeField("分办时间", auto_now_add=True)
    decided_by = models.ForeignKey(USER, verbose_name="操作人", on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords(m2m_fields=[rules])

    class Meta:
        verbose_name = "分办决定"
        verbose_name_plural = "分办决定"
        ordering = ["decided_at", "id"]

    def __str__(self) -> str:
        return f"{self.case.number} → {self.lead_office}"

    def reason_lines(self) -> list[str]:
        return self.reasons.splitlines()


class HandOver(models.Model):
    """A hand-over (移交) of a case from one office to another; the receiver must acknowledge it."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="handovers")
    from_office = models.ForeignKey(
        Organization, verbose_name="移交单位", on_delete=models.PROTECT, related_name="+"
    )
    to_office = models.ForeignKey(
        Organization, verbose_name="接收单位", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField("移交原因", max_length=SHORT_TEXT, validators=[MaxLengthValidator(SHORT_TEXT)])
    sent_at = models.DateTimeField("移交时间", auto_now_add=True)
    sent_by = models.ForeignKey(USER, verbose_name="移交人", on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField("接收期限", db_index=True, validators=[validate_business_date])
    acknowledged_at = models.DateTimeField("接收时间", null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        USER, verbose_name="接收人", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # When the daily job reminded both offices that the hand-over is overdue (once). Nothing reads it to decide
    # whether a hand-over is overdue: that is computed from ``due_on`` and today (``is_overdue``).
    reminded_at = models.DateTimeField("逾期提醒时间", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "案件移交"
        verbose_name_plural = "案件移交"
        ordering = ["sent_at", "id"]
        indexes = [
            # An office's hand-overs waiting for it, soonest due first (its 待办): read in order and stop at
            # the first 20, where the full index on (to_office, acknowledged_at) joined all of them with their
            # cases and sorted: 63 → 0.6 ms for an office with 3,000 waiting.
            models.Index(
                fields=["to_office", "due_on", "id"],
                condition=Q(acknowledged_at__isnull=True),
                name="sprouts_handover_waiting",
            ),
            models.Index(fields=["acknowledged_at", "due_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.case.number}：{self.from_office} → {self.to_office}"

    @property
    def is_overdue(self) -> bool:
        """Overdue as of today (Beijing); the query form is ``selectors.overdue_q``."""
        return rules.handover_overdue(
            self.due_on, acknowledged=self.acknowledged_at is not None, today=timezone.localdate()
        )


class CaseNote(models.Model):
    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="notes")
    office = models.ForeignKey(Organization, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(USER, verbose_name="记录人", on_delete=models.PROTECT, related_name="+")
    text = models.TextField("检查/办理记录", max_length=LONG_TEXT, validators=[MaxLengthValidator(LONG_TEXT)])
    created_at = models.DateTimeField("记录时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:30]


class PenaltyDecision(models.Model):
    """处罚决定 (第一条: made by 市场监管 or 农业 according to law)."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="penalties")
    decided_by_office = models.ForeignKey(
        Organization, verbose_name="作出处罚决定的单位", on_delete=models.PROTECT, related_name="+"
    )
    document_number = models.CharField("处罚决定书文号", max_length=100, blank=True)
    legal_basis = models.TextField(
        "法律依据", max_length=LONG_TEXT, validators=[MaxLengthValidator(LONG_TEXT)]
    )
    amount = models.DecimalField(
        "罚没款金额（元）", max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    decided_on = models.DateField("决定日期", validators=[validate_business_date])
    recorded_by = models.ForeignKey(USER, verbose_name="录入人", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("录入时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "处罚决定"
        verbose_name_plural = "处罚决定"
        ordering = ["decided_on", "id"]

    def __str__(self) -> str:
        return f"{self.decided_by_office} {self.amount} 元"

    def clean(self) -> None:
        super().clean()
        office = self.decided_by_office if self.decided_by_office_id else None
        if office is not None and office.sector not in rules.PENALTY_SECTORS:
            raise ValidationError({"decided_by_office": rules.NOT_PENALTY_OFFICE})
        if problem := rules.event_date_problem(
            self.decided_on,
            today=timezone.localdate(),
            found_on=self.case.found_on if self.case_id else None,
            future=rules.PENALTY_IN_FUTURE,
            before_found=rules.PENALTY_BEFORE_FOUND,
        ):
            raise ValidationError({"decided_on": problem})


class CaseLog(models.Model):
    """Every status change: who, when, from, to, note — written in the same transaction."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="logs")
    at = models.DateTimeField("时间", auto_now_add=True)
    by = models.ForeignKey(USER, verbose_name="操作人", on_delete=models.PROTECT, related_name="+")
    action = models.CharField("操作", max_length=40)
    from_status = models.CharField("原状态", max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField("新状态", max_length=20, choices=Status.choices)
    note = models.TextField(
        "说明", blank=True, max_length=LOG_TEXT, validators=[MaxLengthValidator(LOG_TEXT)]
    )

    class Meta:
        verbose_name = "案件流转记录"
        verbose_name_plural = "案件流转记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action}"


def evidence_path(instance, filename: str) -> str:
    # Never the uploader's file name on disk: only a random name under the case's folder.
    # The extension is the content's detected type (orgs.uploads), never the uploader's.
    return f"sprouts/{instance.case_id}/{uuid.uuid4().hex}.{EXTENSIONS.get(instance.kind, UNKNOWN_EXTENSION)}"


class Evidence(models.Model):
    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField("文件", upload_to=evidence_path)
    original_name = models.CharField("文件名", max_length=200)
    kind = models.CharField("类型", max_length=10)
    uploaded_by = models.ForeignKey(USER, verbose_name="上传人", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "证据材料"
        verbose_name_plural = "证据材料"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    @classmethod
    def scope_filter(cls, user, organization) -> Q:
        return Q(case__in=Case.objects.filter(Case.scope_filter(user, organization)))
