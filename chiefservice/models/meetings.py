"""会商 meetings and their agenda (第十七条), and articles (第二十四条)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from orgs.validators import LONG_TEXT, validate_business_date

from .. import rules
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

    def clean(self) -> None:
        """第十七条: a decision is taken at the meeting, so it is recorded on or after the meeting's date."""
        super().clean()
        if self.decided_at and self.meeting_id and timezone.localdate(self.decided_at) < self.meeting.held_on:
            raise ValidationError(
                {"decision": rules.DECISION_BEFORE_MEETING.format(held_on=self.meeting.held_on)}
            )


class ArticleCategory(models.TextChoices):
    """第二十四条 各首席服务员: a chief's article counts for the quarter; anyone else's is 工作信息."""

    NEWS = "news", "新闻宣传稿件"
    WORK_INFO = "work_info", "工作信息（不计入季度稿件）"


class NewsArticle(models.Model):
    """第二十四条: each chief (首席服务员) submits one news article per quarter; anyone may send more at any time."""

    officer = models.ForeignKey(
        Officer, verbose_name="服务员", on_delete=models.PROTECT, related_name="articles"
    )
    # The quarter comes from the article's date (第二十四条 每季度), never typed in.
    year = models.PositiveSmallIntegerField("年度", editable=False)
    quarter = models.PositiveSmallIntegerField(
        "季度", choices=[(1, "一季度"), (2, "二季度"), (3, "三季度"), (4, "四季度")], editable=False
    )
    title = models.CharField("标题", max_length=120)
    submitted_on = models.DateField("报送日期", validators=[validate_business_date])
    # Who wrote it decides whether it counts, as the officer's post stood when it was recorded.
    category = models.CharField(
        "类别", max_length=20, choices=ArticleCategory.choices, default=ArticleCategory.NEWS, editable=False
    )
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

    @property
    def counts_for_quarter(self) -> bool:
        return self.category == ArticleCategory.NEWS

    def clean(self) -> None:
        """The quarter from the date; no date after today; a chief's article counts, a liaison's is 工作信息."""
        super().clean()
        if self.submitted_on:
            today = timezone.localdate()
            if self.submitted_on > today:
                raise ValidationError(
                    {"submitted_on": rules.DATE_IN_THE_FUTURE.format(label="报送日期", today=today)}
                )
            self.year, self.quarter = rules.quarter_of(self.submitted_on)
        if self.officer_id and self.pk is None and self.submitted_on:
            # The writer's post on the article's date: a chief changed later still wrote it as the chief.
            officer = self.officer
            chief = officer.role == rules.CHIEF and (
                officer.ended_on is None or officer.ended_on >= self.submitted_on
            )
            self.category = ArticleCategory.NEWS if chief else ArticleCategory.WORK_INFO
