from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone

from orgs.forms import CleanForm, CleanModelForm
from orgs.models import Organization, OrganizationKind
from orgs.validators import LONG_TEXT, SHORT_TEXT, validate_business_date

from . import rules
from .models import (
    AccountabilityCase,
    Assignment,
    LedgerEntry,
    Meeting,
    NewsArticle,
    Officer,
    Rank,
    SatisfactionSurvey,
    ServedSubject,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CrispyMixin:
    submit_label = "保存"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", self.submit_label))


class OfficerForm(CrispyMixin, CleanModelForm):
    class Meta:
        model = Officer
        fields = ["name", "role", "rank", "position", "phone", "user", "note"]

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = self.fields["user"].queryset.filter(membership__organization=unit)
        if self.instance.pk:
            # A chief is changed through 第十一条's change form, never by editing the role.
            self.fields["role"].disabled = True
            if self.instance.role == rules.CHIEF:
                self.fields[
                    "name"
                ].help_text = (
                    "可更正联系方式等信息；更换担任首席服务员的人员须使用“调整首席服务员”（第十一条）"
                )


class OfficerEditForm(OfficerForm):
    pass


class ChiefChangeForm(CrispyMixin, CleanForm):
    """第十一条: the successor is an officer of the unit on duty, or a new person entered here."""

    replacement = forms.ModelChoiceField(
        label="接替人员（本单位在岗人员）", queryset=Officer.objects.none(), required=False
    )
    new_name = forms.CharField(label="或：新任人员姓名", max_length=40, required=False)
    new_rank = forms.ChoiceField(
        label="新任人员职级", choices=[("", "---------"), *Rank.choices], required=False
    )
    new_position = forms.CharField(label="新任人员职务", max_length=60, required=False)
    new_phone = forms.CharField(label="新任人员联系电话", max_length=30, required=False)
    reason = forms.CharField(
        max_length=SHORT_TEXT, label="调整原因", widget=forms.Textarea(attrs={"rows": 3})
    )
    submit_label = "确认调整并报备营商办"

    def __init__(self, *args, officer: Officer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replacement"].queryset = Officer.objects.filter(
            unit=officer.unit, is_active=True
        ).exclude(pk=officer.pk)

    def new_person(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data.get("new_name", ""),
            "rank": data.get("new_rank", ""),
            "position": data.get("new_position", ""),
            "phone": data.get("new_phone", ""),
        }


class ReplacementForm(CrispyMixin, CleanForm):
    replacement = forms.ModelChoiceField(label="接替人员", queryset=Officer.objects.none())
    reason = forms.CharField(
        max_length=SHORT_TEXT, label="调整原因", widget=forms.Textarea(attrs={"rows": 3})
    )
    submit_label = "确认调整并报备营商办"

    def __init__(self, *args, officer: Officer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replacement"].queryset = Officer.objects.filter(
            unit=officer.unit, is_active=True
        ).exclude(pk=officer.pk)


class RecallForm(ReplacementForm):
    recall_ground = forms.ChoiceField(label="召回情形（第二十五条）", choices=rules.RECALL_GROUNDS)
    field_order = ["recall_ground", "replacement", "reason"]
    submit_label = "确认召回"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = False
        self.fields["reason"].label = "说明"


class SubjectForm(CrispyMixin, CleanModelForm):
    # Longer than 18 on entry: spaces, hyphens and full-width characters are taken out by clean_credit_code.
    credit_code = forms.CharField(
        label="统一社会信用代码",
        max_length=40,
        required=False,
        help_text="18位，按GB 32100-2015逐段核验（登记管理部门、机构类别、行政区划码、组织机构代码、校验码）；"
        "全角字符、空格和连字符自动去除；拟投资企业可暂不填",
    )

    class Meta:
        model = ServedSubject
        fields = [
            "name",
            "kind",
            "credit_code",
            "district",
            "grid",
            "size",
            "is_provincial_key",
            "is_provincial_top100",
            "is_city_key",
            "is_monitored",
            "contract_signed_on",
        ]
        widgets = {"contract_signed_on": DATE}
        help_texts = {
            "is_monitored": "省委省政府确定的重点项目、省百大项目、市重点规上企业及重点监测的企业采用专班式服务方式（第九条）",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = Organization.objects.filter(kind=OrganizationKind.COUNTY)

    def clean_credit_code(self):
        # The checks are the model's (ServedSubject.clean); the form hands over the normalized code.
        return rules.normalize_credit_code(self.cleaned_data.get("credit_code", ""))


class SubjectImportForm(CrispyMixin, CleanForm):
    file = forms.FileField(label="Excel 文件（.xlsx）")
    submit_label = "导入"


class AssignmentForm(CrispyMixin, CleanModelForm):
    class Meta:
        model = Assignment
        fields = ["officer", "mode", "start_on", "end_on"]
        widgets = {"start_on": DATE, "end_on": DATE}

    def __init__(self, *args, officers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers
        self.fields["start_on"].initial = timezone.localdate()


class AssignmentEndForm(CrispyMixin, CleanForm):
    end_on = forms.DateField(label="结束日期", widget=DATE, validators=[validate_business_date])
    reason = forms.CharField(label="结束原因", max_length=200)
    submit_label = "结束服务关系"


class LedgerEntryForm(CrispyMixin, CleanModelForm):
    class Meta:
        model = LedgerEntry
        fields = [
            "officer",
            "subject",
            "received_on",
            "kind",
            "description",
            "within_own_duty",
            "first_receiving_unit",
            "co_units",
            "due_on",
        ]
        widgets = {"received_on": DATE, "due_on": DATE, "description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "within_own_duty": "非本部门职责范围的诉求也须受理，并选择转办/协办单位（首受责任制）",
            "due_on": f"不填则为受理日期后{rules.LEDGER_DEFAULT_DAYS}日",
        }

    def __init__(self, *args, officers=None, subjects=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers
        self.fields["subject"].queryset = subjects
        self.fields["due_on"].required = False
        self.fields["first_receiving_unit"].required = False
        self.fields["first_receiving_unit"].help_text = "不填则为服务员的派出单位"
        self.fields["received_on"].initial = timezone.localdate()


class LedgerActionForm(CrispyMixin, CleanForm):
    note = forms.CharField(
        max_length=SHORT_TEXT, label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class LedgerResolveForm(LedgerActionForm):
    resolution = forms.CharField(
        max_length=LONG_TEXT, label="办理结果", widget=forms.Textarea(attrs={"rows": 3})
    )
    closed_on = forms.DateField(
        label="销号日期", widget=DATE, required=False, validators=[validate_business_date]
    )
    satisfaction = forms.ChoiceField(
        label="企业满意度",
        choices=[("", "---------"), *LedgerEntry._meta.get_field("satisfaction").choices],
        required=False,
    )
    submit_label = "销号"


class MonthForm(CleanForm):
    year = forms.IntegerField(label="年", min_value=2020, max_value=2100)
    month = forms.IntegerField(label="月", min_value=1, max_value=12)


class ReportGenerateForm(CrispyMixin, MonthForm):
    submit_label = "生成月度台账"


class MeetingForm(CrispyMixin, CleanModelForm):
    class Meta:
        model = Meeting
        fields = ["kind", "held_on", "title", "summary"]
        widgets = {"held_on": DATE, "summary": forms.Textarea(attrs={"rows": 3})}


AGENDA_ENTRY_HELP = "只列出服务员已“报请会商”、尚未销号的台账事项（第十七条）；其他议题请直接填写议题。"


class AgendaItemForm(CrispyMixin, CleanForm):
    entry = forms.ModelChoiceField(
        label="台账事项（已报请会商、未销号）",
        queryset=LedgerEntry.objects.none(),
        required=False,
        help_text=AGENDA_ENTRY_HELP,
    )
    topic = forms.CharField(label="议题", max_length=200, required=False)
    decision = forms.CharField(
        max_length=LONG_TEXT,
        label="决定事项",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="可留空：会后在会议页面登记，登记后仍可修改，历次修改均留痕",
    )
    submit_label = "列入议程"

    def __init__(self, *args, entries=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = entries

    def clean(self):
        data = super().clean()
        if not data.get("entry") and not data.get("topic"):
            raise forms.ValidationError("请选择台账事项或填写议题。")
        return data


class AgendaDecisionForm(CrispyMixin, CleanForm):
    decision = forms.CharField(
        max_length=LONG_TEXT, label="决定事项", widget=forms.Textarea(attrs={"rows": 4})
    )
    submit_label = "保存会商决定"


class ArticleForm(CrispyMixin, CleanModelForm):
    class Meta:
        model = NewsArticle
        # 年度 and 季度 come from 报送日期 (NewsArticle.clean), so they are not typed in.
        fields = ["officer", "title", "submitted_on"]
        widgets = {"submitted_on": DATE}
        help_texts = {
            "officer": "首席服务员的稿件计入本单位当季任务（第二十四条）；服务联络员的稿件作为工作信息登记，不计入"
        }

    def __init__(self, *args, officers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers
        self.fields["submitted_on"].initial = timezone.localdate()


class SurveyForm(CrispyMixin, CleanModelForm):
    class Meta:
        model = SatisfactionSurvey
        fields = ["officer", "subject", "surveyed_on", "method", "answer", "comment"]
        widgets = {"surveyed_on": DATE, "comment": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, officers=None, subjects=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers
        self.fields["subject"].queryset = subjects


class CaseForm(CrispyMixin, CleanModelForm):
    class Meta:
        model = AccountabilityCase
        fields = ["officer", "item", "facts", "evidence", "measures", "suggestion"]
        widgets = {"facts": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "measures": "不填则按负面清单（附件4）或第三十条填写",
            "suggestion": "不填则按负面清单填写",
        }

    def __init__(self, *args, officers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers
        self.fields["measures"].required = False
        self.fields["suggestion"].required = False
        self.fields["measures"].widget = forms.Textarea(attrs={"rows": 2})
        self.fields["suggestion"].widget = forms.Textarea(attrs={"rows": 2})

    def clean_evidence(self):
        from orgs.uploads import check_evidence

        upload = self.cleaned_data.get("evidence")
        if upload and hasattr(upload, "content_type"):
            check_evidence(upload)
        return upload


class ExemptionClaimForm(CrispyMixin, CleanForm):
    exemption_ground = forms.ChoiceField(label="免责情形（第二十九条）", choices=rules.EXEMPTION_GROUNDS)
    exemption_claim = forms.CharField(
        max_length=SHORT_TEXT, label="申请理由", widget=forms.Textarea(attrs={"rows": 3})
    )
    submit_label = "提出免责申请"


class ExemptionDecisionForm(CrispyMixin, CleanForm):
    exemption_decision = forms.ChoiceField(label="免责决定", choices=rules.EXEMPTION_DECISIONS)
    exemption_reason = forms.CharField(
        max_length=SHORT_TEXT, label="理由", widget=forms.Textarea(attrs={"rows": 3})
    )
    submit_label = "作出免责决定"


class CaseDecisionForm(CrispyMixin, CleanForm):
    decision = forms.ChoiceField(label="处理决定（第三十条）", choices=rules.DECISIONS)
    decision_reason = forms.CharField(
        max_length=SHORT_TEXT, label="理由", widget=forms.Textarea(attrs={"rows": 3})
    )
    submit_label = "作出处理决定"
