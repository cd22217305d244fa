from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

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


class LockedYearAdminForm(forms.ModelForm):
    """The admin refuses what the pages refuse: no change to a year whose allocation has left 草稿."""

    def clean(self):
        from .services import locked_message

        data = super().clean()
        years = {data.get("year"), getattr(self.instance, "year", None) if self.instance.pk else None}
        for year in sorted(y for y in years if y):
            message = locked_message(year)
            if message:
                raise forms.ValidationError(message)
        return data


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    form = LockedYearAdminForm
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
    form = LockedYearAdminForm
    list_display = ("year", "entity", "target_count", "target_amount")
    list_filter = ("year",)
    list_select_related = ("entity",)


@admin.register(SchemeParameters)
class SchemeParametersAdmin(SimpleHistoryAdmin):
    form = LockedYearAdminForm
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
    """Read-only: every change goes through the workflow services; approvals cannot be deleted."""

    list_display = ("year", "revision", "status", "rate", "computed_at")
    list_filter = ("year", "status")
    inlines = [AllocationLineInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class NoDeleteAdmin(SimpleHistoryAdmin):
    """Approvals, disqualifications, clawbacks and the workflow log cannot be deleted."""

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AllocationLog)
class AllocationLogAdmin(NoDeleteAdmin):
    list_display = ("allocation", "action", "from_status", "to_status", "by", "at")
    list_filter = ("action",)
    list_select_related = ("allocation", "by")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Disqualification)
class DisqualificationAdmin(NoDeleteAdmin):
    list_display = ("line", "ground", "after_approval", "by", "at")
    list_select_related = ("line__entity", "line__allocation", "by")
    readonly_fields = ("line", "ground", "description", "document", "after_approval", "by")

    def has_add_permission(self, request):
        return False


@admin.register(Clawback)
class ClawbackAdmin(NoDeleteAdmin):
    list_display = ("disqualification", "amount", "status", "recovered_on", "voucher_no")
    list_filter = ("status",)
    readonly_fields = ("disqualification", "amount", "status", "recovered_on", "voucher_no", "recovered_by")

    def has_add_permission(self, request):
        return False
