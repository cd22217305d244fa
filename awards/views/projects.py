"""Project data entry: the list, forms, industrial targets and the Excel import (填报员)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from orgs.access import RoleRequiredMixin, get_for_user, user_organization
from orgs.actions import ActionView
from orgs.downloads import xlsx_response
from orgs.excel import WorkbookErrors
from orgs.forms import attach_errors
from orgs.pagination import CappedPaginator, LatestYearMixin
from orgs.params import query_value
from orgs.roles import Role, has_role
from orgs.workflow import require_or_403

from .. import imports, permissions, selectors, services
from ..filters import ProjectFilter
from ..forms import (
    ImportForm,
    ProjectForm,
    TargetForm,
)
from ..models import (
    Allocation,
    IndustrialTarget,
    Project,
)
from ..tables import EditableProjectTable, ProjectTable
from .common import (
    ALLOCATION_READERS,
    IMPORT_EXPIRED,
    PROJECT_READERS,
    SAVED,
    _own_organization,
)


class IndexView(RoleRequiredMixin, TemplateView):
    template_name = "awards/index.html"
    page_permission = permissions.can_open_awards  # the menu entry asks the same function

    def get(self, request, *args, **kwargs):
        year = query_value(request, "year")
        if year is not None:
            return redirect("awards:allocation", year=year)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        own = user_organization(user) if has_role(user, Role.REPORTER) else None
        return super().get_context_data(
            **kwargs,
            is_reporter=has_role(user, Role.REPORTER),
            is_clerk=has_role(user, Role.FGW_CLERK),
            is_fgw=has_role(user, Role.FGW_CLERK, Role.FGW_APPROVER),
            sees_clawbacks=has_role(user, Role.FINANCE, Role.FGW_CLERK, Role.FGW_APPROVER, Role.LEADER),
            sees_projects=has_role(user, *PROJECT_READERS),
            sees_allocations=has_role(user, *ALLOCATION_READERS),
            returned=selectors.returned_years() if own is not None else [],  # the units are told why
            own_entity=own,
            own_lines=selectors.own_line_years(own),
            years=sorted(
                # order_by(): the models' default ordering would otherwise join its columns into the
                # DISTINCT and read every project of every year.
                set(Allocation.objects.order_by().values_list("year", flat=True).distinct())
                | set(Project.objects.order_by().values_list("year", flat=True).distinct()),
                reverse=True,
            ),
        )


class ProjectListView(RoleRequiredMixin, LatestYearMixin, SingleTableMixin, FilterView):
    required_roles = PROJECT_READERS
    table_class = ProjectTable
    filterset_class = ProjectFilter
    template_name = "awards/project_list.html"
    table_pagination = {"per_page": 50}  # the table paginates; the FilterView must not count a second time
    paginator_class = CappedPaginator  # counts at most CAP rows: ten years of projects are never all counted

    def get_queryset(self):
        return selectors.projects_for(self.request.user)

    def get_table_class(self):
        return (
            EditableProjectTable
            if has_role(self.request.user, Role.REPORTER, Role.FGW_CLERK)
            else ProjectTable
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["totals"] = selectors.project_totals(context["filter"].qs)
        context["can_edit"] = has_role(self.request.user, Role.REPORTER)
        # a unit's 填报员 is told why 发改委 sent the year back (the clerks read it on the allocation page)
        context["returned"] = selectors.returned_years() if has_role(self.request.user, Role.REPORTER) else []
        return context


class ProjectFormView(ActionView):
    """A unit's 填报员 enters its own projects; 发改委经办 may correct any unit's project, with a reason."""

    required_roles = (Role.REPORTER, Role.FGW_CLERK)
    http_method_names = ["get", "post"]
    template_name = "awards/project_form.html"

    def _form(self, project, data=None):
        corrects = project is not None and permissions.corrects_for_unit(self.request.user, project)
        return ProjectForm(data, instance=project, corrects_for_unit=corrects)

    def _render(self, request, form, project):
        locked = permissions.year_open(project.year).reason if project is not None else ""
        if locked:  # a locked year's project is shown read-only, with the state of the year's allocation
            for field in form.fields.values():
                field.disabled = True
            form.helper.form_tag = False
            form.helper.inputs = []
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "project": project,
                "locked": locked,
                "can_verify": permissions.can_verify(request.user),
            },
        )

    def get_object(self, **kwargs):
        if "pk" not in kwargs:
            return None
        return get_for_user(self.request.user, Project, pk=kwargs["pk"])

    def decision(self, project):
        user = self.request.user
        if project is None:  # new projects come from the units
            return permissions.can_create_project(user)
        return permissions.can_edit_project(user, project)

    def get(self, request, **kwargs):
        project = self.get_object(**kwargs)
        if project is None:
            require_or_403(self.decision(project))
        return self._render(request, self._form(project), project)

    def act(self, request, project, **kwargs):
        form = self._form(project, request.POST)
        if form.is_valid():
            obj = form.save(commit=False)
            try:
                if project is None:
                    obj.entity = _own_organization(request.user)
                services.project_save(
                    project=obj, by=request.user, reason=form.cleaned_data.get("correction_reason", "")
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, SAVED)
                return redirect("awards:project_list")
        return self._render(request, form, project)


class TargetFormView(ActionView):
    """产业项目目标: 发改委经办 assigns them for every unit; a unit's 填报员 sees its own, read-only."""

    required_roles = (Role.REPORTER, Role.FGW_CLERK, Role.FGW_APPROVER)
    http_method_names = ["get", "post"]
    template_name = "awards/target_form.html"

    def _target(self, year, entity):
        if not (str(year).isdigit() and str(entity).isdigit()):
            return None
        return IndustrialTarget.objects.filter(year=int(year), entity_id=int(entity)).first()

    def _render(self, request, form):
        decision = permissions.can_set_targets(request.user)
        return render(
            request,
            self.template_name,
            {
                "form": form if decision else None,
                "refused": decision.reason,
                "targets": selectors.targets_for(request.user).order_by("-year", "entity__directory_order"),
            },
        )

    def get(self, request):
        year, entity = request.GET.get("year", ""), request.GET.get("entity", "")
        target = self._target(year, entity)
        initial = {"year": year} if year.isdigit() else None
        return self._render(request, TargetForm(instance=target, initial=initial))

    def decision(self, obj):
        return permissions.can_set_targets(self.request.user)

    def act(self, request, obj):
        target = self._target(request.POST.get("year", ""), request.POST.get("entity", ""))
        form = TargetForm(request.POST, instance=target)
        if form.is_valid():
            try:
                services.target_save(target=form.save(commit=False), by=request.user)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, SAVED)
                return redirect("awards:target_edit")
        return self._render(request, form)


