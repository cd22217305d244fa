"""会商 meetings and their agenda (第十七条), and articles (第二十四条)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from simple_history.models import HistoricalRecords

from orgs.validators import LONG_TEXT, validate_business_date

from .ledger import LedgerEntry
from .roster import BUSINESS_OFFICE_READERS, Officer


class MeetingKind(models.TextChoices):
    REGULAR = "regular", "例会"
    SPECIAL = "special", "专题工作会商会议"


class Meeting(models.Model):
    """会商会议 (第十七条), convened by 营商办: at least one regular meeting per quarter."""

    kind = models.CharField("类别", max_length=10, choices=MeetingKind.choices)
    held_on = models.DateField("会议日期", db_index=True, validators=[validate_business_date])
    title = models.CharField("议题", max_length=120)
    summary = models.TextField(
        "会议决定", blank=True, max_length=LONG_TEXT, validators=[MaxLengthValidator(LONG_TEXT)]
    )
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
    decision = models.TextField(
        "决定事项", blank=True, max_length=LONG_TEXT, validators=[MaxLengthValidator(LONG_TEXT)]
    )
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
    submitted_on = models.DateField("报送日期", validators=[validate_business_date])
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
