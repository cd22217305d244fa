"""Every award record carries money, a state or an approval: read-only here (``orgs.admin.RecordAdmin``)."""

from django.contrib import admin

from orgs.admin import ReadOnlyInline, RecordAdmin

from .models import (
    Allocation,
    AllocationLine,
    AllocationLog,
    Clawback,
    Disqualification,
    IndustrialTarget,
    Project,
    SchemeParameters,
)


@admin.register(Project)
class ProjectAdmin(RecordAdmin):
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
class IndustrialTargetAdmin(RecordAdmin):
    list_display = ("year", "entity", "target_count", "target_amount")
    list_filter = ("year",)
    list_select_related = ("entity",)


@admin.register(SchemeParameters)
class SchemeParametersAdmin(RecordAdmin):
    list_display = ("year", "rate", "updated_at")


class AllocationLineInline(ReadOnlyInline):
    model = AllocationLine
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


@admin.register(Allocation)
class AllocationAdmin(RecordAdmin):
    list_display = ("year", "revision", "status", "rate", "computed_at")
    list_filter = ("year", "status")
    inlines = [AllocationLineInline]


@admin.register(AllocationLog)
class AllocationLogAdmin(RecordAdmin):
    list_display = ("allocation", "action", "from_status", "to_status", "by", "at")
    list_filter = ("action",)
    list_select_related = ("allocation", "by")


@admin.register(Disqualification)
class DisqualificationAdmin(RecordAdmin):
    list_display = ("line", "ground", "after_approval", "by", "at")
    list_select_related = ("line__entity", "line__allocation", "by")


@admin.register(Clawback)
class ClawbackAdmin(RecordAdmin):
    list_display = ("disqualification", "amount", "status", "recovered_on", "voucher_no")
    list_filter = ("status",)
