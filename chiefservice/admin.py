from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import models


@admin.register(models.Officer)
class OfficerAdmin(SimpleHistoryAdmin):
    list_display = ["name", "unit", "role", "rank", "phone", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["name"]


@admin.register(models.ServedSubject)
class SubjectAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "credit_code", "district"]
    search_fields = ["name", "credit_code"]


for model in (
    models.Assignment,
    models.OfficerChange,
    models.LedgerEntry,
    models.MonthlyReport,
    models.Meeting,
    models.AgendaItem,
    models.NewsArticle,
    models.SatisfactionSurvey,
    models.AccountabilityCase,
):
    admin.site.register(model, SimpleHistoryAdmin)
