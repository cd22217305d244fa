"""招商引资任务指标与目标责任考核 (双政办发〔2020〕16号 and its 附件1–3)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from orgs.models import Organization
from orgs.roles import Role
from orgs.validators import LOG_TEXT, LONG_TEXT, SHORT_TEXT, validate_business_date

from . import rules

ZERO = Decimal("0")
NON_NEGATIVE = [MinValueValidator(ZERO)]

# The gazette's validation rules, checked in the models' clean() so that the pages, the Excel upload, the
# services and the Django admin refuse the same thing with the same message (tests import these).
STARTED_BEFORE_SIGNED = "开工日期不能早于签约日期。"
REPORT_REQUIRED = "请填写自评报告内容。"
# 双政办发〔2020〕16号 第六条(二): 在保证考核佐证材料完整性和真实性的基础上，提交自评报告.
EVIDENCE_REQUIRED = "提交自评报告前须上传佐证材料（至少一份）：各县（区）应在保证考核佐证材料完整性和真实性的基础上提交自评报告。"
# 双政办发〔2020〕16号 第六条(二): 证明材料的提供单位要承担违法违规责任.
SUPPLIER_REQUIRED = "发现证明材料弄虚作假时须指明证明材料的提供单位。"
# 双政办发〔2020〕16号 第二条: 考核对象为各县（区）政府、市经开区管委会、市直承标单位.
NOT_ASSESSED = (
    "{unit}不是{year}年度招商引资目标责任考核对象（考核对象为下达了任务指标的各县（区）、市直承标单位）。"
)
RESULT_UNRANKED = "未申报的单位不参加排名，不填综合得分和名次。"
RESULT_RANKED = "参加排名的单位须有综合得分和名次。"
# Spec decision (dates): no event is dated after today; 签约额 needs its 签约日期; a project counts in the year
# its 签约日期 falls in; 开工 is not before 签约.
DATE_IN_FUTURE = "{label}（{value}）晚于今天（{today}），尚未发生的事项不能录入：请核对日期，发生后再录入。"
CONTRACT_NEEDS_DATE = "填写了签约额须同时填写签约日期：请补填签约日期，或将签约额改为 0。"
SIGNED_IN_OTHER_YEAR = (
    "签约日期在{signed}年，项目计入签约当年：请在{signed}年度的项目清单中录入，或核对签约日期。"
)
STARTED_IN_LATER_YEAR = (
    "开工日期在{started}年，晚于项目年度（{year}年）：请在{started}年度的项目清单中录入，或核对开工日期。"
)
# 第七条(五) and the spec decision: the 市委考评办 score is 0–100 with its document number and date.
KPB_RANGE = "市委考评办考核得分应在 0 至 100 分之间（保留两位小数）：请按考评办文件核对后重新录入。"
KPB_DOCUMENT_REQUIRED = "请填写市委考评办考核结果的文号。"
KPB_DATE_REQUIRED = "请填写市委考评办考核结果的印发日期。"
# 第二条 and 表（二）: 表（二） lists the 市直承标单位 only; county-level units and their departments are in 表（一）.
NOT_MUNICIPAL = (
    "{unit}不是市直承标单位：任务分解表（二）只列市直单位和市政府办事机构、服务中心；"
    "县（区）及其部门的任务在表（一）中下达。请选择市直承标单位。"
)
MUNICIPAL_KINDS = frozenset({"municipal", "office"})
BASE_SOURCE_REQUIRED = "请注明上年基数的来源（如统计部门文件或上年度考核通报的文号）。"


def not_after_today(errors: dict, field: str, label: str, value, today: datetime.date) -> None:
    if value is not None and value > today:
        errors[field] = DATE_IN_FUTURE.format(label=label, value=value, today=today)


class TargetStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    ISSUED = "issued", "已下达"


class Issuer(models.TextChoices):
    CITY_OFFICE = "市政府办公室", "市政府办公室"
    JINGHE = "市经合局", "市经合局"


class TargetSet(models.Model):
    """One version of a year's 任务指标 (表一 and 表二). Issued versions are read-only."""

    year = models.PositiveIntegerField("年度", db_index=True)
    version = models.PositiveIntegerField("版本", default=1)
    status = models.CharField(
        "状态", max_length=10, choices=TargetStatus.choices, default=TargetStatus.DRAFT, db_index=True
    )
    document_number = models.CharField("下达文号", max_length=60, blank=True)
    issued_on = models.DateField("下达日期", null=True, blank=True, validators=[validate_business_date])
    issuer = models.CharField("下达单位", max_length=20, choices=Issuer.choices, blank=True)
    reason = models.TextField(
        "调整原因", blank=True, max_length=SHORT_TEXT, validators=[MaxLengthValidator(SHORT_TEXT)]
    )
    supersedes = models.ForeignKey(
        "self", verbose_name="调整前版本", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    history = HistoricalRecords()

    # Issued targets are published to every unit; drafts only to the drafting offices.
    scope_readers = frozenset({Role.CITY_OFFICE, Role.ASSESSOR})

    class Meta:
        verbose_name = "任务指标"
        verbose_name_plural = "任务指标"
        ordering = ["-year", "-version"]
        constraints = [models.UniqueConstraint(fields=["year", "version"], name="investment_target_version")]

    def __str__(self) -> str:
        return f"{self.year}年度招商引资任务指标（第{self.version}版，{self.get_status_display()}）"

    @classmethod
    def scope_filter(cls, user, organization) -> Q:
        return Q(status=TargetStatus.ISSUED)

    @property
    def is_issued(self) -> bool:
        return self.status == TargetStatus.ISSUED

    @property
    def waiting_for(self) -> str:
        """Whose turn it is (empty once issued), from the workflow's declaration."""
        from .workflow import TARGETS  # the declaration imports these models

        return TARGETS.waiting_for(self.status)


class CountyTarget(models.Model):
    """表（一）: one county-level unit's targets."""

    target_set = models.ForeignKey(
        TargetSet, verbose_name="任务指标", on_delete=models.CASCADE, related_name="county_targets"
    )
    organization = models.ForeignKey(Organization, verbose_name="县（区）", on_delete=models.PROTECT)
    order = models.PositiveIntegerField("序号", default=0)
    foreign_musd = models.DecimalField(
        "外资（万美元）", max_digits=12, decimal_places=2, validators=NON_NEGATIVE
    )
    domestic_yi = models.DecimalField(
        "内资（亿元）", max_digits=12, decimal_places=2, validators=NON_NEGATIVE
    )
    signing_yi = models.DecimalField(
        "力争当年签约额（亿元）", max_digits=12, decimal_places=2, validators=NON_NEGATIVE
    )
    new_projects = models.PositiveIntegerField("力争当年新开工项目（个）")
    leading_share_pct = models.DecimalField(
        "新引进主导产业占比（%）",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("100"))],
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "任务分解表（一）行"
        verbose_name_plural = "任务分解表（一）"
        ordering = ["order", "organization__directory_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["target_set", "organization"], name="investment_county_target_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization}"


