import django_filters

from .models import EvaluationStatus, Project, SelfEvaluation, Source


class ProjectFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label="年度")
    source = django_filters.ChoiceFilter(label="资金来源", choices=Source.choices)
    name = django_filters.CharFilter(label="项目名称", lookup_expr="icontains")

    class Meta:
        model = Project
        fields = ["year", "source", "name"]


class EvaluationFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label="年度")
    status = django_filters.ChoiceFilter(label="状态", choices=EvaluationStatus.choices)

    class Meta:
        model = SelfEvaluation
        fields = ["year", "status"]
