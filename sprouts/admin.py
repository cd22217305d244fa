from django import forms
from django.contrib import admin

from orgs.admin import HistoryAdmin, ReadOnlyMixin, RecordAdmin
from orgs.models import Sector

from . import services
from .models import (
    Additive,
    Case,
    HandOver,
    PenaltyDecision,
    RoutingDecision,
    RoutingRule,
    SupervisionSettings,
)


class RoutingRuleForm(forms.ModelForm):
    cooperating_sectors = forms.MultipleChoiceField(
        label="配合部门", choices=Sector.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = RoutingRule
        fields = [
            "code",
            "clause",
            "title",
            "stage",
            "source",
            "criminal",
            "lead_sector",
            "cooperating_sectors",
            "territorial",
            "legal_basis",
            "priority",
            "valid_from",
            "valid_to",
        ]


@admin.register(RoutingRule)
class RoutingRuleAdmin(HistoryAdmin):
    """Editing a rule saves a new version (services.rule_revise); the old version is kept unchanged."""

    form = RoutingRuleForm
    list_display = [
        "clause",
        "title",
        "version",
        "is_current",
        "stage",
        "source",
        "criminal",
        "lead_sector",
        "territorial",
        "priority",
        "valid_from",
        "valid_to",
    ]
    list_filter = ["is_current", "clause"]
    readonly_fields = ["version", "is_current", "created_by", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        # A version belongs to its rule: the code stays fixed once the rule exists.
        return [*self.readonly_fields, "code"] if obj else self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False  # decisions point at rule versions; retire a rule with 失效日期 instead

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.is_current)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            obj._history_user = request.user
            obj.save()
            return
        original = RoutingRule.objects.get(pk=obj.pk)
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        revised = services.rule_revise(rule=original, by=request.user, **changes)
        obj.pk = revised.pk
        self.message_user(request, f"已生成新版本：第{revised.version}版；原版本保留不变。")


@admin.register(Additive)
class AdditiveAdmin(HistoryAdmin):
    list_display = ["name", "is_active", "order"]


@admin.register(SupervisionSettings)
class SupervisionSettingsAdmin(HistoryAdmin):
    list_display = ["__str__", "acknowledgement_days"]

    def has_add_permission(self, request):
        return not SupervisionSettings.objects.exists()


@admin.register(Case)
class CaseAdmin(RecordAdmin):
    """Cases move only through the case pages (logged, conditional updates)."""

    list_display = ["number", "business_name", "district", "stage", "lead_office", "status"]
    list_filter = ["status", "stage", "source"]
    search_fields = ["number", "business_name"]


@admin.register(HandOver)
class HandOverAdmin(RecordAdmin):
    list_display = [
        "case",
        "from_office",
        "to_office",
        "sent_at",
        "due_on",
        "acknowledged_at",
        "overdue",
        "reminded_at",
    ]

    @admin.display(description="逾期未接收", boolean=True)
    def overdue(self, obj) -> bool:
        return obj.is_overdue


@admin.register(RoutingDecision)
class RoutingDecisionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["case", "trigger", "lead_office", "decided_at"]


@admin.register(PenaltyDecision)
class PenaltyDecisionAdmin(RecordAdmin):
    """A 处罚决定 is recorded on its case's page, by an office working on the case (第一条)."""

    list_display = ["case", "decided_by_office", "document_number", "amount", "decided_on"]
    list_select_related = ["case", "decided_by_office"]
