"""Roster (第八条, 第十一条, 第二十五条), served subjects, assignments and coverage (第九条, 第十九条)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import TemplateView
from django_tables2 import SingleTableMixin

from orgs.access import NO_CAPABILITY, RoleRequiredMixin, get_for_user, user_organization
from orgs.actions import ActionFormView
from orgs.excel import WorkbookErrors
from orgs.pagination import CappedPaginator
from orgs.roles import Role, has_role
from orgs.workflow import require_or_403

from .. import filters, forms, imports, permissions, rules, selectors, services, tables
from ..models import Assignment
from .base import (
    READERS,
    SUBJECT_WRITERS,
    UNIT_WRITERS,
    FormPage,
    ListPage,
    today,
)


# ---------------------------------------------------------------------------------------------------------
# Roster
# ---------------------------------------------------------------------------------------------------------
class OfficerListView(ListPage):
    table_class = tables.OfficerTable
    filterset_class = filters.OfficerFilter
    title = "首席服务员及服务联络员名单"
    actions = (("chiefservice:officer_create", "登记服务人员"), ("chiefservice:change_list", "人员调整记录"))

    def get_queryset(self):
        return selectors.officers(self.request.user)


class OfficerCreateView(FormPage):
    required_roles = UNIT_WRITERS
    form_class = forms.OfficerForm
    title = "登记首席服务员/服务联络员"
    intro = (
        "市直及驻双中省直部门：首席服务员须副处级以上，服务联络员须科级以上；每单位一名首席服务员（第八条）。"
    )
    success_message = "已登记。"

    def decision(self, obj):
        return permissions.can_register_officer(self.request.user)

    def dispatch(self, request, *args, **kwargs):
        self.unit = user_organization(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"unit": self.unit}

    def save(self, form):
        officer = services.officer_create(by=self.request.user, unit=self.unit, **form.cleaned_data)
        return reverse("chiefservice:officer_detail", args=[officer.pk])


class OfficerDetailView(RoleRequiredMixin, SingleTableMixin, TemplateView):
    required_roles = READERS
    template_name = "chiefservice/officer_detail.html"
    table_class = tables.AssignmentTable
    table_pagination = {"per_page": 25}  # an officer serves hundreds of subjects over the years

    @cached_property
    def officer(self):
        return get_for_user(self.request.user, selectors.officers(self.request.user), pk=self.kwargs["pk"])

    def get_table_data(self):
        return self.officer.assignments.select_related("subject")

    def get_context_data(self, **kwargs):
        user, officer = self.request.user, self.officer
        return super().get_context_data(
            officer=officer,
            # Shown to the unit's writers (and 营商办 for recalls), enabled or with the reason why not.
            show_actions=services.acts_for_unit(user, officer.unit) or has_role(user, Role.BUSINESS_OFFICE),
            can={
                "edit": permissions.can_edit_officer(user, officer),
                "change_chief": permissions.can_change_chief(user, officer),
                "recall": permissions.can_recall(user, officer),
            },
            **kwargs,
        )


class OfficerObjectMixin:
    """Officer pages that write: visible (else 404) and the unit's own 填报员 (else 403)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and has_role(request.user, *self.required_roles):
            self.officer = get_for_user(request.user, selectors.officers(request.user), pk=kwargs["pk"])
            if not services.acts_for_unit(request.user, self.officer.unit):
                raise PermissionDenied(NO_CAPABILITY)
        return super().dispatch(request, *args, **kwargs)


class OfficerEditView(OfficerObjectMixin, FormPage):
    required_roles = UNIT_WRITERS
    form_class = forms.OfficerEditForm
    title = "修改服务人员信息"

    def decision(self, obj):
        return permissions.can_edit_officer(self.request.user, self.officer)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"unit": self.officer.unit, "instance": self.officer}

    def save(self, form):
        fields = {k: v for k, v in form.cleaned_data.items() if k != "role"}
        # ModelForm validation already wrote the values on the instance; the service re-checks the rules.
        services.officer_update(officer=self.officer, by=self.request.user, **fields)
        return reverse("chiefservice:officer_detail", args=[self.officer.pk])


