"""表（一）/表（二） target sets: draft, edit, issue (下达), export."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView
from django_tables2 import SingleTableView

from orgs.access import RoleRequiredMixin, get_for_user
from orgs.actions import ActionFormView, ActionView
from orgs.roles import Role, has_role
from orgs.workflow import require_or_403

from .. import forms, permissions, selectors, services, workflow
from ..exports import TargetTablesExport
from ..models import (
    TargetSet,
)
from ..tables import TargetSetTable
from .common import (
    OVERSIGHT,
    UNIT_ROLES,
    StepView,
    _errors,
    _xlsx,
    offered,
)


class IndexView(RoleRequiredMixin, TemplateView):
    template_name = "investment/index.html"

    def get_context_data(self, **kwargs):
        year = selectors.default_year()
        user = self.request.user
        return super().get_context_data(
            year=year,
            targets=selectors.current_targets(year),
            publication=selectors.published_publication(user, year),
            is_reporter=has_role(user, Role.REPORTER),
            is_assessor=has_role(user, Role.ASSESSOR),
            is_city_office=has_role(user, Role.CITY_OFFICE),
            oversees=has_role(user, *OVERSIGHT),
            unit_role=has_role(user, *UNIT_ROLES),
            **kwargs,
        )


# ---------------------------------------------------------------- targets


class TargetListView(RoleRequiredMixin, SingleTableView):
    template_name = "investment/target_list.html"
    table_class = TargetSetTable
    table_pagination = {"per_page": 25}  # the table paginates; the view must not count a second time

    def get_queryset(self):
        return selectors.target_sets(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_draft=has_role(self.request.user, Role.CITY_OFFICE),
            form=forms.TargetSetCreateForm(initial={"year": selectors.default_year()}),
            **kwargs,
        )


class TargetDetailView(RoleRequiredMixin, TemplateView):
    template_name = "investment/target_detail.html"

    def get_context_data(self, pk, **kwargs):
        target_set = get_for_user(self.request.user, TargetSet, pk=pk)
        rows = selectors.county_rows(target_set)
        user = self.request.user
        can_edit = has_role(user, Role.CITY_OFFICE)
        return super().get_context_data(
            target_set=target_set,
            county_rows=rows,
            totals=selectors.county_totals(rows),
            municipal=selectors.municipal_units(target_set),
            can_edit=can_edit and not target_set.is_issued,
            issue=offered(
                user,
                workflow.ISSUE_TARGETS,
                target_set,
                lambda: permissions.can_issue_targets(user, target_set),
            ),
            can_revise=can_edit and target_set.is_issued,
            issue_form=forms.TargetIssueForm(),
            revise_form=forms.TargetSetCreateForm(initial={"year": target_set.year}),
            **kwargs,
        )


class TargetCreateView(ActionView):
    required_roles = (Role.CITY_OFFICE,)

    def decision(self, obj):
        # The year is the form's; the role answers here and the service adds the year's freeze.
        return workflow.ISSUE_TARGETS.role_decision(self.request.user)

    def act(self, request, obj):
        form = forms.TargetSetCreateForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请填写正确的年度。")
            return redirect("investment:target_list")
        try:
            target_set = services.target_set_create(
                year=form.cleaned_data["year"], reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as exc:
            _errors(request, exc)
            return redirect("investment:target_list")
        messages.success(request, f"已新建{target_set}。")
        return redirect("investment:target_edit", pk=target_set.pk)


class TargetEditView(ActionFormView):
    """表（一）/表（二） rows of a draft; the page and the service ask ``permissions.can_edit_targets``."""

    required_roles = (Role.CITY_OFFICE,)
    template_name = "investment/target_edit.html"

    def _formsets(self, target_set, data=None):
        county = forms.CountyTargetFormSet(
            data, prefix="county", queryset=target_set.county_targets.select_related("organization")
        )
        municipal = forms.MunicipalLineFormSet(
            data, prefix="municipal", queryset=target_set.municipal_lines.select_related("organization")
        )
        return county, municipal

    def get_object(self, pk):
        return get_for_user(self.request.user, TargetSet, pk=pk)

    def decision(self, target_set):
        return permissions.can_edit_targets(self.request.user, target_set)

    def refused(self, target_set, decision):
        raise PermissionDenied(decision.reason)

    def get(self, request, pk):
        target_set = self.get_object(pk)
        require_or_403(self.decision(target_set))
        county, municipal = self._formsets(target_set)
        return render(
            request, self.template_name, {"target_set": target_set, "county": county, "municipal": municipal}
        )

    def act(self, request, target_set, pk):
        county, municipal = self._formsets(target_set, request.POST)
        if county.is_valid() and municipal.is_valid():
            rows = county.save(commit=False)
            lines = municipal.save(commit=False)
            for line in lines:
                line.target_set = target_set
            try:
                services.target_rows_save(
                    target_set=target_set,
                    rows=[*rows, *lines],
                    deleted=municipal.deleted_objects,
                    by=request.user,
                )
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, "任务指标草稿已保存。")
                return redirect("investment:target_detail", pk=target_set.pk)
        return render(
            request, self.template_name, {"target_set": target_set, "county": county, "municipal": municipal}
        )


class TargetIssueView(StepView):
    """下达 of a draft version, with its document number and date."""

    step = workflow.ISSUE_TARGETS
    form_class = forms.TargetIssueForm

    def get_object(self, pk):
        return get_for_user(self.request.user, TargetSet, pk=pk)

    def decision(self, target_set):
        return permissions.can_issue_targets(self.request.user, target_set)

    def perform(self, target_set, user, data):
        services.target_set_issue(target_set=target_set, by=user, **data)

    def success_url(self, target_set):
        return reverse("investment:target_detail", args=[target_set.pk])


class TargetExportView(RoleRequiredMixin, View):
    def get(self, request, pk):
        target_set = get_for_user(request.user, TargetSet, pk=pk)
        export = TargetTablesExport(target_set)
        return _xlsx(export.content(), export.filename)
