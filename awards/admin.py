from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Allocation, AllocationLine, IndustrialTarget, Project, SchemeParameters


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = (
        "year",
        "name",
        "category",
        "entity",
        "planned_investment",
        "actual_investment",
        "started",
        "completed",
    )
    list_filter = ("year", "category", "started", "completed")
    search_fields = ("name", "entity__name")
    list_select_related = ("entity",)


@admin.register(IndustrialTarget)
class IndustrialTargetAdmin(SimpleHistoryAdmin):
    list_display = ("year", "entity", "target_count", "target_amount")
    list_filter = ("year",)
    list_select_related = ("entity",)


@admin.register(SchemeParameters)
class SchemeParametersAdmin(SimpleHistoryAdmin):
    list_display = ("year", "rate", "updated_at")


class AllocationLineInline(admin.TabularInline):
    model = AllocationLine
    extra = 0
    fields = (
        "entity",
        "group",
        "raw_score",
        "converted_score",
        "rank",
        "tier",
        "computed_amount",
        "final_amount",
    )
    readonly_fields = fields
    can_delete = False


@admin.register(Allocation)
class AllocationAdmin(SimpleHistoryAdmin):
    list_display = ("year", "revision", "status", "rate", "computed_at")
    list_filter = ("year", "status")
    inlines = [AllocationLineInline]
    readonly_fields = ("status",)
