import django_tables2 as tables

from .models import ExportJob


class ExportJobTable(tables.Table):
    title = tables.LinkColumn("orgs:export_detail", args=[tables.A("pk")], verbose_name="名称")

    class Meta:
        model = ExportJob
        fields = ["title", "status", "progress", "created_at", "finished_at"]
        order_by = "-created_at"