class OfficerActionView(ActionFormView):
    """A step on one visible officer whose form is a page of its own (第十一条, 第二十五条)."""

    required_roles = UNIT_WRITERS
    template_name = "chiefservice/form.html"
    intro = ""

    def get_object(self, pk):
        return get_for_user(self.request.user, selectors.officers(self.request.user), pk=pk)

    def get_form(self, officer, data=None, files=None):
        return self.form_class(data, files, officer=officer)

    def get_context_data(self, officer, form, **kwargs):
        return super().get_context_data(officer, form, intro=self.intro, **kwargs)

    def success_url(self, officer):
        return reverse("chiefservice:officer_list")  # the officer has left the post

    def refused(self, officer, decision):
        messages.error(self.request, decision.reason)
        return redirect("chiefservice:officer_detail", pk=officer.pk)


class ChiefChangeView(OfficerActionView):
    form_class = forms.ChiefChangeForm
    title = "调整首席服务员（第十一条）"
    intro = (
        "不得擅自调整首席服务员；因工作需要确需调整的，须说明原因，并报备市委市政府优化营商环境领导小组办公室"
        "（第十一条）。接替人员可选本单位在岗人员，或填写新任人员；原首席服务员的服务对象由接替人员继续服务。"
    )
    done = "已调整并报备营商办。"

    def decision(self, officer):
        return permissions.can_change_chief(self.request.user, officer)

    def perform(self, officer, user, data):
        services.chief_change(
            chief=officer,
            replacement=data["replacement"],
            new_person={
                "name": data.get("new_name", ""),
                "rank": data.get("new_rank", ""),
                "position": data.get("new_position", ""),
                "phone": data.get("new_phone", ""),
            },
            reason=data["reason"],
            by=user,
        )


class RecallView(OfficerActionView):
    form_class = forms.RecallForm
    title = "召（退）回服务人员（第二十五条）"
    done = "已召回，服务对象已转由接替人员服务。"

    def decision(self, officer):
        return permissions.can_recall(self.request.user, officer)

    def perform(self, officer, user, data):
        services.officer_recall(
            officer=officer,
            ground=data["recall_ground"],
            replacement=data["replacement"],
            reason=data["reason"],
            by=user,
        )


class ChangeListView(ListPage):
    table_class = tables.ChangeTable
    filterset_class = filters.ChangeFilter
    title = "人员调整及召回记录（报备营商办）"

    def get_queryset(self):
        return selectors.changes(self.request.user)


# ---------------------------------------------------------------------------------------------------------
# Served subjects and assignments
# ---------------------------------------------------------------------------------------------------------


class SubjectListView(ListPage):
    table_class = tables.SubjectTable
    filterset_class = filters.SubjectFilter
    title = "服务对象"
    actions = (
        ("chiefservice:subject_create", "登记服务对象"),
        ("chiefservice:subject_import", "Excel 导入"),
        ("chiefservice:coverage", "未配置服务员的对象"),
    )
    action_roles = SUBJECT_WRITERS

    def get_queryset(self):
        return selectors.subjects(self.request.user)


class SubjectCreateView(FormPage):
    required_roles = SUBJECT_WRITERS
    form_class = forms.SubjectForm
    title = "登记服务对象"

    def decision(self, obj):
        return permissions.can_register_subject(self.request.user)

    def save(self, form):
        subject = services.subject_create(
            by=self.request.user, registered_by=user_organization(self.request.user), **form.cleaned_data
        )
        return reverse("chiefservice:subject_detail", args=[subject.pk])


class SubjectImportView(FormPage):
    required_roles = SUBJECT_WRITERS
    form_class = forms.SubjectImportForm
    template_name = "chiefservice/import.html"
    title = "Excel 导入服务对象"
    intro = "表头：" + " | ".join(imports.SUBJECT_HEADERS) + "。任何一行有错，整个文件都不导入。"

    def decision(self, obj):
        return permissions.can_register_subject(self.request.user)

    def form_valid(self, form):
        try:
            count = imports.subjects_import(
                upload=form.cleaned_data["file"],
                by=self.request.user,
                registered_by=user_organization(self.request.user),
            )
        except WorkbookErrors as exc:
            return self.render_to_response(
                self.get_context_data(form=form, row_errors=[str(e) for e in exc.errors])
            )
        messages.success(self.request, f"已导入 {count} 个服务对象。")
        return redirect("chiefservice:subject_list")


