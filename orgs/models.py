from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from simple_history.models import HistoricalRecords

from .people import person_name
from .validators import LONG_TEXT, validate_business_date, validate_internal_path


class OrganizationKind(models.TextChoices):
    COUNTY = "county", "县（区）级"
    MUNICIPAL = "municipal", "市直单位"
    PROVINCIAL = "provincial", "驻双中省直单位"
    OFFICE = "office", "办事机构/服务中心"
    COUNTY_DEPARTMENT = "county_department", "县（区）部门"


class Sector(models.TextChoices):
    """The supervising line an office belongs to (双政办规〔2020〕15号: 市场监管 / 农业 / 公安)."""

    MARKET = "market", "市场监管"
    AGRICULTURE = "agriculture", "农业"
    POLICE = "police", "公安"


class AwardGroup(models.IntegerChoices):
    """双政办发〔2020〕15号 五: 第一组 县（区）及市经开区, 第二组 市直牵头单位."""

    COUNTY = 1, "第一组"
    MUNICIPAL = 2, "第二组"


class Organization(models.Model):
    """An organization of the city directory: county-level units, 市直 units, offices and their branches."""

    name = models.CharField("名称", max_length=100, unique=True)
    aliases = models.JSONField("别名", default=list, blank=True, help_text="导入时可匹配的其他名称")
    kind = models.CharField("类别", max_length=20, choices=OrganizationKind.choices)
    award_group = models.PositiveSmallIntegerField(
        "奖励分组", choices=AwardGroup.choices, null=True, blank=True
    )
    sector = models.CharField("监管条线", max_length=20, choices=Sector.choices, blank=True)
    district = models.ForeignKey(
        "self",
        verbose_name="所属县（区）",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": OrganizationKind.COUNTY},
    )
    directory_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("有效", default=True)
    history = HistoricalRecords()

    # orgs.access: a user sees their own organization; city-wide readers see all.
    scope_organization_lookup = "self"

    class Meta:
        verbose_name = "组织机构"
        verbose_name_plural = "组织机构"
        ordering = ["directory_order", "name"]

    def __str__(self) -> str:
        return self.name

    def matches(self, text: str) -> bool:
        text = text.strip()
        return text == self.name or text in self.aliases


class Membership(models.Model):
    """The one organization a user works for; it decides which rows the user sees."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership", verbose_name="用户"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="memberships", verbose_name="所属单位"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "单位成员"
        verbose_name_plural = "单位成员"

    def __str__(self) -> str:
        return f"{person_name(self.user)} @ {self.organization}"


class Notification(models.Model):
    """An in-app notice: what happened and where to act. Written only by ``orgs.notifications.notify``."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name="接收人",
    )
    event = models.CharField("事件", max_length=60)
    text = models.CharField("内容", max_length=300)
    url = models.CharField("链接", max_length=300, blank=True, validators=[validate_internal_path])
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)
    # One notice per (recipient, event key): a retried task or a re-sent form never notifies twice.
    dedupe_key = models.CharField(max_length=200)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], name="notification_once_per_recipient"
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.text


class ExportJob(models.Model):
    """A large export built by a Celery worker; the requester follows its progress and downloads the file."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "生成中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    kind = models.CharField("导出类型", max_length=60)
    title = models.CharField("名称", max_length=200)
    params = models.JSONField("参数", default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs", verbose_name="申请人"
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveIntegerField("已写行数", default=0)
    total = models.PositiveIntegerField("总行数", null=True, blank=True)
    file = models.FileField("文件", upload_to="exports/", blank=True)
    error = models.TextField(
        "错误", blank=True, max_length=LONG_TEXT, validators=[MaxLengthValidator(LONG_TEXT)]
    )
    attempts = models.PositiveSmallIntegerField("执行次数", default=0)
    created_at = models.DateTimeField("申请时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "导出任务"
        verbose_name_plural = "导出任务"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["requested_by", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return 0
        return min(99, self.progress * 100 // self.total)


class IssuedPaper(models.Model):
    """A paper an office issued under its own 发文字号 (GB/T 9704-2012 7.2.4: 机关代字、年份、发文顺序号).

    The number is allocated once, when the paper is issued, and kept: every later download prints the same
    number. Numbers run per 机关代字 and year, so every document type of one office (its ``series`` in
    ``settings.DOCUMENT_SERIES``) draws from one sequence.
    """

    series = models.CharField("文种", max_length=50)
    subject = models.CharField("所发文件", max_length=100)
    prefix = models.CharField("机关代字", max_length=20)
    year = models.PositiveIntegerField("年份")
    number = models.PositiveIntegerField("发文顺序号")
    title = models.CharField("标题", max_length=200)
    issued_on = models.DateField("印发日期", validators=[validate_business_date])
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="印发人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "发文登记"
        verbose_name_plural = "发文登记"
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year", "number"], name="issued_paper_unique_number"),
            models.UniqueConstraint(fields=["series", "subject"], name="issued_paper_once"),
        ]

    def __str__(self) -> str:
        return self.document_no

    @property
    def document_no(self) -> str:
        """双政办发〔2031〕1号: 年份 in 六角括号, no leading zero on the sequence number (7.2.4)."""
        return f"{self.prefix}〔{self.year}〕{self.number}号"
