"""Thin views: look up through ``orgs.access``, validate a form, call one service, redirect with a message."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from orgs.access import NO_ORGANIZATION, RoleRequiredMixin, get_for_user, user_organization
from orgs.excel import WorkbookErrors
from orgs.models import Organization
from orgs.roles import Role, has_role

from . import exports, imports, reconcile, rules, selectors, services
from .filters import ProjectFilter
from .forms import (
    AdjustForm,
    CityApprovalForm,
    DisburseForm,
    DisqualifyForm,
    ImportForm,
    ProjectForm,
    ReconcileForm,
    RecoverForm,
    ReturnForm,
    ReviseForm,
    SchemeForm,
    TargetForm,
    WhatIfForm,
)
from .models import (
    Allocation,
    AllocationLine,
    AllocationStatus,
    Clawback,
    Disqualification,
    IndustrialTarget,
    Project,
)
from .tables import EditableProjectTable, ProjectTable

PROJECT_READERS = (Role.REPORTER, Role.FGW_CLERK, Role.FGW_APPROVER, Role.LEADER)
ALLOCATION_READERS = (Role.FGW_CLERK, Role.FGW_APPROVER, Role.CITY_OFFICE, Role.FINANCE, Role.LEADER)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORT_EXPIRED = "导入预览已失效，请重新上传。"
SAVED = "已保存。"
FORM_INVALID = "提交内容有误，未保存："
COMPUTED = "{year}年度考核得分和奖励资金分配已计算（草稿）。"


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


def _attach(form, exc: ValidationError) -> None:
    """Put a service's ValidationError next to the form's fields (or on top when the field is not shown)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error.messages)
    else:
        form.add_error(None, exc.messages)


def _own_organization(user) -> Organization:
    organization = user_organization(user)
    if organization is None:
        raise ValidationError(NO_ORGANIZATION)
    return organization


class IndexView(LoginRequiredMixin, TemplateView):
    template_name = "awards/index.html"

    def get(self, request, *args, **kwargs):
        year = request.GET.get("year", "")
        if year.isdigit() and 2000 <= int(year) <= 2100:
            return redirect("awards:allocation", year=int(year))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            **kwargs,
            is_reporter=has_role(user, Role.REPORTER, Role.ADMIN),
            is_clerk=has_role(user, Role.FGW_CLERK, Role.ADMIN),
            is_fgw=has_role(user, Role.FGW_CLERK, Role.FGW_APPROVER, Role.ADMIN),
            sees_clawbacks=has_role(
                user, Role.FINANCE, Role.FGW_CLERK, Role.FGW_APPROVER, Role.LEADER, Role.ADMIN
            ),
            sees_projects=has_role(user, *PROJECT_READERS, Role.ADMIN),
            sees_allocations=has_role(user, *ALLOCATION_READERS, Role.ADMIN),
            years=sorted(
                set(Allocation.objects.values_list("year", flat=True))
                | set(Project.objects.values_list("year", flat=True).distinct()),
                reverse=True,
            ),
        )


