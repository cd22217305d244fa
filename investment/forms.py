from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.forms import modelformset_factory

from orgs.forms import CleanForm, CleanModelForm, ModelMultipleChoiceField
from orgs.models import Organization
from orgs.validators import SHORT_TEXT, validate_business_date

from . import selectors
from .models import (
    MUNICIPAL_KINDS,
    CountyTarget,
    IncentiveProposal,
    IndicatorReview,
    Issuer,
    MunicipalTargetLine,
    PreviousYearBase,
    Project,
    ScoreWeight,
    SelfEvaluation,
    SpotCheck,
    YearParameters,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NoTagHelper(FormHelper):
    form_tag = False


class TargetSetCreateForm(CleanForm):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    reason = forms.CharField(
        max_length=SHORT_TEXT,
        label="调整原因",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="调整已下达指标时必填",
    )


class TargetIssueForm(CleanForm):
    document_number = forms.CharField(label="下达文号", max_length=60)
    issued_on = forms.DateField(label="下达日期", widget=DATE, validators=[validate_business_date])
    issuer = forms.ChoiceField(label="下达单位", choices=Issuer.choices, initial=Issuer.CITY_OFFICE)


CountyTargetFormSet = modelformset_factory(
    CountyTarget,
    form=CleanModelForm,
    fields=["foreign_musd", "domestic_yi", "signing_yi", "new_projects", "leading_share_pct"],
    extra=0,
)


class MunicipalLineForm(CleanModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # 表（二） lists 市直承标单位 only: only they are offered, and any other unit posted is refused by
        # MunicipalTargetLine.clean() with the message the admin and the service give.
        field = self.fields["organization"]
        offered = Organization.objects.filter(kind__in=MUNICIPAL_KINDS, is_active=True)
        field.choices = [("", field.empty_label), *((o.pk, str(o)) for o in offered)]


MunicipalLineFormSet = modelformset_factory(
    MunicipalTargetLine,
    form=MunicipalLineForm,
    fields=["organization", "order", "line", "size_wan", "at_least", "count"],
    extra=2,
    can_delete=True,
)


class ProjectForm(CleanModelForm):
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


class ProjectUploadForm(CleanForm):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    file = forms.FileField(label="Excel 文件（.xlsx）")


class EvidenceForm(CleanForm):
    file = forms.FileField(label="佐证材料（PDF、JPG、PNG 或 xlsx）")


class ReportForm(CleanModelForm):
    class Meta:
        model = SelfEvaluation
        fields = ["report"]
        widgets = {"report": forms.Textarea(attrs={"rows": 8})}


class ReviewForm(CleanForm):
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


class KpbForm(CleanModelForm):
    """第七条(五): the 市委考评办 score (0–100, two decimals) with the 考评办 document's number and date."""

    class Meta:
        model = SelfEvaluation
        fields = ["kpb_score", "kpb_result", "kpb_document_number", "kpb_document_date"]
        widgets = {"kpb_document_date": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("kpb_score", "kpb_document_number", "kpb_document_date"):
            self.fields[name].required = True


class SpotCheckForm(CleanModelForm):
    class Meta:
        model = SpotCheck
        fields = ["year", "organization", "checked_on", "findings", "falsified", "supplier"]
        widgets = {"checked_on": DATE, "findings": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NoTagHelper()
        # 第七条(三): only the year's assessed units are offered. Any other unit posted is refused by
        # SpotCheck.clean(), with the same message the admin and the service give.
        field = self.fields["organization"]
        offered = selectors.assessed_organizations(self._year()) if self._year() else []
        field.choices = [("", field.empty_label), *((o.pk, str(o)) for o in offered)]

    def _year(self) -> int | None:
        raw = self.data.get(self.add_prefix("year")) if self.is_bound else self.initial.get("year")
        try:
            return int(raw)
        except (TypeError, ValueError):
            return None


class PublishForm(CleanForm):
    """通报: the units listed as 未申报 on the page, and the publisher's confirmation of them."""

    unsubmitted = ModelMultipleChoiceField(
        queryset=Organization.objects.all(), required=False, widget=forms.MultipleHiddenInput
    )
    confirm = forms.BooleanField(label="已核对上列未申报单位：通报中列为“未申报”，不参加排名", required=False)

    def confirmed(self) -> list[int]:
        if not self.cleaned_data["confirm"]:
            return []
        return [o.pk for o in self.cleaned_data["unsubmitted"]]


class WithdrawForm(CleanForm):
    reason = forms.CharField(label="撤回原因", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class BaseForm(CleanModelForm):
    """上年基数 entered by the 考核组 for a unit without a previous-year figure."""

    class Meta:
        model = PreviousYearBase
        fields = ["organization", "foreign_musd", "domestic_wan", "source"]

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NoTagHelper()
        target_set = selectors.current_targets(year)
        units = [r.organization for r in selectors.county_rows(target_set)] if target_set else []
        self.fields["organization"].queryset = Organization.objects.filter(pk__in=[u.pk for u in units])


class ProposalForm(CleanModelForm):
    class Meta:
        model = IncentiveProposal
        fields = ["year", "county_pool_wan", "municipal_pool_wan", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NoTagHelper()


class YearParametersForm(CleanModelForm):
    class Meta:
        model = YearParameters
        fields = ["deadline", "foreign_major_musd", "domestic_major_yi", "reminder_days"]
        widgets = {"deadline": DATE}


WeightFormSet = modelformset_factory(ScoreWeight, form=CleanModelForm, fields=["weight", "cap_pct"], extra=0)
