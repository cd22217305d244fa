import django_filters

from orgs.models import Organization

from .models import (
    AccountabilityCase,
    LedgerEntry,
    Meeting,
    MonthlyReport,
    NewsArticle,
    Officer,
    OfficerChange,
    SatisfactionSurvey,
    ServedSubject,
)


class OfficerFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(label="姓名", lookup_expr="icontains")
    unit = django_filters.ModelChoiceFilter(label="派出单位", queryset=Organization.objects.all())

    class Meta:
        model = Officer
        fields = ["name", "unit", "role", "is_active"]


class SubjectFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(label="名称", lookup_expr="icontains")

    class Meta:
        model = ServedSubject
        fields = [
            "name",
            "kind",
            "district",
            "is_provincial_key",
            "is_provincial_top100",
            "is_city_key",
            "is_monitored",
        ]


class LedgerFilter(django_filters.FilterSet):
    received_from = django_filters.DateFilter(label="受理日期起", field_name="received_on", lookup_expr="gte")
    received_to = django_filters.DateFilter(label="受理日期止", field_name="received_on", lookup_expr="lte")
    unit = django_filters.ModelChoiceFilter(
        label="派出单位", field_name="officer__unit", queryset=Organization.objects.all()
    )

    class Meta:
        model = LedgerEntry
        fields = ["status", "kind", "unit", "received_from", "received_to"]


class MeetingFilter(django_filters.FilterSet):
    class Meta:
        model = Meeting
        fields = ["kind"]


class CaseFilter(django_filters.FilterSet):
    class Meta:
        model = AccountabilityCase
        fields = ["status", "item"]


class ChangeFilter(django_filters.FilterSet):
    class Meta:
        model = OfficerChange
        fields = ["kind"]


class ReportFilter(django_filters.FilterSet):
    class Meta:
        model = MonthlyReport
        fields = ["year", "month"]


class ArticleFilter(django_filters.FilterSet):
    class Meta:
        model = NewsArticle
        fields = ["year", "quarter"]


class SurveyFilter(django_filters.FilterSet):
    class Meta:
        model = SatisfactionSurvey
        fields = ["method", "answer"]