class ProjectListView(RoleRequiredMixin, SingleTableMixin, FilterView):
    required_roles = PROJECT_READERS
    table_class = ProjectTable
    filterset_class = ProjectFilter
    template_name = "awards/project_list.html"
    paginate_by = 50

    def get_queryset(self):
        return selectors.projects_for(self.request.user)

    def get_table_class(self):
        return (
            EditableProjectTable if has_role(self.request.user, Role.REPORTER, Role.ADMIN) else ProjectTable
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["totals"] = selectors.project_totals(context["filter"].qs)
        context["can_edit"] = has_role(self.request.user, Role.REPORTER, Role.ADMIN)
        return context


class ProjectFormView(RoleRequiredMixin, View):
    required_roles = (Role.REPORTER,)
    template_name = "awards/project_form.html"

    def get_object(self):
        if "pk" not in self.kwargs:
            return None
        return get_for_user(self.request.user, Project, pk=self.kwargs["pk"])

    def get(self, request, **kwargs):
        project = self.get_object()
        return render(
            request, self.template_name, {"form": ProjectForm(instance=project), "project": project}
        )

    def post(self, request, **kwargs):
        project = self.get_object()
        form = ProjectForm(request.POST, instance=project)
        if form.is_valid():
            obj = form.save(commit=False)
            try:
                if project is None:
                    obj.entity = _own_organization(request.user)
                services.project_save(project=obj, by=request.user)
            except ValidationError as exc:
                _attach(form, exc)
            else:
                messages.success(request, SAVED)
                return redirect("awards:project_list")
        return render(request, self.template_name, {"form": form, "project": project})


class TargetFormView(RoleRequiredMixin, View):
    required_roles = (Role.REPORTER,)
    template_name = "awards/target_form.html"

    def _target(self, request, year):
        organization = user_organization(request.user)
        if organization is None:
            return None
        return IndustrialTarget.objects.filter(year=year, entity=organization).first()

    def get(self, request):
        year = request.GET.get("year", "")
        target = self._target(request, int(year)) if year.isdigit() else None
        form = TargetForm(instance=target, initial={"year": year} if year.isdigit() else None)
        return render(
            request, self.template_name, {"form": form, "targets": selectors.targets_for(request.user)}
        )

    def post(self, request):
        year = request.POST.get("year", "")
        target = self._target(request, int(year)) if year.isdigit() else None
        form = TargetForm(request.POST, instance=target)
        if form.is_valid():
            obj = form.save(commit=False)
            try:
                obj.entity = _own_organization(request.user)
                services.target_save(target=obj, by=request.user)
            except ValidationError as exc:
                _attach(form, exc)
            else:
                messages.success(request, SAVED)
                return redirect("awards:target_edit")
        return render(
            request, self.template_name, {"form": form, "targets": selectors.targets_for(request.user)}
        )


def _import_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "awards_imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _own_or_none(user):
    return None if has_role(user, Role.ADMIN) else user_organization(user)


class ImportView(RoleRequiredMixin, View):
    required_roles = (Role.REPORTER,)
    template_name = "awards/import.html"

    def get(self, request):
        return render(request, self.template_name, {"form": ImportForm()})

    def post(self, request):
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form})
        year, upload = form.cleaned_data["year"], form.cleaned_data["file"]
        own = _own_or_none(request.user)
        if own is None and not has_role(request.user, Role.ADMIN):
            form.add_error(None, NO_ORGANIZATION)
            return render(request, self.template_name, {"form": form})
        try:
            plan = imports.parse(upload, year=year, own=own)
        except WorkbookErrors as exc:
            return render(request, self.template_name, {"form": form, "errors": [str(e) for e in exc.errors]})
        token = uuid.uuid4().hex
        upload.seek(0)
        (_import_dir() / f"{token}.xlsx").write_bytes(upload.read())
        request.session["awards_import"] = {"token": token, "year": year}
        return render(request, "awards/import_preview.html", {"plan": plan, "year": year, "token": token})