class SubjectDetailView(RoleRequiredMixin, TemplateView):
    required_roles = READERS
    template_name = "chiefservice/subject_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        subject = get_for_user(user, selectors.subjects(user), pk=kwargs["pk"])
        return super().get_context_data(
            subject=subject,
            assignments=subject.assignments.select_related("officer__unit").order_by("end_on", "-start_on"),
            overdue=rules.assignment_overdue(
                due_on=subject.assignment_due_on, assigned_on=subject.assigned_on, today=today()
            ),
            default_unit=rules.default_liaison_unit_name(
                subject_kind=subject.kind, district_name=subject.district.name
            ),
            can_assign=has_role(user, *SUBJECT_WRITERS),
            can_edit=has_role(user, Role.BUSINESS_OFFICE)
            or (
                has_role(user, Role.REPORTER)
                and subject.registered_by_id == getattr(user_organization(user), "pk", None)
            ),
            **kwargs,
        )


class SubjectObjectMixin:
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and has_role(request.user, *self.required_roles):
            self.subject = get_for_user(request.user, selectors.subjects(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class SubjectEditView(SubjectObjectMixin, FormPage):
    required_roles = SUBJECT_WRITERS
    form_class = forms.SubjectForm
    title = "修改服务对象"

    def decision(self, obj):
        return permissions.can_edit_subject(self.request.user, self.subject)

    def get(self, request, *args, **kwargs):
        require_or_403(self.decision(None))
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"instance": self.subject}

    def save(self, form):
        services.subject_update(subject=self.subject, by=self.request.user, **form.cleaned_data)
        return reverse("chiefservice:subject_detail", args=[self.subject.pk])


class AssignmentCreateView(SubjectObjectMixin, FormPage):
    required_roles = SUBJECT_WRITERS
    form_class = forms.AssignmentForm
    title = "配置服务员"
    intro = (
        "省委省政府确定的重点项目、省百大项目、市重点规上企业及重点监测的企业采用专班式服务方式，工作专班的组长或"
        "包保领导即为首席服务员，服务联络员协助专班（第九条、第十三条）；其他企业一对一或一对多（第四条、附件1）。"
    )

    def decision(self, obj):
        return permissions.can_assign(self.request.user, self.subject)

    def get_form_kwargs(self):
        user = self.request.user
        officers = selectors.officers(user).filter(is_active=True)
        if not has_role(user, Role.BUSINESS_OFFICE):
            officers = officers.filter(unit=user_organization(user))
        return super().get_form_kwargs() | {"officers": officers}

    def get_context_data(self, **kwargs):
        return super().get_context_data(subject=self.subject, **kwargs)

    def save(self, form):
        services.assignment_create(by=self.request.user, subject=self.subject, **form.cleaned_data)
        return reverse("chiefservice:subject_detail", args=[self.subject.pk])


class AssignmentEndView(ActionFormView):
    required_roles = SUBJECT_WRITERS
    form_class = forms.AssignmentEndForm
    template_name = "chiefservice/form.html"
    title = "结束服务关系"
    done = "已结束服务关系。"

    def get_object(self, pk):
        return get_for_user(
            self.request.user, Assignment.objects.select_related("officer__unit", "subject"), pk=pk
        )

    def decision(self, assignment):
        return permissions.can_end_assignment(self.request.user, assignment)

    def perform(self, assignment, user, data):
        services.assignment_end(assignment=assignment, by=user, end_on=data["end_on"], reason=data["reason"])

    def success_url(self, assignment):
        return reverse("chiefservice:subject_detail", args=[assignment.subject_id])


class CoverageView(RoleRequiredMixin, SingleTableMixin, TemplateView):
    """第九条 每个企业都有服务联络员; 第十九条 newly signed contracts within 15 days."""

    required_roles = READERS
    template_name = "chiefservice/coverage.html"
    table_class = tables.CoverageTable
    table_pagination = {"per_page": 50}
    paginator_class = CappedPaginator

    def get_table_data(self):
        return selectors.uncovered_subjects(self.request.user)

    def get_context_data(self, **kwargs):
        contracts = list(selectors.contracts_awaiting_assignment(self.request.user)[:200])
        for subject in contracts:
            subject.overdue = rules.assignment_overdue(
                due_on=subject.assignment_due_on, assigned_on=subject.assigned_on, today=today()
            )
        return super().get_context_data(contracts=contracts, **kwargs)
