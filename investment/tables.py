import django_tables2 as tables

from orgs.people import person_name

from .models import Project, SelfEvaluation, SpotCheck, TargetSet


class TargetSetTable(tables.Table):
    year = tables.LinkColumn("investment:target_detail", args=[tables.A("pk")], verbose_name="年度")

    class Meta:
        model = TargetSet
        fields = ["year", "version", "status", "document_number", "issued_on", "issuer", "reason"]
        order_by = ["-year", "-version"]


class ProjectTable(tables.Table):
    name = tables.LinkColumn("investment:project_detail", args=[tables.A("pk")])

    class Meta:
        model = Project
        fields = [
            "organization",
            "year",
            "name",
            "investor",
            "source",
            "signed_on",
            "contract_wan",
            "is_leading",
            "started_on",
            "received_foreign_musd",
            "received_domestic_wan",
        ]
        order_by = ["organization", "-year", "name"]


class EvaluationTable(tables.Table):
    organization = tables.LinkColumn("investment:evaluation_detail", args=[tables.A("pk")])
    waiting_for = tables.Column("待办方", orderable=False)

    class Meta:
        model = SelfEvaluation
        fields = ["organization", "year", "status", "due_on", "submitted_at", "is_late", "waiting_for"]
        order_by = ["-year", "organization"]


class SpotCheckTable(tables.Table):
    class Meta:
        model = SpotCheck
        fields = ["year", "organization", "checked_on", "findings", "falsified", "supplier", "recorded_by"]
        order_by = ["-checked_on"]

    def render_recorded_by(self, value):
        return person_name(value)