class ImportConfirmView(RoleRequiredMixin, View):
    required_roles = (Role.REPORTER,)

    def post(self, request):
        pending = request.session.get("awards_import") or {}
        token = request.POST.get("token", "")
        path = _import_dir() / f"{pending.get('token', '')}.xlsx"
        if not pending or token != pending.get("token") or not token.isalnum() or not path.exists():
            messages.error(request, IMPORT_EXPIRED)
            return redirect("awards:import")
        try:
            counts = imports.import_workbook(
                str(path), year=pending["year"], by=request.user, own=_own_or_none(request.user)
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
        path.unlink(missing_ok=True)
        messages.success(
            request,
            f"导入完成：新增 {counts['add']} 行，修改 {counts['change']} 行，未变 {counts['unchanged']} 行。",
        )
        return redirect(reverse("awards:project_list") + f"?year={pending['year']}")


class ImportTemplateView(RoleRequiredMixin, View):
    required_roles = (Role.REPORTER, Role.FGW_CLERK)

    def get(self, request):
        return _xlsx(imports.template(), "百大项目导入模板.xlsx")


class SchemeView(RoleRequiredMixin, View):
    required_roles = (Role.FGW_CLERK,)
    template_name = "awards/scheme_form.html"

    def _context(self, year, form):
        params = services.scheme_for_year(year)
        return {
            "form": form,
            "year": year,
            "locked": services.year_is_locked(year),
            "rate_helper": services.rate_helper(params, services.latest_allocation(year)),
        }

    def get(self, request, year):
        form = SchemeForm(instance=services.scheme_for_year(year))
        return render(request, self.template_name, self._context(year, form))

    def post(self, request, year):
        form = SchemeForm(request.POST, instance=services.scheme_for_year(year))
        if form.is_valid():
            try:
                services.scheme_save(params=form.save(commit=False), by=request.user)
            except ValidationError as exc:
                _attach(form, exc)
            else:
                messages.success(request, SAVED)
                return redirect("awards:scheme", year=year)
        return render(request, self.template_name, self._context(year, form))


class ComputeView(RoleRequiredMixin, View):
    required_roles = (Role.FGW_CLERK,)

    def post(self, request, year):
        try:
            services.allocation_compute(year=year, by=request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, COMPUTED.format(year=year))
        return redirect("awards:allocation", year=year)


class AllocationView(RoleRequiredMixin, View):
    required_roles = ALLOCATION_READERS
    template_name = "awards/allocation.html"

    def get(self, request, year):
        context = allocation_context(request, year)
        allocation = context["allocation"]
        if allocation is not None:
            initial = {"rate": allocation.rate, "tiers": allocation.parameters.get("tiers", [])}
            form = WhatIfForm(request.GET if "rate" in request.GET else None, initial=initial)
            context["whatif_form"] = form
            if form.is_bound and form.is_valid():
                result = services.what_if(
                    allocation,
                    rate=form.cleaned_data["rate"],
                    tiers=rules.parse_tiers(form.cleaned_data["tiers"]),
                )
                amounts = {line.entity.id: line for line in result.lines}
                context["whatif"] = amounts
                context["whatif_warnings"] = result.warnings
                context["whatif_total"] = sum(x.amount for x in result.lines)
                for line in context["group1"] + context["group2"]:
                    line.whatif = amounts.get(line.entity_id)
        return render(request, self.template_name, context)


class AllocationLineView(RoleRequiredMixin, View):
    required_roles = ALLOCATION_READERS

    def get(self, request, year, entity):
        allocation = selectors.allocations_for(request.user).filter(year=year).order_by("-revision").first()
        if allocation is None:
            raise Http404(services.NO_ALLOCATION.format(year=year))
        line = get_object_or_404(allocation.lines.select_related("entity", "allocation"), entity_id=entity)
        return render(request, "awards/allocation_line.html", line_context(request, line))


class ExportView(RoleRequiredMixin, View):
    required_roles = ALLOCATION_READERS

    def get(self, request, year):
        allocation = selectors.allocations_for(request.user).filter(year=year).order_by("-revision").first()
        if allocation is None:
            raise Http404(services.NO_ALLOCATION.format(year=year))
        return _xlsx(exports.export_allocation(allocation), f"{year}年全市百大项目建设奖励资金分配表.xlsx")


# --- issue 4: workflow, adjustments, disqualification, clawback, history, reconciliation ----------------

DONE = {
    "submit": "已提交审批，已通知发改委审批人员。",
    "approve": "已审批通过，已通知市政府办公室登记批复。",
    "return": "已退回发改委经办修改。",
    "city_approval": "已登记市政府批复，已通知市财政局拨付。",
    "revise": "已新建修订版本（草稿），该年度数据已解锁。",
    "adjust": "分配金额已调整，计算金额和调整理由均已保留。",
    "disqualify": "已登记取消奖励资格。",
    "disburse": "已登记拨付。",
    "recover": "已登记收回。",
}
NOT_LATEST = "这不是该年度的最新修订版本，不能操作。"


def _version(form) -> int | None:
    return form.cleaned_data.get("version") if form.is_valid() else None


def _latest_visible(user, year):
    return selectors.allocations_for(user).filter(year=year).order_by("-revision").first()


def allocation_context(request, year, **forms_override) -> dict:
    """The allocation page: lines, whose turn it is, and the buttons this user may press."""
    allocation = _latest_visible(request.user, year)
    user = request.user
    context = {
        "year": year,
        "allocation": allocation,
        "can_compute": has_role(user, Role.FGW_CLERK, Role.ADMIN),
        "locked": services.year_is_locked(year),
    }
    if allocation is None:
        return context
    status = allocation.status
    version = {"version": allocation.version}
    archived = bool(allocation.source)
    context.update(
        {
            "group1": selectors.allocation_lines(allocation, 1),
            "group2": selectors.allocation_lines(allocation, 2),
            "can_submit": status == AllocationStatus.DRAFT
            and not archived
            and has_role(user, Role.FGW_CLERK, Role.ADMIN),
            "can_approve": status == AllocationStatus.SUBMITTED
            and has_role(user, Role.FGW_APPROVER, Role.ADMIN),
            "own_submission": allocation.submitted_by_id == user.pk,
            "can_city": status == AllocationStatus.APPROVED and has_role(user, Role.CITY_OFFICE, Role.ADMIN),
            "can_revise": status in services.APPROVED_STATES and has_role(user, Role.FGW_CLERK, Role.ADMIN),
            "return_form": forms_override.get("return_form") or ReturnForm(initial=version),
            "city_form": forms_override.get("city_form") or CityApprovalForm(initial=version),
            "revise_form": forms_override.get("revise_form") or ReviseForm(),
            "pending_lines": services.payable_lines(allocation).count()
            if status == AllocationStatus.CITY_APPROVED
            else None,
        }
    )
    return context


def _report_form_errors(request, form) -> None:
    """A step's form is shown only in the state that allows the step; the errors must reach the user anyway."""
    parts = [
        f"{form.fields[name].label if name in form.fields else ''}：{'；'.join(errors)}".lstrip("：")
        for name, errors in form.errors.items()
    ]
    messages.error(request, FORM_INVALID + "；".join(parts))


class WorkflowActionView(RoleRequiredMixin, View):
    """POST only: one workflow step on the year's latest revision; errors come back on the page."""

    action = ""
    form_class = None
    form_name = ""

    def post(self, request, year):
        allocation = _latest_visible(request.user, year)
        if allocation is None:
            raise Http404(services.NO_ALLOCATION.format(year=year))
        form = self.form_class(request.POST) if self.form_class else None
        if form is not None and not form.is_valid():
            return self.invalid(request, year, form)
        data = form.cleaned_data if form is not None else {}
        try:
            self.perform(allocation, request.user, data, request.POST)
        except ValidationError as exc:
            if form is not None and hasattr(exc, "error_dict"):
                _attach(form, exc)
                return self.invalid(request, year, form)
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, DONE[self.action])
        return redirect("awards:allocation", year=year)

    def invalid(self, request, year, form):
        _report_form_errors(request, form)
        context = allocation_context(request, year, **{self.form_name: form})
        return render(request, AllocationView.template_name, context, status=200)

    @staticmethod
    def seen(post) -> int | None:
        value = post.get("version", "")
        return int(value) if value.isdigit() else None


