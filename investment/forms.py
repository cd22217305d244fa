from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.forms import modelformset_factory

from .models import (
    CountyTarget,
    IncentiveProposal,
    IndicatorReview,
    Issuer,
    MunicipalTargetLine,
    Project,
    ScoreWeight,
    SelfEvaluation,
    SpotCheck,
    YearParameters,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NoTagHelper(FormHelper):
    form_tag = False


class TargetSetCreateForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    reason = forms.CharField(
        label="调整原因",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="调整已下达指标时必填",
    )


class TargetIssueForm(forms.Form):
    document_number = forms.CharField(label="下达文号", max_length=60)
    issued_on = forms.DateField(label="下达日期", widget=DATE)
    issuer = forms.ChoiceField(label="下达单位", choices=Issuer.choices, initial=Issuer.CITY_OFFICE)


CountyTargetFormSet = modelformset_factory(
    CountyTarget,
    fields=["foreign_musd", "domestic_yi", "signing_yi", "new_projects", "leading_share_pct"],
    extra=0,
)

MunicipalLineFormSet = modelformset_factory(
    MunicipalTargetLine,
    fields=["organization", "order", "line", "size_wan", "at_least", "count"],
    extra=2,
    can_delete=True,
)


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = [
            "year",
            "name",
            "investor",
            "source",
            "signed_on",
            "contract_wan",
            "industry",
            "is_leading",
            "started_on",
            "received_foreign_musd",
            "received_domestic_wan",
        ]
        widgets = {"signed_on": DATE, "started_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NoTagHelper()


class ProjectUploadForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    file = forms.FileField(label="Excel 文件（.xlsx）")


class EvidenceForm(forms.Form):
    file = forms.FileField(label="佐证材料（PDF、JPG、PNG 或 xlsx）")


class ReportForm(forms.ModelForm):
    class Meta:
        model = SelfEvaluation
        fields = ["report"]
        widgets = {"report": forms.Textarea(attrs={"rows": 8})}


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="审核结论", choices=[("accept", "认可"), ("correct", "核减/更正")], widget=forms.RadioSelect
    )
    corrected = forms.DecimalField(
        label="核定值", required=False, max_digits=14, decimal_places=2, min_value=0
    )
    comment = forms.CharField(label="审核意见", required=False, max_length=300)

    def __init__(self, *args, review: IndicatorReview | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.review = review


class KpbForm(forms.ModelForm):
    class Meta:
        model = SelfEvaluation
        fields = ["kpb_score", "kpb_result"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kpb_score"].required = True


class SpotCheckForm(forms.ModelForm):
    class Meta:
        model = SpotCheck
        fields = ["year", "organization", "checked_on", "findings", "falsified", "supplier"]
        widgets = {"checked_on": DATE, "findings": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NoTagHelper()


class ProposalForm(forms.ModelForm):
    class Meta:
        model = IncentiveProposal
        fields = ["year", "pool_wan", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NoTagHelper()


class YearParametersForm(forms.ModelForm):
    class Meta:
        model = YearParameters
        fields = ["deadline", "foreign_major_musd", "domestic_major_yi", "reminder_days"]
        widgets = {"deadline": DATE}


WeightFormSet = modelformset_factory(ScoreWeight, fields=["weight", "cap_pct"], extra=0)
