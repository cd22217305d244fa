"""Each unit's 招商引资项目 list, its evidence, and the indicators computed from it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views import View
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from orgs.access import RoleRequiredMixin, get_for_user, user_organization
from orgs.actions import ActionView
from orgs.downloads import evidence_response
from orgs.excel import WorkbookErrors
from orgs.pagination import CappedPaginator, LatestYearMixin
from orgs.roles import Role, has_role

from .. import forms, imports, permissions, rules, selectors, services
from ..filters import ProjectFilter
from ..models import (
    Evidence,
    Project,
)
from ..tables import ProjectTable
from .common import (
    OVERSIGHT,
    UNIT_ROLES,
    ProjectWriteMixin,
    _errors,
    _evidence_saved,
    _year,
)

# ---------------------------------------------------------------- projects


class ProjectListView(RoleRequiredMixin, LatestYearMixin, SingleTableMixin, FilterView):
    required_roles = UNIT_ROLES
    template_name = "investment/project_list.html"
    table_class = ProjectTable
    filterset_class = ProjectFilter
    table_pagination = {"per_page": 25}  # the table paginates; the FilterView must not count a second time
    paginator_class = CappedPaginator  # ten years of every unit's projects are never all counted

    def get_queryset(self):
        return selectors.projects(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_write=has_role(self.request.user, Role.REPORTER),
            # Its own ids: the filter above has a 年度 field too, and ids must be unique for the labels.
            upload_form=forms.ProjectUploadForm(
                initial={"year": selectors.default_year()}, auto_id="upload_%s"
            ),
            headers=imports.HEADERS,
            **kwargs,
        )


class ProjectCreateView(ProjectWriteMixin, ActionView):
    http_method_names = ["get", "post"]
    template_name = "investment/project_form.html"

    def get_object(self, pk=None):
        return get_for_user(self.request.user, Project, pk=pk) if pk else None

    def decision(self, project):
        user = self.request.user
        if project is None:
            return permissions.can_enter_unit_data(user)
        return permissions.can_write_projects(user, project.organization, project.year)

    def refused(self, project, decision):
        if project is None:
            raise PermissionDenied(decision.reason)
        messages.error(self.request, decision.reason)
        return redirect("investment:project_detail", pk=project.pk)

    def get(self, request, pk=None):
        project = self.get_object(pk)
        initial = {} if project else {"year": selectors.default_year()}
        form = forms.ProjectForm(instance=project, initial=initial)
        return render(request, self.template_name, {"form": form, "project": project})

    def act(self, request, project, pk=None):
        project = project or Project(organization=self.organization())
        form = forms.ProjectForm(request.POST, instance=project)
        if form.is_valid():
            try:
                project = services.project_save(project=form.save(commit=False), by=request.user)
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, "项目已保存。")
                return redirect("investment:project_detail", pk=project.pk)
        return render(request, self.template_name, {"form": form, "project": project if pk else None})


class ProjectDeleteView(ProjectWriteMixin, ActionView):
    done_message = "项目已删除。"

    def get_object(self, pk):
        return get_for_user(self.request.user, Project, pk=pk)

    def decision(self, project):
        return permissions.can_write_projects(self.request.user, project.organization, project.year)

    def perform(self, project, user, data):
        services.project_delete(project=project, by=user)

    def refused(self, project, decision):
        messages.error(self.request, decision.reason)
        return redirect("investment:project_detail", pk=project.pk)

    def act(self, request, project, pk):
        try:
            self.perform(project, request.user, request.POST)
        except ValidationError as exc:
            _errors(request, exc)
            return redirect("investment:project_detail", pk=pk)
        messages.success(request, self.done)
        return redirect("investment:project_list")


class ProjectUploadView(ProjectWriteMixin, ActionView):
    def decision(self, obj):
        return permissions.can_enter_unit_data(self.request.user)

    def act(self, request, obj):
        form = forms.ProjectUploadForm(request.POST, request.FILES)
        row_errors = []
        if form.is_valid():
            try:
                parsed = imports.parse(form.cleaned_data["file"], year=form.cleaned_data["year"])
                count = services.projects_import(
                    organization=self.organization(),
                    year=form.cleaned_data["year"],
                    projects=parsed,
                    by=request.user,
                )
            except WorkbookErrors as exc:
                row_errors = [str(e) for e in exc.errors]
            except ValidationError as exc:
                row_errors = exc.messages
            else:
                messages.success(request, f"已导入 {count} 个项目。")
                return redirect("investment:project_list")
        else:
            row_errors = [m for errors in form.errors.values() for m in errors]
        return render(
            request,
            "investment/project_upload_errors.html",
            {"row_errors": row_errors, "headers": imports.HEADERS},
            status=400,
        )


class ProjectDetailView(RoleRequiredMixin, View):
    required_roles = UNIT_ROLES

    def get(self, request, pk, form=None):
        project = get_for_user(request.user, Project.objects.select_related("organization"), pk=pk)
        return render(
            request,
            "investment/project_detail.html",
            {
                "project": project,
                "evidence": selectors.evidence_for_project(request.user, project),
                "can_write": has_role(request.user, Role.REPORTER),
                "evidence_form": form or forms.EvidenceForm(),
                "major": rules.is_major(
                    received_foreign_musd=project.received_foreign_musd,
                    received_domestic_wan=project.received_domestic_wan,
                    foreign_threshold_musd=selectors.parameters(project.year).foreign_major_musd,
                    domestic_threshold_yi=selectors.parameters(project.year).domestic_major_yi,
                ),
            },
        )


class ProjectEvidenceView(ProjectWriteMixin, ActionView):
    def get_object(self, pk):
        return get_for_user(self.request.user, Project, pk=pk)

    def decision(self, project):
        return permissions.can_write_projects(self.request.user, project.organization, project.year)

    def refused(self, project, decision):
        form = forms.EvidenceForm()
        form.add_error("file", decision.reason)
        return self.detail(project.pk, form)

    def detail(self, pk, form):
        detail = ProjectDetailView()
        detail.request = self.request
        response = detail.get(self.request, pk, form=form)
        response.status_code = 400
        return response

    def act(self, request, project, pk):
        form = forms.EvidenceForm(request.POST, request.FILES)
        if _evidence_saved(request, form, organization=project.organization, project=project):
            return redirect("investment:project_detail", pk=pk)
        return self.detail(pk, form)


class EvidenceDownloadView(RoleRequiredMixin, View):
    required_roles = UNIT_ROLES

    def get(self, request, pk):
        evidence = get_for_user(request.user, Evidence, pk=pk)
        return evidence_response(evidence.file, evidence.original_name)


# ---------------------------------------------------------------- indicators


class IndicatorsView(RoleRequiredMixin, TemplateView):
    required_roles = (Role.REPORTER, *OVERSIGHT)
    template_name = "investment/indicators.html"

    def get_context_data(self, **kwargs):
        year = _year(self.request)
        user = self.request.user
        target_set = selectors.current_targets(year)
        units = []
        if target_set is not None:
            rows = selectors.county_rows(target_set)
            if not has_role(user, *OVERSIGHT):
                rows = [r for r in rows if r.organization == user_organization(user)]
            table = selectors.weights(year)
            for row in rows:
                left_out = selectors.left_out(row.organization, year)
                published = selectors.published_row(row.organization, year)
                if published is not None and not published.not_submitted:
                    # A published year shows the figures as published (spec decision: frozen results).
                    units.append(
                        {
                            "organization": row.organization,
                            "lines": published.lines,
                            "total": published.score,
                            "published": published.publication,
                            "left_out": left_out,
                        }
                    )
                    continue
                _, items = selectors.unit_indicators(row.organization, year)
                total, lines = rules.score(items, table)
                units.append(
                    {"organization": row.organization, "lines": lines, "total": total, "left_out": left_out}
                )
        return super().get_context_data(year=year, target_set=target_set, units=units, **kwargs)