class SubmitView(WorkflowActionView):
    required_roles = (Role.FGW_CLERK,)
    action = "submit"
    form_class = None

    def perform(self, allocation, user, data, post):
        services.allocation_submit(allocation=allocation, by=user, version=self.seen(post))


class ApproveView(WorkflowActionView):
    required_roles = (Role.FGW_APPROVER,)
    action = "approve"
    form_class = None

    def perform(self, allocation, user, data, post):
        services.allocation_approve(allocation=allocation, by=user, version=self.seen(post))


class ReturnView(WorkflowActionView):
    required_roles = (Role.FGW_APPROVER,)
    action = "return"
    form_class = ReturnForm
    form_name = "return_form"

    def perform(self, allocation, user, data, post):
        services.allocation_return(
            allocation=allocation, by=user, note=data["note"], version=data.get("version")
        )


class CityApprovalView(WorkflowActionView):
    required_roles = (Role.CITY_OFFICE,)
    action = "city_approval"
    form_class = CityApprovalForm
    form_name = "city_form"

    def perform(self, allocation, user, data, post):
        services.allocation_record_city_approval(
            allocation=allocation,
            by=user,
            document_no=data["document_no"],
            document_date=data["document_date"],
            version=data.get("version"),
        )


class ReviseView(WorkflowActionView):
    required_roles = (Role.FGW_CLERK,)
    action = "revise"
    form_class = ReviseForm
    form_name = "revise_form"

    def perform(self, allocation, user, data, post):
        services.allocation_revise(allocation=allocation, by=user, reason=data["reason"])


