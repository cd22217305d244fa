"""Approval workflow, adjustments, disqualification, disbursement and clawback; history; reconciliation."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from orgs.access import RoleRequiredMixin, get_for_user
from orgs.excel import WorkbookErrors
from orgs.roles import Role, has_role

from .. import reconcile, selectors, services
from ..forms import (
    AdjustForm,
    CityApprovalForm,
    DisburseForm,
    DisqualifyForm,
    ReconcileForm,
    RecoverForm,
    ReturnForm,
    ReviseForm,
)
from ..models import (
    AllocationLine,
    Clawback,
    Disqualification,
)
from .allocation import (
    AllocationView,
    _latest_visible,
    allocation_context,
    line_context,
)
from .common import (
    ALLOCATION_READERS,
    FORM_INVALID,
    _attach,
)

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
