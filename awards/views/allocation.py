"""Scheme parameters, computing, the score tables with their derivation, and the export (发改委)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from orgs.access import RoleRequiredMixin
from orgs.roles import Role, has_role

from .. import exports, rules, selectors, services
from ..forms import (
    AdjustForm,
    CityApprovalForm,
    DisburseForm,
    DisqualifyForm,
    ReturnForm,
    ReviseForm,
    SchemeForm,
    WhatIfForm,
)
from ..models import (
    AllocationStatus,
    Clawback,
    Disqualification,
)
from .common import (
    ALLOCATION_READERS,
    COMPUTED,
    SAVED,
    _attach,
    _xlsx,
)


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
