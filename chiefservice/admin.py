"""The roster, the ledger and their records change only through their pages (第十一条 change records,
第十八条 ledger steps, accountability): read-only here (``orgs.admin.RecordAdmin``)."""

from django.contrib import admin

from orgs.admin import RecordAdmin

from . import models


@admin.register(models.Officer)
class OfficerAdmin(RecordAdmin):
    list_display = ["name", "unit", "role", "rank", "phone", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["name"]


@admin.register(models.ServedSubject)
class SubjectAdmin(RecordAdmin):
    list_display = ["name", "kind", "credit_code", "district"]
    search_fields = ["name", "credit_code"]


for model in (
    models.Assignment,
    models.OfficerChange,
    models.LedgerEntry,
    models.MonthlyReport,
    models.MonthlyReportRow,
    models.Meeting,
    models.AgendaItem,
    models.NewsArticle,
    models.SatisfactionSurvey,
    models.AccountabilityCase,
):
    admin.site.register(model, RecordAdmin)
