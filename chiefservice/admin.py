from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import models, services


@admin.register(models.Officer)
class OfficerAdmin(SimpleHistoryAdmin):
    list_display = ["name", "unit", "role", "rank", "phone", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["name"]


@admin.register(models.ServedSubject)
class SubjectAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "credit_code", "district"]
    search_fields = ["name", "credit_code"]


@admin.register(models.Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    """The model validates (第九条); a new row also stops the 15-day clock and updates coverage, as the page does."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            services.assignment_recorded(obj)
        else:
            services.coverage_refresh([obj.subject_id])


for model in (
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
