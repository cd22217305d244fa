"""Targets, scores, evaluations and their approvals change only through the 招商引资 pages: read-only here
(``orgs.admin.RecordAdmin``)."""

from django.contrib import admin

from orgs.admin import ReadOnlyMixin, RecordAdmin

from .models import (
    CountyTarget,
    Evidence,
    IncentiveProposal,
    IndicatorReview,
    MunicipalTargetLine,
    PreviousYearBase,
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
class TargetSetAdmin(RecordAdmin):
    list_display = ["year", "version", "status", "document_number", "issued_on", "issuer"]
    list_filter = ["year", "status"]


@admin.register(CountyTarget, MunicipalTargetLine)
class TargetRowAdmin(RecordAdmin):
    list_display = ["target_set", "organization", "order"]
    list_select_related = ["target_set", "organization"]


@admin.register(Project)
class ProjectAdmin(RecordAdmin):
    list_display = ["name", "organization", "year", "source", "contract_wan"]
    list_filter = ["year", "source"]
    list_select_related = ["organization"]
    search_fields = ["name", "investor"]


@admin.register(YearParameters)
class YearParametersAdmin(RecordAdmin):
    list_display = ["year", "deadline", "foreign_major_musd", "domestic_major_yi", "reminder_days"]


@admin.register(ScoreWeight)
class ScoreWeightAdmin(RecordAdmin):
    list_display = ["year", "indicator", "weight", "cap_pct"]
    list_filter = ["year"]


@admin.register(SelfEvaluation)
class SelfEvaluationAdmin(RecordAdmin):
    list_display = ["organization", "year", "status", "is_late", "submitted_at"]
    list_filter = ["year", "status", "is_late"]


admin.site.register(
    [Evidence, IndicatorReview, SpotCheck, Publication, IncentiveProposal, PreviousYearBase], RecordAdmin
)


@admin.register(TransitionLog)
class TransitionLogAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["subject", "from_status", "to_status", "by", "at", "note"]
    search_fields = ["subject"]
