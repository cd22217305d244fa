import django_tables2 as tables
from django.utils.html import format_html

from .models import Category, Project

TOTAL_MISSING = "待补充计划总投资"


class ProjectTable(tables.Table):
    name = tables.Column(verbose_name="项目名称")

    def render_category(self, value, record):
        # 15号 四(三): a 产业项目 recorded before 计划总投资 was asked for is flagged for 发改委 to complete.
        if record.category == Category.IND and record.total_investment is None:
            return format_html('{} <span class="badge text-bg-warning">{}</span>', value, TOTAL_MISSING)
        return value

    planned_investment = tables.Column(
        verbose_name="年度计划投资（万元）", attrs={"td": {"class": "text-end"}}
    )
    actual_investment = tables.Column(
        verbose_name="年度完成投资（万元）", attrs={"td": {"class": "text-end"}}
    )
    statistics = tables.Column(
        verbose_name="入统年度完成投资（万元，计分）",
        accessor="statistics_investment",
        default="未导入",
        attrs={"td": {"class": "text-end"}},
        orderable=False,
    )
    verification = tables.Column(verbose_name="核实状态")

    def render_statistics(self, value, record):
        # awards spec, "verified facts": the statistics figure is scored; a difference shows both figures
        scored = record.scored_investment
        if record.differs_from_statistics:
            return format_html(
                '<span class="badge text-bg-warning">与申报数不同</span> {}（申报 {}）',
                scored,
                record.actual_investment,
            )
        return scored

    single = tables.BooleanColumn(verbose_name="单体", yesno="是,否")
    started = tables.BooleanColumn(verbose_name="开复工", yesno="是,否")
    completed = tables.BooleanColumn(verbose_name="竣工", yesno="是,否")

    class Meta:
        model = Project
        fields = (
            "year",
            "name",
            "category",
            "entity",
            "single",
            "planned_investment",
            "actual_investment",
            "statistics",
            "started",
            "completed",
            "verification",
        )
        order_by = ("-year",)
        attrs = {"class": "table table-sm table-striped"}
        empty_text = "暂无项目"


class EditableProjectTable(ProjectTable):
    """For the 填报员 who may edit: names link to the edit form."""

    name = tables.LinkColumn("awards:project_update", args=[tables.A("pk")], verbose_name="项目名称")
