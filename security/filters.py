import django_filters
from django import forms

from .models import AuditEvent


class AuditFilter(django_filters.FilterSet):
    """The 审计管理员's search: person, organization, kind and time (GB/T 22239-2019 8.1.4.3 b))."""

    username = django_filters.CharFilter(label="用户名", lookup_expr="icontains")
    organization = django_filters.CharFilter(label="单位", lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label="类别", choices=AuditEvent.Kind.choices)
    target = django_filters.CharFilter(label="对象/说明", method="search")
    after = django_filters.DateFilter(
        label="日期从",
        field_name="at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    before = django_filters.DateFilter(
        label="至", field_name="at", lookup_expr="date__lte", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = AuditEvent
        fields = ["username", "organization", "kind", "target", "after", "before"]

    def search(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(target__icontains=value) | Q(detail__icontains=value))
