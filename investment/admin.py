from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    CountyTarget,
    Evidence,
    IncentiveProposal,
    IndicatorReview,
    MunicipalTargetLine,
    Project,
    Publication,
    ScoreWeight,
    SelfEvaluation,
    SpotCheck,
    TargetSet,
    TransitionLog,
    YearParameters,
)


@admin.register(TargetSet)
class TargetSetAdmin(SimpleHistoryAdmin):
    list_display = ["year", "version", "status", "document_number", "issued_on", "issuer"]
    list_filter = ["year", "status"]
    # Issued targets are read-only: the state changes only through the 下达 service.
    readonly_fields = ["status"]

    def has_change_permission(self, request, obj=None):
        return obj is None or not obj.is_issued

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.is_issued


@admin.register(CountyTarget, MunicipalTargetLine)
class TargetRowAdmin(SimpleHistoryAdmin):
    list_display = ["target_set", "organization", "order"]
    list_select_related = ["target_set", "organization"]

    def has_change_permission(self, request, obj=None):
        return obj is None or not obj.target_set.is_issued

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.target_set.is_issued


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organization", "year", "source", "contract_wan"]
    list_filter = ["year", "source"]
    list_select_related = ["organization"]
    search_fields = ["name", "investor"]


@admin.register(YearParameters)
class YearParametersAdmin(SimpleHistoryAdmin):
    list_display = ["year", "deadline", "foreign_major_musd", "domestic_major_yi", "reminder_days"]


@admin.register(ScoreWeight)
class ScoreWeightAdmin(SimpleHistoryAdmin):
    list_display = ["year", "indicator", "weight", "cap_pct"]
    list_filter = ["year"]


@admin.register(SelfEvaluation)
class SelfEvaluationAdmin(SimpleHistoryAdmin):
    list_display = ["organization", "year", "status", "is_late", "submitted_at"]
    list_filter = ["year", "status", "is_late"]
    readonly_fields = ["status"]


admin.site.register(
    [Evidence, IndicatorReview, SpotCheck, Publication, IncentiveProposal], SimpleHistoryAdmin
)


@admin.register(TransitionLog)
class TransitionLogAdmin(admin.ModelAdmin):
    list_display = ["subject", "from_status", "to_status", "by", "at", "note"]
    search_fields = ["subject"]