def line_context(request, line, **forms_override) -> dict:
    allocation = line.allocation
    user = request.user
    status = allocation.status
    version = {"version": allocation.version}
    latest = services.latest_allocation(allocation.year)
    is_latest = latest is not None and latest.pk == allocation.pk
    disqualification = Disqualification.objects.filter(line=line).select_related("by").first()
    clawback = (
        Clawback.objects.filter(disqualification=disqualification).first() if disqualification else None
    )
    return {
        "allocation": allocation,
        "line": line,
        "disqualification": disqualification,
        "clawback": clawback,
        "can_adjust": is_latest
        and not allocation.source
        and status in services.PENDING_CHANGE
        and has_role(user, Role.FGW_CLERK, Role.ADMIN),
        "can_disqualify": is_latest
        and not line.disqualified
        and status != AllocationStatus.SUBMITTED
        and has_role(user, Role.FGW_CLERK, Role.ADMIN),
        "can_disburse": status == AllocationStatus.CITY_APPROVED
        and not line.disbursed
        and not line.disqualified
        and line.final_amount > 0
        and has_role(user, Role.FINANCE, Role.ADMIN),
        "adjust_form": forms_override.get("adjust_form")
        or AdjustForm(initial={**version, "amount": line.final_amount, "reason": line.adjustment_reason}),
        "disqualify_form": forms_override.get("disqualify_form") or DisqualifyForm(initial=version),
        "disburse_form": forms_override.get("disburse_form") or DisburseForm(),
    }


class LineActionView(RoleRequiredMixin, View):
    action = ""
    form_class = None
    form_name = ""

    def post(self, request, pk):
        line = get_object_or_404(
            AllocationLine.objects.select_related("allocation", "entity").filter(
                allocation__in=selectors.allocations_for(request.user)
            ),
            pk=pk,
        )
        form = self.form_class(request.POST, request.FILES)
        if form.is_valid():
            try:
                self.perform(line, request.user, form.cleaned_data)
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    _attach(form, exc)
                else:
                    messages.error(request, "；".join(exc.messages))
                    return redirect(
                        "awards:allocation_line", year=line.allocation.year, entity=line.entity_id
                    )
            else:
                messages.success(request, DONE[self.action])
                return redirect("awards:allocation_line", year=line.allocation.year, entity=line.entity_id)
        _report_form_errors(request, form)
        line.refresh_from_db()
        context = line_context(request, line, **{self.form_name: form})
        return render(request, "awards/allocation_line.html", context)


class AdjustView(LineActionView):
    required_roles = (Role.FGW_CLERK,)
    action, form_class, form_name = "adjust", AdjustForm, "adjust_form"

    def perform(self, line, user, data):
        services.line_adjust(
            line=line, by=user, amount=data["amount"], reason=data["reason"], version=data.get("version")
        )


