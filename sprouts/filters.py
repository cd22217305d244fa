import django_filters
from django import forms
from django.db.models import Q

from orgs.models import Organization, OrganizationKind

from . import selectors
from .choices import Outcome, Source, Stage, Status
from .models import Case


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="经营者/编号", method="search")
    district = django_filters.ModelChoiceFilter(
        label="县（区）", queryset=Organization.objects.filter(kind=OrganizationKind.COUNTY)
    )
    stage = django_filters.ChoiceFilter(label="环节", choices=Stage.choices)
    source = django_filters.ChoiceFilter(label="来源", choices=Source.choices)
    status = django_filters.ChoiceFilter(label="状态", choices=Status.choices)
    outcome = django_filters.ChoiceFilter(label="办理结果", choices=Outcome.choices)
    found_after = django_filters.DateFilter(
        label="发现日期从",
        field_name="found_on",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    found_before = django_filters.DateFilter(
        label="至", field_name="found_on", lookup_expr="lte", widget=forms.DateInput(attrs={"type": "date"})
    )

    overdue = django_filters.BooleanFilter(
        label="逾期未接收",
        method="filter_overdue",
        widget=forms.Select(choices=[("", "全部"), ("true", "是"), ("false", "否")]),
    )

    class Meta:
        model = Case
        fields = ["q", "district", "stage", "source", "status", "outcome"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(business_name__icontains=value) | Q(number__icontains=value))

    def filter_overdue(self, queryset, name, value):
        # Overdue as of today, computed here as on the case page and in the 待办 (selectors.overdue_q).
        return selectors.cases_with_overdue_handovers(queryset, overdue=value)
