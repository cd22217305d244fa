from __future__ import annotations

from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError

from orgs.forms import CleanForm, CleanModelForm, ModelMultipleChoiceField
from orgs.uploads import check_evidence
from orgs.validators import LONG_TEXT, SHORT_TEXT, validate_business_date
from orgs.workflow import VERSION_REQUIRED

from .models import Category, Ground, IndustrialTarget, Project, SchemeParameters, Verification
from .permissions import CORRECTION_REASON_REQUIRED
from .rules.facts import NOTHING_SELECTED

#: the gazette's full names where a form, an export or help text shows a category (tables keep the short one)
FULL_CATEGORY_LABELS = {Category.IND: "投资500万元以上产业项目"}

BAD_TIERS = "每行一个奖项，格式为“名称,名额,金额”，名额和金额为非负整数（第{line}行有误）"
YEAR_RANGE = "年度应在 2000 至 2100 之间"


def _helper(label: str) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("submit", label))
    return helper


def clean_year(value: int) -> int:
    if value is None or not 2000 <= value <= 2100:
        raise ValidationError(YEAR_RANGE)
    return value


class ProjectForm(CleanModelForm):
    """A project of the year; 发改委经办 correcting another unit's project states why (kept in history)."""

    # Present only when 发改委经办 corrects a unit's project, and then required (the service refuses without it):
    # the form marks it so before the first try, not after a refusal.
    correction_reason = forms.CharField(
        label="更正理由", max_length=100, error_messages={"required": CORRECTION_REASON_REQUIRED}
    )

    class Meta:
        model = Project
        fields = [
            "year",
            "name",
            "category",
            "total_investment",
            "single",
            "planned_investment",
            "actual_investment",
            "started",
            "completed",
        ]

    def __init__(self, *args, corrects_for_unit: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [
            (value, FULL_CATEGORY_LABELS.get(value, label))
            for value, label in self.fields["category"].choices
        ]
        if not corrects_for_unit:
            del self.fields["correction_reason"]
        self.helper = _helper("保存")

    def clean_year(self):
        return clean_year(self.cleaned_data.get("year"))

    # 15号 四(三): a 产业项目's 计划总投资 is required by Project.clean(), which the form runs (next to the field)


class TargetForm(CleanModelForm):
    """产业项目目标 of one unit, assigned by 发改委 (双政办发〔2020〕15号 四(三))."""

    class Meta:
        model = IndustrialTarget
        fields = ["year", "entity", "target_count", "target_amount"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entity"].queryset = (
            self.fields["entity"]
            .queryset.filter(award_group__isnull=False)
            .order_by("award_group", "directory_order")
        )
        self.helper = _helper("保存")

    def clean_year(self):
        return clean_year(self.cleaned_data.get("year"))


def tiers_to_text(tiers) -> str:
    return "\n".join(f"{t['name']},{t['places']},{t['amount']}" for t in tiers)


def parse_tiers_text(text: str) -> list[dict]:
    tiers = []
    for number, line in enumerate((text or "").replace("，", ",").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(",")]
        if len(parts) != 3 or not parts[0] or not parts[1].isdigit() or not parts[2].isdigit():
            raise ValidationError(BAD_TIERS.format(line=number))
        tiers.append({"name": parts[0], "places": int(parts[1]), "amount": int(parts[2])})
    return tiers


class TiersField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value):
        if isinstance(value, list):
            return tiers_to_text(value)
        return value

    def to_python(self, value):
        return parse_tiers_text(super().to_python(value))


class SchemeForm(CleanModelForm):
    tiers = TiersField(label="第二组奖项（每行：名称,名额,金额（万元））")

    class Meta:
        model = SchemeParameters
        fields = [f.name for f in SchemeParameters._meta.fields if f.name not in ("id", "year", "updated_at")]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("保存方案参数")


class WhatIfForm(CleanForm):
    rate = forms.DecimalField(
        label="第一组每分奖励（万元）", min_value=Decimal(0), max_digits=10, decimal_places=4
    )
    tiers = TiersField(label="第二组奖项（每行：名称,名额,金额）")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("试算（不保存）")
        self.helper.form_method = "get"


class ImportForm(CleanForm):
    year = forms.IntegerField(label="年度")
    file = forms.FileField(label="Excel 工作簿（.xlsx）")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("上传并预览")

    def clean_year(self):
        return clean_year(self.cleaned_data.get("year"))


# --- workflow forms (plain forms: the services validate and write) -------------------------------------


class VersionForm(CleanForm):
    """Carries the allocation version the user saw, so an action on a changed allocation is refused: the one
    way every step reads it (a step without other fields posts this form alone)."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        label="数据版本",
        error_messages={
            "required": VERSION_REQUIRED,
            "invalid": VERSION_REQUIRED,
            "min_value": VERSION_REQUIRED,
        },
    )


class ReturnForm(VersionForm):
    note = forms.CharField(max_length=SHORT_TEXT, label="退回理由", widget=forms.Textarea(attrs={"rows": 2}))


class CityApprovalForm(VersionForm):
    document_no = forms.CharField(label="市政府批复文号", max_length=100)
    document_date = forms.DateField(
        label="批复日期", widget=forms.DateInput(attrs={"type": "date"}), validators=[validate_business_date]
    )


class ReviseForm(CleanForm):
    reason = forms.CharField(
        max_length=SHORT_TEXT, label="修订原因", widget=forms.Textarea(attrs={"rows": 2})
    )


class AdjustForm(VersionForm):
    amount = forms.IntegerField(label="分配金额（万元）", min_value=0)
    reason = forms.CharField(
        max_length=SHORT_TEXT, label="调整理由（必填）", widget=forms.Textarea(attrs={"rows": 2})
    )


class DisqualifyForm(VersionForm):
    ground = forms.ChoiceField(label="取消依据", choices=Ground.choices)
    description = forms.CharField(
        max_length=LONG_TEXT, label="情况说明", widget=forms.Textarea(attrs={"rows": 3})
    )
    document = forms.FileField(label="相关文件（PDF、JPEG、PNG 图片或 Excel）")

    def clean_document(self):
        upload = self.cleaned_data["document"]
        check_evidence(upload)
        upload.seek(0)
        return upload


class DisburseForm(CleanForm):
    paid_on = forms.DateField(
        label="拨付日期", widget=forms.DateInput(attrs={"type": "date"}), validators=[validate_business_date]
    )
    voucher_no = forms.CharField(label="拨付凭证号", max_length=100)


class RecoverForm(CleanForm):
    recovered_on = forms.DateField(
        label="收回日期", widget=forms.DateInput(attrs={"type": "date"}), validators=[validate_business_date]
    )
    voucher_no = forms.CharField(label="收回凭证号", max_length=100)


class ReconcileForm(CleanForm):
    year = forms.IntegerField(label="年度", validators=[clean_year])
    rate = forms.DecimalField(
        label="第一组每分奖励（万元，留空取该年度方案参数）",
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=4,
    )
    file = forms.FileField(label="已公布的分配表（.xlsx）")


class VerifyForm(CleanForm):
    """发改委经办 verifies the chosen projects of the year (awards spec, "verified facts")."""

    projects = ModelMultipleChoiceField(
        label="待核实项目", queryset=Project.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["projects"].queryset = Project.objects.filter(
            year=year, verification=Verification.PENDING
        )
        self.fields["projects"].error_messages["required"] = NOTHING_SELECTED


class StatisticsImportForm(ImportForm):
    """The 市统计局 入统项目清单 of a year (sheet 入统项目清单); the file is checked when it is read."""

    file = forms.FileField(label="市统计局入统项目清单（.xlsx）")
