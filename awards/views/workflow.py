"""Approval workflow, adjustments, disqualification, disbursement and clawback; history; reconciliation."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views import View

from orgs.access import RoleRequiredMixin, get_for_user
from orgs.actions import ActionView, form_error_summary
from orgs.downloads import evidence_response
from orgs.excel import WorkbookErrors
from orgs.roles import Role

from .. import permissions, reconcile, selectors, services, workflow
from ..forms import (
    AdjustForm,
    CityApprovalForm,
    DisburseForm,
    DisqualifyForm,
    ReconcileForm,
    RecoverForm,
    ReturnForm,
    ReviseForm,
    VersionForm,
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
from .common import ALLOCATION_READERS


class WorkflowActionView(ActionView):
    """One step of the year's latest revision visible to the user."""

    step = None

    def get_object(self, year):
        allocation = _latest_visible(self.request.user, year)
        if allocation is None:
            raise Http404(services.NO_ALLOCATION.format(year=year))
        return allocation

    @property
    def done(self):
        return self.step.done

    def success_url(self, allocation):
        return reverse("awards:allocation", args=[allocation.year])

    def render_invalid(self, allocation, form):
        messages.error(self.request, form_error_summary(form))
        context = allocation_context(self.request, allocation.year, **{self.form_name: form})
        return render(self.request, AllocationView.template_name, context, status=200)


class SubmitView(WorkflowActionView):
    required_roles = workflow.SUBMIT.roles
    step = workflow.SUBMIT
    form_class, form_name = VersionForm, "version_form"

    def decision(self, allocation):
        return permissions.can_submit(self.request.user, allocation)

    def perform(self, allocation, user, data):
        services.allocation_submit(allocation=allocation, by=user, version=data["version"])


class ApproveView(WorkflowActionView):
    required_roles = workflow.APPROVE.roles
    step = workflow.APPROVE
    form_class, form_name = VersionForm, "version_form"

    def decision(self, allocation):
        return permissions.can_approve(self.request.user, allocation)

    def perform(self, allocation, user, data):
        services.allocation_approve(allocation=allocation, by=user, version=data["version"])


class ReturnView(WorkflowActionView):
    required_roles = workflow.RETURN.roles
    step = workflow.RETURN
    form_class, form_name = ReturnForm, "return_form"

    def decision(self, allocation):
        return permissions.can_return(self.request.user, allocation)

    def perform(self, allocation, user, data):
        services.allocation_return(allocation=allocation, by=user, note=data["note"], version=data["version"])


class CityApprovalView(WorkflowActionView):
    required_roles = workflow.CITY_APPROVAL.roles
    step = workflow.CITY_APPROVAL
    form_class, form_name = CityApprovalForm, "city_form"

    def decision(self, allocation):
        return permissions.can_record_city_approval(self.request.user, allocation)

    def perform(self, allocation, user, data):
        services.allocation_record_city_approval(
            allocation=allocation,
            by=user,
            document_no=data["document_no"],
            document_date=data["document_date"],
            version=data["version"],
        )


class ReviseView(WorkflowActionView):
    required_roles = workflow.REVISE.roles
    step = workflow.REVISE
    form_class, form_name = ReviseForm, "revise_form"

    def decision(self, allocation):
        return permissions.can_revise(self.request.user, allocation)

    def perform(self, allocation, user, data):
        services.allocation_revise(allocation=allocation, by=user, reason=data["reason"])


class LineActionView(ActionView):
    """One step on one unit's line of any revision the user sees (an older one is refused by the service)."""

    step = None

    def get_object(self, pk):
        return get_object_or_404(
            AllocationLine.objects.select_related("allocation", "entity").filter(
                allocation__in=selectors.allocations_for(self.request.user)
            ),
            pk=pk,
        )

    @property
    def done(self):
        return self.step.done

    def success_url(self, line):
        return reverse("awards:allocation_line", args=[line.allocation.year, line.entity_id])

    def render_invalid(self, line, form):
        messages.error(self.request, form_error_summary(form))
        line.refresh_from_db()
        context = line_context(self.request, line, **{self.form_name: form})
        return render(self.request, "awards/allocation_line.html", context)


class AdjustView(LineActionView):
    required_roles = workflow.ADJUST.roles
    step = workflow.ADJUST
    form_class, form_name = AdjustForm, "adjust_form"

    def decision(self, line):
        return permissions.can_adjust(self.request.user, line)

    def perform(self, line, user, data):
        services.line_adjust(
            line=line, by=user, amount=data["amount"], reason=data["reason"], version=data["version"]
        )


class DisqualifyView(LineActionView):
    required_roles = workflow.DISQUALIFY.roles
    step = workflow.DISQUALIFY
    form_class, form_name = DisqualifyForm, "disqualify_form"

    def decision(self, line):
        return permissions.can_disqualify(self.request.user, line)

    def perform(self, line, user, data):
        services.line_disqualify(
            line=line,
            by=user,
            ground=data["ground"],
            description=data["description"],
            document=data["document"],
            version=data["version"],
        )


class DisburseView(LineActionView):
    required_roles = workflow.DISBURSE.roles
    step = workflow.DISBURSE
    form_class, form_name = DisburseForm, "disburse_form"

    def decision(self, line):
        return permissions.can_disburse(self.request.user, line)

    def perform(self, line, user, data):
        services.line_disburse(line=line, by=user, paid_on=data["paid_on"], voucher_no=data["voucher_no"])


class DocumentView(RoleRequiredMixin, View):
    """The document of a disqualification, only through ``orgs.access``."""

    required_roles = ALLOCATION_READERS

    def get(self, request, pk):
        record = get_for_user(request.user, Disqualification, pk=pk)
        return evidence_response(record.document, record.document_name)


class HistoryView(RoleRequiredMixin, View):
    required_roles = ALLOCATION_READERS

    def get(self, request, year):
        visible_ids = set(
            selectors.allocations_for(request.user).filter(year=year).values_list("pk", flat=True)
        )
        revisions = [r for r in selectors.allocation_history(year) if r.pk in visible_ids]
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
                "can_recover": bool(workflow.RECOVER.role_decision(request.user)),
                "form": RecoverForm(),
            },
        )


class RecoverView(ActionView):
    required_roles = workflow.RECOVER.roles
    form_class = RecoverForm
    done = workflow.RECOVER.done

    def get_object(self, pk):
        return get_for_user(self.request.user, Clawback, pk=pk)

    def decision(self, clawback):
        return permissions.can_recover(self.request.user, clawback)

    def success_url(self, clawback):
        return reverse("awards:clawbacks")

    def perform(self, clawback, user, data):
        services.clawback_recover(
            clawback=clawback, by=user, recovered_on=data["recovered_on"], voucher_no=data["voucher_no"]
        )


class ReconcileView(ActionView):
    """Checks an uploaded table and shows what does not follow from the rules; it writes nothing."""

    required_roles = (Role.FGW_CLERK, Role.FGW_APPROVER)
    http_method_names = ["get", "post"]
    template_name = "awards/reconcile.html"

    def decision(self, obj):
        return permissions.can_reconcile(self.request.user)

    def get(self, request):
        return render(request, self.template_name, {"form": ReconcileForm()})

    def act(self, request, obj):
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
