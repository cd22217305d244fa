import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator

from . import rules, selectors
from .models import (
    AccountabilityCase,
    Assignment,
    LedgerEntry,
    Meeting,
    MonthlyReport,
    NewsArticle,
    Officer,
    OfficerChange,
    SatisfactionSurvey,
    ServedSubject,
    report_due_day,
)


class OfficerTable(tables.Table):
    name = tables.LinkColumn("chiefservice:officer_detail", args=[tables.A("pk")])

    class Meta:
        model = Officer
        fields = ["name", "unit", "role", "rank", "position", "phone", "is_active"]
        order_by = ["unit", "role"]


class AssignmentTable(tables.Table):
    """An officer's subjects (服务对象) on the officer's page."""

    subject = tables.LinkColumn("chiefservice:subject_detail", args=[tables.A("subject_id")])

    class Meta:
        model = Assignment
        fields = ["subject", "mode", "start_on", "end_on"]
        order_by = "-start_on"
        empty_text = "暂无"


class SubjectTable(tables.Table):
    name = tables.LinkColumn("chiefservice:subject_detail", args=[tables.A("pk")])
    flags = tables.Column("重点标识", accessor="pk", orderable=False)
    officers = tables.Column("服务员", accessor="pk", orderable=False)

    class Meta:
        model = ServedSubject
        fields = ["name", "kind", "credit_code", "district", "grid", "size", "flags", "officers"]

    def render_flags(self, record):
        return "、".join(record.key_flags()) or "—"

    def render_officers(self, record):
        active = getattr(record, "active_assignments", [])
        return "、".join(a.officer.name for a in active) or "未配置"


class CoverageTable(SubjectTable):
    default_unit = tables.Column("默认派出单位", accessor="pk", orderable=False)

    class Meta(SubjectTable.Meta):
        fields = ["name", "kind", "credit_code", "district", "grid", "flags", "default_unit"]
        exclude = ["officers", "size"]

    def render_default_unit(self, record):
        """第九条: 个体工商户 get their liaison from 市场监管 unless another body supervises them."""
        return (
            rules.default_liaison_unit_name(subject_kind=record.kind, district_name=record.district.name)
            or "—"
        )


class LedgerTable(tables.Table):
    id = tables.LinkColumn("chiefservice:ledger_detail", args=[tables.A("pk")], verbose_name="编号")
    description = tables.Column("内容", orderable=False)

    class Meta:
        model = LedgerEntry
        fields = [
            "id",
            "received_on",
            "officer",
            "subject",
            "kind",
            "description",
            "status",
            "due_on",
            "closed_on",
        ]

    def render_officer(self, record):
        return f"{record.officer.name}（{record.officer.unit.name}）"

    def render_description(self, value):
        return value[:40]


class MonthEntryTable(tables.Table):
    """A unit's ledger of one month (月度台账, 第二十一条) on its report's page, as it stood at the month's end:
    the rows written at submission, or (before) the month's end read now (``selectors.report_rows``)."""

    number = tables.Column("序号")
    entry_id = tables.LinkColumn(
        "chiefservice:ledger_detail", args=[tables.A("entry_id")], verbose_name="编号", orderable=False
    )
    received_on = tables.DateColumn(verbose_name="受理日期")
    officer = tables.Column("服务员")
    subject = tables.Column("服务对象")
    description = tables.Column("内容", orderable=False)
    status = tables.Column("月末状态", orderable=False)
    position = tables.Column("本月情况", orderable=False)

    class Meta:
        empty_text = "本月无台账事项。"

    def render_description(self, value):
        return Truncator(value).chars(40)


class ReportTable(tables.Table):
    """The figures come from ``selectors.report_figures``, as on each report's page (第二十一条)."""

    month = tables.LinkColumn(
        "chiefservice:report_detail", args=[tables.A("pk")], text=lambda r: f"{r.year}年{r.month}月"
    )
    state = tables.Column("报送情况", accessor="pk", orderable=False)
    carried_over = tables.Column("上月结转", accessor="pk", orderable=False)
    new = tables.Column("本月新增", accessor="pk", orderable=False)
    closed = tables.Column("本月销号", accessor="pk", orderable=False)
    open_at_end = tables.Column("月末未销号", accessor="pk", orderable=False)

    class Meta:
        model = MonthlyReport
        fields = [
            "unit",
            "month",
            "due_on",
            "submitted_at",
            "state",
            "carried_over",
            "new",
            "closed",
            "open_at_end",
        ]

    def _figures(self, record) -> dict:
        cache = getattr(self, "_figure_cache", None)
        if cache is None or record.pk not in cache:
            rows = self.page.object_list if getattr(self, "page", None) else self.rows
            cache = self._figure_cache = selectors.report_figures([row.record for row in rows])
        return cache[record.pk]

    def render_state(self, record):
        if record.submitted_at is not None:
            return "已报送"
        overdue = rules.monthly_report_overdue(
            year=record.year,
            month=record.month,
            submitted=False,
            today=timezone.localdate(),
            due_day=report_due_day(),
        )
        return format_html('<span class="badge bg-danger">已超期</span> 未报送') if overdue else "未报送"

    def render_carried_over(self, record):
        return self._figures(record)["carried_over"]

    def render_new(self, record):
        return self._figures(record)["new"]

    def render_closed(self, record):
        return self._figures(record)["closed"]

    def render_open_at_end(self, record):
        return self._figures(record)["open_at_end"]


class ChangeTable(tables.Table):
    class Meta:
        model = OfficerChange
        fields = [
            "changed_on",
            "unit",
            "kind",
            "previous",
            "replacement",
            "recall_ground",
            "reason",
            "reported_at",
        ]


class MeetingTable(tables.Table):
    title = tables.LinkColumn("chiefservice:meeting_detail", args=[tables.A("pk")])
    items = tables.Column("议程数", accessor="pk", orderable=False)

    class Meta:
        model = Meeting
        fields = ["held_on", "kind", "title", "items"]

    def render_items(self, record):
        return len(record.items.all())


class ArticleTable(tables.Table):
    class Meta:
        model = NewsArticle
        # 类别 says whether it counts (a chief's article) or is 工作信息 (第二十四条).
        fields = ["year", "quarter", "officer", "title", "submitted_on", "category"]


class SurveyTable(tables.Table):
    class Meta:
        model = SatisfactionSurvey
        fields = ["surveyed_on", "officer", "subject", "method", "answer"]


class CaseTable(tables.Table):
    id = tables.LinkColumn("chiefservice:case_detail", args=[tables.A("pk")], verbose_name="编号")
    item = tables.Column("情形")

    class Meta:
        model = AccountabilityCase
        fields = ["id", "opened_on", "officer", "item", "status", "exemption_decision", "decision"]

    def render_item(self, value):
        return value[:30]
