import django_tables2 as tables

from .models import Case, RoutingRule


class CaseTable(tables.Table):
    number = tables.LinkColumn("sprouts:case_detail", args=[tables.A("pk")], verbose_name="案件编号")
    waiting = tables.Column(verbose_name="当前等待", accessor="waiting_for", orderable=False)

    class Meta:
        model = Case
        fields = [
            "number",
            "found_on",
            "district",
            "stage",
            "source",
            "business_name",
            "lead_office",
            "status",
            "outcome",
            "waiting",
        ]
        order_by = ("-found_on",)
        attrs = {"class": "table table-sm table-hover align-middle", "id": "case-table"}
        empty_text = "暂无可见的案件。"


class RuleTable(tables.Table):
    cooperating = tables.Column(verbose_name="配合部门", accessor="cooperating_labels", orderable=False)
    criminal = tables.BooleanColumn(verbose_name="涉嫌犯罪", null=True)

    class Meta:
        model = RoutingRule
        fields = [
            "clause",
            "title",
            "version",
            "is_current",
            "stage",
            "source",
            "criminal",
            "lead_sector",
            "cooperating",
            "territorial",
            "priority",
            "valid_from",
            "valid_to",
            "legal_basis",
        ]
        orderable = False
        attrs = {"class": "table table-sm align-middle", "id": "rule-table"}
