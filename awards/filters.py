import django_filters

from .models import Category, Project

STATUS_CHOICES = (("not_started", "未开复工"), ("started", "已开复工"), ("completed", "已竣工"))


class ProjectFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label="年度")
    category = django_filters.ChoiceFilter(label="项目类别", choices=Category.choices)
    status = django_filters.ChoiceFilter(label="状态", choices=STATUS_CHOICES, method="filter_status")
    name = django_filters.CharFilter(label="项目名称", lookup_expr="icontains")

    class Meta:
        model = Project
        fields = ["year", "category", "status", "name"]

    def filter_status(self, queryset, name, value):
        if value == "not_started":
            return queryset.filter(started=False)
        if value == "started":
            return queryset.filter(started=True)
        if value == "completed":
            return queryset.filter(completed=True)
        return queryset