class MunicipalTargetLine(models.Model):
    """表（二）: one (project size, count) line of a 市直承标单位; a unit may have several."""

    target_set = models.ForeignKey(
        TargetSet, verbose_name="任务指标", on_delete=models.CASCADE, related_name="municipal_lines"
    )
    organization = models.ForeignKey(Organization, verbose_name="承标单位", on_delete=models.PROTECT)
    order = models.PositiveIntegerField("序号", default=0)
    line = models.PositiveSmallIntegerField("行次", default=1)
    size_wan = models.DecimalField(
        "项目规模（万元）", max_digits=12, decimal_places=2, validators=NON_NEGATIVE
    )
    at_least = models.BooleanField("以上", default=False)
    count = models.PositiveIntegerField("数量（个）")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "任务分解表（二）行"
        verbose_name_plural = "任务分解表（二）"
        ordering = ["order", "line"]
        constraints = [
            models.UniqueConstraint(
                fields=["target_set", "organization", "line"], name="investment_municipal_line_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.label}"

    @property
    def label(self) -> str:
        return rules.size_count_label(self.size_wan, self.at_least, self.count)

    def clean(self) -> None:
        super().clean()
        if self.organization_id and self.organization.kind not in MUNICIPAL_KINDS:
            raise ValidationError({"organization": NOT_MUNICIPAL.format(unit=self.organization)})


class Source(models.TextChoices):
    FOREIGN = "foreign", "外资"
    DOMESTIC = "domestic", "内资"


class Project(models.Model):
    """A unit's 招商引资项目 for a reporting year (附件1 第三条)."""

    organization = models.ForeignKey(Organization, verbose_name="单位", on_delete=models.PROTECT)
    year = models.PositiveIntegerField("年度")
    name = models.CharField("项目名称", max_length=200)
    investor = models.CharField("投资方", max_length=200)
    source = models.CharField("资金来源", max_length=10, choices=Source.choices)
    signed_on = models.DateField("签约日期", null=True, blank=True, validators=[validate_business_date])
    contract_wan = models.DecimalField(
        "签约额（万元）", max_digits=14, decimal_places=2, default=ZERO, validators=NON_NEGATIVE
    )
    industry = models.CharField("所属产业", max_length=100, blank=True)
    is_leading = models.BooleanField("属主导产业", default=False)
    started_on = models.DateField("开工日期", null=True, blank=True, validators=[validate_business_date])
    received_foreign_musd = models.DecimalField(
        "当年到位外资（万美元）", max_digits=14, decimal_places=2, default=ZERO, validators=NON_NEGATIVE
    )
    received_domestic_wan = models.DecimalField(
        "当年到位内资（万元）", max_digits=14, decimal_places=2, default=ZERO, validators=NON_NEGATIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords()

    scope_organization_lookup = "organization"
    scope_readers = frozenset({Role.ASSESSOR})

    class Meta:
        verbose_name = "招商引资项目"
        verbose_name_plural = "招商引资项目"
        ordering = ["organization__directory_order", "-year", "name", "pk"]
        indexes = [
            models.Index(fields=["organization", "year"]),
            models.Index(fields=["year", "source"]),
            models.Index(fields=["name"]),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        today = timezone.localdate()
        errors: dict[str, str] = {}
        not_after_today(errors, "signed_on", "签约日期", self.signed_on, today)
        not_after_today(errors, "started_on", "开工日期", self.started_on, today)
        if self.contract_wan and self.contract_wan > 0 and self.signed_on is None:
            errors["signed_on"] = CONTRACT_NEEDS_DATE
        if self.year and self.signed_on and self.signed_on.year > self.year and "signed_on" not in errors:
            errors["signed_on"] = SIGNED_IN_OTHER_YEAR.format(signed=self.signed_on.year)
        if self.year and self.started_on and self.started_on.year > self.year and "started_on" not in errors:
            errors["started_on"] = STARTED_IN_LATER_YEAR.format(started=self.started_on.year, year=self.year)
        # A project starts (开工) after it is signed (签约): 附件1 第三条's 签约项目 and 开工项目 are one project's steps.
        if self.signed_on and self.started_on and self.started_on < self.signed_on:
            errors.setdefault("started_on", STARTED_BEFORE_SIGNED)
        if errors:
            raise ValidationError(errors)


def evidence_path(instance, filename: str) -> str:
    # The stored name never comes from the user: the original name is kept in a column.
    stamp = datetime.datetime.now().strftime("%Y%m%d%H%M%S%f")
    return f"investment/evidence/{stamp}.{instance.kind}"


class Evidence(models.Model):
    """佐证材料 attached to a project or a self-evaluation; downloaded only through an access-checked view."""

    organization = models.ForeignKey(Organization, verbose_name="提供单位", on_delete=models.PROTECT)
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence", verbose_name="项目"
    )
    evaluation = models.ForeignKey(
        "SelfEvaluation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name="自评报告",
    )
    file = models.FileField("文件", upload_to=evidence_path)
    original_name = models.CharField("原文件名", max_length=200)
    kind = models.CharField("类型", max_length=10)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    history = HistoricalRecords()

    scope_organization_lookup = "organization"
    scope_readers = frozenset({Role.ASSESSOR})

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.original_name


class YearParameters(models.Model):
    """Per-year parameters of the assessment (deadline, 重大项目 thresholds)."""

    year = models.PositiveIntegerField("年度", unique=True)
    deadline = models.DateField("自评申报截止日期", validators=[validate_business_date])
    foreign_major_musd = models.DecimalField(
        "外资重大项目标准（万美元）", max_digits=12, decimal_places=2, default=rules.FOREIGN_MAJOR_MUSD
    )
    domestic_major_yi = models.DecimalField(
        "内资重大项目标准（亿元）", max_digits=12, decimal_places=2, default=rules.DOMESTIC_MAJOR_YI
    )
    reminder_days = models.PositiveSmallIntegerField("截止前提醒天数", default=7)
    history = HistoricalRecords()

    scope_readers = frozenset({Role.ASSESSOR, Role.CITY_OFFICE})

    class Meta:
        verbose_name = "年度考核参数"
        verbose_name_plural = "年度考核参数"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年度考核参数"


class ScoreWeight(models.Model):
    """One row of the per-year weight table of the 综合评价 (default: ``rules.DEFAULT_WEIGHTS``)."""

    year = models.PositiveIntegerField("年度")
    indicator = models.CharField("指标", max_length=30, choices=rules.INDICATOR_CHOICES)
    weight = models.DecimalField("分值", max_digits=6, decimal_places=2, validators=NON_NEGATIVE)
    cap_pct = models.DecimalField(
        "计分封顶（完成率%）", max_digits=6, decimal_places=2, default=Decimal("100"), validators=NON_NEGATIVE
    )
    history = HistoricalRecords()

    scope_readers = frozenset({Role.ASSESSOR, Role.CITY_OFFICE})

    class Meta:
        verbose_name = "综合评价权重"
        verbose_name_plural = "综合评价权重"
        ordering = ["year", "pk"]
        constraints = [models.UniqueConstraint(fields=["year", "indicator"], name="investment_weight_once")]

    def __str__(self) -> str:
        return f"{self.year} {self.get_indicator_display()} {self.weight}"


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", "填报中"
    SUBMITTED = "submitted", "已申报，待审核"
    REVIEWED = "reviewed", "已审核"


class SelfEvaluation(models.Model):
    """自评申报 (第七条(一)): one per unit and year; read-only to the unit once submitted."""

    organization = models.ForeignKey(Organization, verbose_name="单位", on_delete=models.PROTECT)
    year = models.PositiveIntegerField("年度")
    status = models.CharField(
        "状态", max_length=10, choices=EvaluationStatus.choices, default=EvaluationStatus.DRAFT, db_index=True
    )
    report = models.TextField(
        "自评报告", blank=True, max_length=LONG_TEXT, validators=[MaxLengthValidator(LONG_TEXT)]
    )
    due_on = models.DateField("截止日期", validators=[validate_business_date])
    submitted_at = models.DateTimeField("申报时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申报人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_late = models.BooleanField("逾期申报", default=False)
    reviewed_at = models.DateTimeField("审核完成时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # 第七条(五): the 市委考评办 result for 市直承标单位, entered as given.
    kpb_score = models.DecimalField(
        "市委考评办考核得分",
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(ZERO, message=KPB_RANGE),
            MaxValueValidator(Decimal("100"), message=KPB_RANGE),
        ],
    )
    kpb_result = models.CharField("市委考评办考核结果", max_length=200, blank=True)
    kpb_document_number = models.CharField("考评办文号", max_length=60, blank=True)
    kpb_document_date = models.DateField(
        "考评办文件日期", null=True, blank=True, validators=[validate_business_date]
    )
    history = HistoricalRecords()

    scope_organization_lookup = "organization"
    scope_readers = frozenset({Role.ASSESSOR})

    class Meta:
        verbose_name = "自评申报"
        verbose_name_plural = "自评申报"
        ordering = ["year", "organization__directory_order"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="investment_evaluation_once")
        ]
        indexes = [models.Index(fields=["year", "status"])]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}年度自评"

    def clean(self) -> None:
        """Leaving the draft (申报) needs the report and at least one evidence file (第六条(二), 第七条(一)); a
        市委考评办 score carries its document's number and date."""
        super().clean()
        self._clean_kpb()
        if self.status == EvaluationStatus.DRAFT:
            return
        stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
        if stored not in (None, EvaluationStatus.DRAFT):
            return  # already submitted: checked when it was submitted
        self.clean_submission()

    def clean_submission(self) -> None:
        """What 申报 needs (第六条(二)): the report and at least one evidence file; ``clean`` asks it of a report
        leaving the draft, the submit step before it moves the state."""
        errors = {}
        if not self.report.strip():
            errors["report"] = REPORT_REQUIRED
        if self.pk is None or not Evidence.objects.filter(evaluation_id=self.pk).exists():
            errors[NON_FIELD_ERRORS] = EVIDENCE_REQUIRED
        if errors:
            raise ValidationError(errors)

    def _clean_kpb(self) -> None:
        if self.kpb_score is None:
            return
        errors: dict[str, str] = {}
        if not self.kpb_document_number.strip():
            errors["kpb_document_number"] = KPB_DOCUMENT_REQUIRED
        if self.kpb_document_date is None:
            errors["kpb_document_date"] = KPB_DATE_REQUIRED
        not_after_today(
            errors, "kpb_document_date", "考评办文件日期", self.kpb_document_date, timezone.localdate()
        )
        if errors:
            raise ValidationError(errors)

    @property
    def waiting_for(self) -> str:
        """Whose turn it is (the unit's own 填报员, then the 考核组), from the workflow's declaration."""
        from .workflow import EVALUATION, waiting_for  # the declaration imports these models

        return waiting_for(EVALUATION, self.status, unit=self.organization)


class ReviewStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    ACCEPTED = "accepted", "认可"
    CORRECTED = "corrected", "核减/更正"


class IndicatorReview(models.Model):
    """One reported value of a self-evaluation and the 考核组's verdict; a correction keeps both values."""

    evaluation = models.ForeignKey(
        SelfEvaluation, verbose_name="自评申报", on_delete=models.CASCADE, related_name="reviews"
    )
    measure = models.CharField("指标", max_length=30, choices=rules.MEASURE_CHOICES)
    reported = models.DecimalField("申报值", max_digits=14, decimal_places=2)
    status = models.CharField(
        "审核结论", max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    corrected = models.DecimalField("核定值", max_digits=14, decimal_places=2, null=True, blank=True)
    comment = models.CharField("审核意见", max_length=300, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    history = HistoricalRecords()

    scope_organization_lookup = "evaluation__organization"
    scope_readers = frozenset({Role.ASSESSOR})

    class Meta:
        verbose_name = "指标审核"
        verbose_name_plural = "指标审核"
        ordering = ["evaluation", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "measure"], name="investment_review_once")
        ]

    def __str__(self) -> str:
        return f"{self.evaluation} {self.get_measure_display()}"

    @property
    def final(self) -> Decimal:
        return self.corrected if self.status == ReviewStatus.CORRECTED else self.reported


class SpotCheck(models.Model):
    """实地抽查 (第七条(三)); a falsified-evidence finding is recorded against the supplying unit (第六条(二))."""

    year = models.PositiveIntegerField("年度", db_index=True)
    organization = models.ForeignKey(
        Organization, verbose_name="被抽查单位", on_delete=models.PROTECT, related_name="+"
    )
    checked_on = models.DateField("抽查日期", validators=[validate_business_date])
    findings = models.TextField("抽查情况", max_length=LONG_TEXT, validators=[MaxLengthValidator(LONG_TEXT)])
    falsified = models.BooleanField("发现并查实证明材料弄虚作假", default=False)
    supplier = models.ForeignKey(
        Organization,
        verbose_name="证明材料提供单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)
    history = HistoricalRecords()

    scope_readers = frozenset({Role.ASSESSOR})

    class Meta:
        verbose_name = "实地抽查"
        verbose_name_plural = "实地抽查"
        ordering = ["-checked_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.organization} {self.checked_on}"

    def clean(self) -> None:
        super().clean()
        errors = {}
        not_after_today(errors, "checked_on", "抽查日期", self.checked_on, timezone.localdate())
        if self.falsified and self.supplier_id is None:
            errors["supplier"] = SUPPLIER_REQUIRED
        # 第七条(三): 考核组赴各县（区）、各单位抽查 — the units assessed that year, nobody else.
        if self.organization_id and self.year:
            from .selectors import assessed_organizations  # selectors import this module

            if not assessed_organizations(self.year).filter(pk=self.organization_id).exists():
                errors["organization"] = NOT_ASSESSED.format(unit=self.organization, year=self.year)
        if errors:
            raise ValidationError(errors)

    @classmethod
    def scope_filter(cls, user, organization) -> Q:
        # A unit sees the checks of itself and the findings recorded against it as supplier.
        return Q(organization=organization) | Q(supplier=organization)


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", "未通报"
    PUBLISHED = "published", "已通报"
    WITHDRAWN = "withdrawn", "已撤回"


class Publication(models.Model):
    """通报: the ranked results of a year, frozen when published (spec decision: frozen results).

    A withdrawn 通报 stays readable as it was published; publishing the year again is a new version.
    """

    year = models.PositiveIntegerField("年度", db_index=True)
    # 第N版 of the year's 通报 (not a concurrency counter: ``version`` is left to the workflow steps).
    edition = models.PositiveIntegerField("版次", default=1)
    status = models.CharField(
        "状态", max_length=10, choices=PublicationStatus.choices, default=PublicationStatus.DRAFT
    )
    published_at = models.DateTimeField("通报时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="通报人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="撤回人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdraw_reason = models.TextField(
        "撤回原因", blank=True, max_length=SHORT_TEXT, validators=[MaxLengthValidator(SHORT_TEXT)]
    )
    history = HistoricalRecords()

    scope_readers = frozenset({Role.ASSESSOR, Role.CITY_OFFICE})

    class Meta:
        verbose_name = "考核通报"
        verbose_name_plural = "考核通报"
        ordering = ["-year", "-edition"]
        constraints = [
            models.UniqueConstraint(fields=["year", "edition"], name="investment_publication_edition")
        ]

    def __str__(self) -> str:
        suffix = f"（第{self.edition}版）" if self.edition > 1 else ""
        withdrawn = "（已撤回）" if self.status == PublicationStatus.WITHDRAWN else ""
        return f"{self.year}年度招商引资目标责任考核通报{suffix}{withdrawn}"

    @classmethod
    def scope_filter(cls, user, organization) -> Q:
        # Every unit keeps reading a withdrawn 通报 as it was published.
        return Q(status__in=[PublicationStatus.PUBLISHED, PublicationStatus.WITHDRAWN])

    @property
    def is_published(self) -> bool:
        return self.status == PublicationStatus.PUBLISHED

    @property
    def waiting_for(self) -> str:
        """Whose turn it is (empty once published), from the workflow's declaration."""
        from .workflow import PUBLICATION  # the declaration imports these models

        return PUBLICATION.waiting_for(self.status)


#: The 通报's order: by group, the ranked units by rank, then the units that never submitted (no rank).
RESULT_ORDER = ["group", F("rank").asc(nulls_last=True), "pk"]


class ResultRow(models.Model):
    """One unit in the 通报. A unit that never submitted its self-evaluation is listed as 未申报, unranked."""

    publication = models.ForeignKey(
        Publication, verbose_name="考核通报", on_delete=models.CASCADE, related_name="rows"
    )
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, verbose_name="单位")
    group = models.CharField("类别", max_length=20)
    not_submitted = models.BooleanField("未申报", default=False)
    score = models.DecimalField("综合得分", max_digits=7, decimal_places=2, null=True, blank=True)
    rank = models.PositiveIntegerField("名次", null=True, blank=True)
    is_late = models.BooleanField("逾期申报", default=False)
    falsified = models.BooleanField("证明材料弄虚作假", default=False)
    # The score's derivation as published (indicator, value, target, rate, points): the pages of a published
    # year show it, whatever the live data says afterwards.
    lines = models.JSONField("得分明细（通报时）", default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "通报结果"
        verbose_name_plural = "通报结果"
        ordering = ["publication", *RESULT_ORDER]

    def __str__(self) -> str:
        return f"{self.organization} {'未申报' if self.not_submitted else self.score}"

    def clean(self) -> None:
        super().clean()
        if self.not_submitted and (self.score is not None or self.rank is not None):
            raise ValidationError(RESULT_UNRANKED)
        if not self.not_submitted and (self.score is None or self.rank is None):
            raise ValidationError(RESULT_RANKED)


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", "草拟中"
    SUBMITTED = "submitted", "待审批"
    APPROVED = "approved", "已批准"


class IncentiveProposal(models.Model):
    """激励资金分配意见 (第七条(四)): drafted by 考核组 from the scores and a pool, approved by 市政府办公室."""

    year = models.PositiveIntegerField("年度", db_index=True)
    # Spec decision (pools): 县（区） and 市直承标单位 are scored on different scales, so each group has its own
    # pool, split by score within the group; ``pool_wan`` is their sum.
    pool_wan = models.DecimalField(
        "激励资金总额（万元）", max_digits=12, decimal_places=2, validators=NON_NEGATIVE
    )
    county_pool_wan = models.DecimalField(
        "县（区）激励资金（万元）", max_digits=12, decimal_places=2, default=ZERO, validators=NON_NEGATIVE
    )
    municipal_pool_wan = models.DecimalField(
        "市直承标单位激励资金（万元）", max_digits=12, decimal_places=2, default=ZERO, validators=NON_NEGATIVE
    )
    publication = models.ForeignKey(
        "Publication",
        verbose_name="依据通报",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    status = models.CharField(
        "状态", max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT, db_index=True
    )
    note = models.TextField(
        "说明", blank=True, max_length=LOG_TEXT, validators=[MaxLengthValidator(LOG_TEXT)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="拟订人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="批准人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField("批准时间", null=True, blank=True)
    history = HistoricalRecords()

    scope_readers = frozenset({Role.ASSESSOR, Role.CITY_OFFICE})

    class Meta:
        verbose_name = "激励资金分配意见"
        verbose_name_plural = "激励资金分配意见"
        ordering = ["-year", "-pk"]

    def __str__(self) -> str:
        return f"{self.year}年度激励资金分配意见（{self.pool_wan}万元）"

    @property
    def waiting_for(self) -> str:
        """Whose turn it is (empty once approved), from the workflow's declaration."""
        from .workflow import PROPOSAL  # the declaration imports these models

        return PROPOSAL.waiting_for(self.status)


class IncentiveLine(models.Model):
    proposal = models.ForeignKey(
        IncentiveProposal, verbose_name="激励资金分配意见", on_delete=models.CASCADE, related_name="lines"
    )
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, verbose_name="单位")
    group = models.CharField("类别", max_length=20, blank=True)
    score = models.DecimalField("综合得分", max_digits=7, decimal_places=2)
    amount_wan = models.DecimalField("分配金额（万元）", max_digits=12, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "激励资金分配行"
        verbose_name_plural = "激励资金分配行"
        ordering = ["proposal", "group", "-score", "organization__directory_order"]

    def __str__(self) -> str:
        return f"{self.organization} {self.amount_wan}"


class PreviousYearBase(models.Model):
    """上年基数 entered by the 考核组 for a unit without a previous-year figure in the system (spec decision:
    增幅 shows "无上年数据" and scores 0 until the base is entered with its source)."""

    organization = models.ForeignKey(Organization, verbose_name="单位", on_delete=models.PROTECT)
    year = models.PositiveIntegerField("基数年度")
    foreign_musd = models.DecimalField(
        "上年实际使用外资（万美元）", max_digits=14, decimal_places=2, validators=NON_NEGATIVE
    )
    domestic_wan = models.DecimalField(
        "上年实际利用内资（万元）", max_digits=14, decimal_places=2, validators=NON_NEGATIVE
    )
    source = models.CharField("数据来源", max_length=200)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)
    history = HistoricalRecords()

    scope_organization_lookup = "organization"
    scope_readers = frozenset({Role.ASSESSOR, Role.CITY_OFFICE})

    class Meta:
        verbose_name = "上年基数"
        verbose_name_plural = "上年基数"
        ordering = ["-year", "organization__directory_order"]
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="investment_base_once")]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}年基数"

    def clean(self) -> None:
        super().clean()
        if not (self.source or "").strip():
            raise ValidationError({"source": BASE_SOURCE_REQUIRED})


class TransitionLog(models.Model):
    """Who moved which object from which state to which, when, with what note — same transaction."""

    subject = models.CharField("对象", max_length=40, db_index=True)  # e.g. "evaluation:12"
    from_status = models.CharField("原状态", max_length=20)
    to_status = models.CharField("新状态", max_length=20)
    note = models.CharField("备注", max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "状态变更记录"
        verbose_name_plural = "状态变更记录"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.subject} {self.from_status}→{self.to_status}"
