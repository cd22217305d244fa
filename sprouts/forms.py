from __future__ import annotations

import calendar
from datetime import date

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone

from orgs.forms import CleanForm, CleanModelForm
from orgs.models import Organization, OrganizationKind, Sector
from orgs.validators import LONG_TEXT, SHORT_TEXT, validate_business_date

from . import rules
from .choices import Outcome
from .models import Additive, Case, PenaltyDecision


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if not data and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


def _helper(label: str) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("submit", label))
    return helper


class CaseForm(CleanModelForm):
    files = MultipleFileField(label="证据材料", required=False, help_text="PDF、JPG、PNG 或 Excel，可多选")

    class Meta:
        model = Case
        fields = [
            "source",
            "stage",
            "district",
            "business_name",
            "business_address",
            "found_on",
            "additives",
            "findings",
            "sample_results",
            "criminal_suspected",
        ]
        widgets = {
            "found_on": forms.DateInput(attrs={"type": "date"}),
            "additives": forms.CheckboxSelectMultiple,
            "findings": forms.Textarea(attrs={"rows": 3}),
            "sample_results": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "criminal_suspected": "涉嫌生产、销售有毒有害豆芽犯罪的，案件直接由公安部门承办（第四条）"
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = Organization.objects.filter(kind=OrganizationKind.COUNTY)
        self.fields["additives"].queryset = Additive.objects.filter(is_active=True)
        self.fields["found_on"].initial = timezone.localdate()
        self.helper = _helper("登记并分办")
        self.helper.form_id = "case-form"
        self.helper.attrs = {"enctype": "multipart/form-data"}


class HandOverForm(CleanForm):
    to_office = forms.ModelChoiceField(label="接收单位", queryset=Organization.objects.none())
    reason = forms.CharField(
        max_length=SHORT_TEXT, label="移交原因", widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, exclude_office=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Organization.objects.filter(sector__in=Sector.values, is_active=True)
        if exclude_office is not None:
            qs = qs.exclude(pk=exclude_office.pk)
        self.fields["to_office"].queryset = qs
        self.helper = _helper("移交")


class PoliceReferralForm(CleanForm):
    reason = forms.CharField(
        max_length=SHORT_TEXT, label="涉嫌犯罪的事实和理由", widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("移交公安部门")


class NoteForm(CleanForm):
    text = forms.CharField(
        max_length=LONG_TEXT, label="检查/办理记录", widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("保存记录")


class PenaltyForm(CleanModelForm):
    class Meta:
        model = PenaltyDecision
        fields = ["document_number", "legal_basis", "amount", "decided_on"]
        widgets = {
            "decided_on": forms.DateInput(attrs={"type": "date"}),
            "legal_basis": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("保存处罚决定")


class CloseForm(CleanForm):
    # No outcome is preset: the office says what came of the case (a preset was closing cases wrongly).
    outcome = forms.ChoiceField(
        label="办理结果",
        choices=[("", "请选择办理结果"), *Outcome.choices],
        help_text="作出行政处罚：须先录入处罚决定，由市场监管部门、农业行政主管部门作出（第一条）；"
        "刑事立案：由公安部门作出（第四条）。",
    )
    note = forms.CharField(
        max_length=LONG_TEXT, label="办结说明", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.helper = _helper("办结")

    def clean_outcome(self):
        outcome = self.cleaned_data["outcome"]
        if self.case is not None:
            # The same rule and message as Case.clean(), which the service runs again.
            problem = rules.outcome_problem(
                outcome, lead_sector=self.case.lead_sector, has_penalty=self.case.penalties.exists()
            )
            if problem:
                raise forms.ValidationError(problem)
        return outcome


class EvidenceForm(CleanForm):
    files = MultipleFileField(label="证据材料", help_text="PDF、JPG、PNG 或 Excel，可多选")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("上传")
        self.helper.attrs = {"enctype": "multipart/form-data"}


MONTH = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
PERIOD_REVERSED = "统计期间的起始不能晚于截止。"


class PeriodForm(CleanForm):
    """统计期间: by 发现日期, from/to a day or from/to a month (both given: the narrower of the two)."""

    start = forms.DateField(
        label="发现日期从",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_business_date],
    )
    end = forms.DateField(
        label="至",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_business_date],
    )
    month_from = forms.DateField(
        label="月份从",
        required=False,
        input_formats=["%Y-%m"],
        widget=MONTH,
        validators=[validate_business_date],
    )
    month_to = forms.DateField(
        label="至", required=False, input_formats=["%Y-%m"], widget=MONTH, validators=[validate_business_date]
    )

    def clean(self):
        data = super().clean()
        start, end = self.period()
        if start and end and start > end:
            raise forms.ValidationError(PERIOD_REVERSED)
        return data

    def period(self) -> tuple[date | None, date | None]:
        data = getattr(self, "cleaned_data", {})
        starts = [d for d in (data.get("start"), data.get("month_from")) if d]
        ends = [d for d in (data.get("end"), _month_end(data.get("month_to"))) if d]
        return (max(starts) if starts else None, min(ends) if ends else None)

    def params(self) -> dict[str, str]:
        """The period as stored with an export request."""
        start, end = self.period() if self.is_valid() else (None, None)
        return {k: v.isoformat() for k, v in (("start", start), ("end", end)) if v}


def _month_end(first: date | None) -> date | None:
    if first is None:
        return None
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])