class DisqualifyView(LineActionView):
    required_roles = (Role.FGW_CLERK,)
    action, form_class, form_name = "disqualify", DisqualifyForm, "disqualify_form"

    def perform(self, line, user, data):
        services.line_disqualify(
            line=line,
            by=user,
            ground=data["ground"],
            description=data["description"],
            document=data["document"],
            version=data.get("version"),
        )


class DisburseView(LineActionView):
    required_roles = (Role.FINANCE,)
    action, form_class, form_name = "disburse", DisburseForm, "disburse_form"

    def perform(self, line, user, data):
        services.line_disburse(line=line, by=user, paid_on=data["paid_on"], voucher_no=data["voucher_no"])


class DocumentView(RoleRequiredMixin, View):
    """The document of a disqualification, only through ``orgs.access``."""

    required_roles = ALLOCATION_READERS

    def get(self, request, pk):
        record = get_for_user(request.user, Disqualification, pk=pk)
        name = Path(record.document_name or record.document.name).name
        return FileResponse(record.document.open("rb"), as_attachment=True, filename=name)


class HistoryView(RoleRequiredMixin, View):
    required_roles = ALLOCATION_READERS

    def get(self, request, year):
        visible_ids = set(
            selectors.allocations_for(request.user).filter(year=year).values_list("pk", flat=True)
        )
        revisions = [r for r in services.allocation_history(year) if r.pk in visible_ids]
        if not revisions:
            raise Http404(services.NO_ALLOCATION.format(year=year))
        disqualifications = (
            Disqualification.objects.filter(line__allocation__year=year)
            .select_related("line__entity", "line__allocation", "by")
            .order_by("at")
        )
        return render(
            request,
            "awards/history.html",
            {"year": year, "revisions": revisions, "disqualifications": disqualifications},
        )


class ClawbackListView(RoleRequiredMixin, View):
    required_roles = (Role.FINANCE, Role.FGW_CLERK, Role.FGW_APPROVER, Role.LEADER)

    def get(self, request):
        clawbacks = selectors.clawbacks_for(request.user)
        return render(
            request,
            "awards/clawbacks.html",
            {
                "clawbacks": clawbacks,
                "can_recover": has_role(request.user, Role.FINANCE, Role.ADMIN),
                "form": RecoverForm(),
            },
        )


class RecoverView(RoleRequiredMixin, View):
    required_roles = (Role.FINANCE,)

    def post(self, request, pk):
        clawback = get_for_user(request.user, Clawback, pk=pk)
        form = RecoverForm(request.POST)
        if not form.is_valid():
            for field, errors in form.errors.items():
                messages.error(
                    request,
                    f"{form.fields[field].label if field in form.fields else ''}：{'；'.join(errors)}",
                )
            return redirect("awards:clawbacks")
        try:
            services.clawback_recover(
                clawback=clawback,
                by=request.user,
                recovered_on=form.cleaned_data["recovered_on"],
                voucher_no=form.cleaned_data["voucher_no"],
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, DONE["recover"])
        return redirect("awards:clawbacks")


class ReconcileView(RoleRequiredMixin, View):
    required_roles = (Role.FGW_CLERK, Role.FGW_APPROVER)
    template_name = "awards/reconcile.html"

    def get(self, request):
        return render(request, self.template_name, {"form": ReconcileForm()})

    def post(self, request):
        form = ReconcileForm(request.POST, request.FILES)
        context = {"form": form}
        if form.is_valid():
            try:
                context["problems"] = reconcile.reconcile_file(
                    form.cleaned_data["file"], year=form.cleaned_data["year"], rate=form.cleaned_data["rate"]
                )
            except WorkbookErrors as exc:
                context["errors"] = [str(e) for e in exc.errors]
            else:
                context["checked"] = True
        return render(request, self.template_name, context)
