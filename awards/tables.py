import django_tables2 as tables

from .models import Project


class ProjectTable(tables.Table):
    name = tables.Column(verbose_name="项目名称")
    planned_investment = tables.Column(
        verbose_name="年度计划投资（万元）", attrs={"td": {"class": "text-end"}}
    )
    actual_investment = tables.Column(
        verbose_name="年度完成投资（万元）", attrs={"td": {"class": "text-end"}}
    )
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
            "started",
            "completed",
        )
        order_by = ("-year",)
        attrs = {"class": "table table-sm table-striped"}
        empty_text = "暂无项目"


class EditableProjectTable(ProjectTable):
    """For the 填报员 who may edit: names link to the edit form."""

    name = tables.LinkColumn("awards:project_update", args=[tables.A("pk")], verbose_name="项目名称")