def _preview_name(token: str) -> str:
    """Where an import waits between its preview and its confirmation (the default storage: whichever
    node serves the confirmation reads it; orgs.media sweeps the abandoned ones)."""
    return f"awards_imports/{token}.xlsx"


def _preview_save(token: str, upload) -> None:
    upload.seek(0)
    default_storage.save(_preview_name(token), ContentFile(upload.read()))


def _preview_file(name: str) -> ContentFile:
    with default_storage.open(name, "rb") as stored:
        return ContentFile(stored.read(), name=name)


def _own_or_none(user):
    """A unit's 填报员 imports its own rows; 发改委经办 imports for every unit (targets included)."""
    return None if has_role(user, Role.FGW_CLERK) else user_organization(user)


class ImportView(ActionView):
    required_roles = (Role.REPORTER, Role.FGW_CLERK)
    http_method_names = ["get", "post"]
    template_name = "awards/import.html"

    def decision(self, obj):
        return permissions.can_import(self.request.user)

    def refused(self, obj, decision):
        form = ImportForm()
        form.add_error(None, decision.reason)
        return render(self.request, self.template_name, {"form": form})

    def get(self, request):
        return render(request, self.template_name, {"form": ImportForm()})

    def act(self, request, obj):
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form})
        year, upload = form.cleaned_data["year"], form.cleaned_data["file"]
        own = _own_or_none(request.user)
        try:
            plan = imports.parse(upload, year=year, own=own)
        except WorkbookErrors as exc:
            return render(request, self.template_name, {"form": form, "errors": [str(e) for e in exc.errors]})
        token = uuid.uuid4().hex
        _preview_save(token, upload)
        request.session["awards_import"] = {"token": token, "year": year}
        return render(request, "awards/import_preview.html", {"plan": plan, "year": year, "token": token})


class ImportConfirmView(ActionView):
    required_roles = (Role.REPORTER, Role.FGW_CLERK)

    def decision(self, obj):
        return permissions.can_import(self.request.user)

    def act(self, request, obj):
        pending = request.session.get("awards_import") or {}
        token = request.POST.get("token", "")
        name = _preview_name(pending.get("token", ""))
        if (
            not pending
            or token != pending.get("token")
            or not token.isalnum()
            or not default_storage.exists(name)
        ):
            messages.error(request, IMPORT_EXPIRED)
            return redirect("awards:import")
        try:
            counts = imports.import_workbook(
                _preview_file(name), year=pending["year"], by=request.user, own=_own_or_none(request.user)
            )
        except WorkbookErrors as exc:
            return render(
                request, "awards/import.html", {"form": ImportForm(), "errors": [str(e) for e in exc.errors]}
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect("awards:import")
        finally:
            request.session.pop("awards_import", None)
        default_storage.delete(name)
        messages.success(
            request,
            f"导入完成：新增 {counts['add']} 行，修改 {counts['change']} 行，未变 {counts['unchanged']} 行。",
        )
        return redirect(reverse("awards:project_list") + f"?year={pending['year']}")


class ImportTemplateView(RoleRequiredMixin, View):
    required_roles = (Role.REPORTER, Role.FGW_CLERK)

    def get(self, request):
        return xlsx_response(imports.template(), "百大项目导入模板.xlsx")
