"""Scheme parameters, computing, the score tables with their derivation, and the export (发改委)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View

from orgs.access import RoleRequiredMixin
from orgs.actions import ActionView
from orgs.downloads import xlsx_response
from orgs.forms import attach_errors
from orgs.roles import Role, has_role

from .. import exports, permissions, rules, selectors, services, workflow
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
)


class SchemeView(ActionView):
    required_roles = (Role.FGW_CLERK,)
    http_method_names = ["get", "post"]
    template_name = "awards/scheme_form.html"

    def _context(self, year, form):
        params = services.scheme_for_year(year)
        return {
            "form": form,
            "year": year,
            "locked": services.year_is_locked(year),
            "rate_helper": services.rate_helper(params, services.latest_allocation(year)),
            "pool_warning": services.pool_warning(params, services.latest_allocation(year)),
        }

    def get(self, request, year):
        form = SchemeForm(instance=services.scheme_for_year(year))
        return render(request, self.template_name, self._context(year, form))

    def decision(self, obj):
        return permissions.can_set_scheme(self.request.user)

    def act(self, request, obj, year):
        form = SchemeForm(request.POST, instance=services.scheme_for_year(year))
        if form.is_valid():
            try:
                services.scheme_save(params=form.save(commit=False), by=request.user)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, SAVED)
                return redirect("awards:scheme", year=year)
        return render(request, self.template_name, self._context(year, form))


class ComputeView(ActionView):
    required_roles = (Role.FGW_CLERK,)

    def get_object(self, year):
        return year

    def decision(self, year):
        return permissions.can_compute(self.request.user, year)

    @property
    def done(self):
        return COMPUTED.format(year=self.kwargs["year"])

    def perform(self, year, user, data):
        services.allocation_compute(year=year, by=user)

    def success_url(self, year):
        return reverse("awards:allocation", args=[year])


class AllocationView(RoleRequiredMixin, View):
    required_roles = ALLOCATION_READERS
    template_name = "awards/allocation.html"

    def get(self, request, year):
        context = allocation_context(request, year)
        allocation = context["allocation"]
        if allocation is not None and context["can_whatif"]:
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
                context.update(_totals(context["group1"], context["group2"]))
        return render(request, self.template_name, context)


class AllocationLineView(RoleRequiredMixin, View):
    """One unit's scores with their derivation and its money; a 填报员 sees its own unit's (others: 404)."""

    required_roles = (*ALLOCATION_READERS, Role.REPORTER)

    def get(self, request, year, entity):
        decision = permissions.can_view_line(request.user, entity)
        if not decision:
            raise Http404(decision.reason)
        allocation = services.latest_allocation(year)  # the decision above is the scope of this lookup
        if allocation is None:
            raise Http404(services.NO_ALLOCATION.format(year=year))
        line = get_object_or_404(allocation.lines.select_related("entity", "allocation"), entity_id=entity)
        return render(request, "awards/allocation_line.html", line_context(request, line))


class ExportView(RoleRequiredMixin, View):
    required_roles = ALLOCATION_READERS

    def get(self, request, year):
        allocation = _latest_visible(request.user, year)
        if allocation is None:
            raise Http404(services.NO_ALLOCATION.format(year=year))
        return xlsx_response(
            exports.export_allocation(allocation), f"{year}年全市百大项目建设奖励资金分配表.xlsx"
        )


def _latest_visible(user, year):
    return selectors.allocations_for(user).latest_revision(year)


def _actions(user, allocation, checks: dict) -> dict:
    """For each action the user's role may take: its decision (a refused one is shown disabled, with why)."""
    out = {}
    for name, (step, check) in checks.items():
        if step.role_decision(user):
            out[name] = check(user, allocation)
    return out


def _with_balances(allocation, lines, user) -> selectors.MoneySummary:
    """Each line's money across revisions (``selectors.money_summary``) as ``line.balance``."""
    summary = selectors.money_summary(allocation.year, lines=lines)
    pays = has_role(user, Role.FINANCE)
    for line in lines:
        line.balance = summary.row(line.entity_id)
        line.pay_here = pays and line.balance is not None and line.balance.to_pay > 0 and not line.disbursed
    return summary


def allocation_context(request, year, **forms_override) -> dict:
    """The allocation page: lines with each unit's money, whose turn it is, and the actions of this user."""
    allocation = _latest_visible(request.user, year)
    user = request.user
    context = {
        "year": year,
        "allocation": allocation,
        "compute": permissions.can_compute(user, year) if workflow.COMPUTE.role_decision(user) else None,
        "can_compute": bool(workflow.COMPUTE.role_decision(user)),
        "locked": services.year_is_locked(year),
        # verified facts: both figures of every project whose declared 完成投资 is not the scored 入统 one
        "differences": list(selectors.statistics_differences(year)),
        "verification": selectors.verification_counts(year),
    }
    if allocation is None:
        return context
    version = {"version": allocation.version}
    table = selectors.allocation_table(allocation)
    group1, group2 = table[1], table[2]
    money = _with_balances(allocation, group1 + group2, user)
    stale = (
        not allocation.source
        and allocation.status in workflow.PENDING | {AllocationStatus.APPROVED}
        and services.is_stale(allocation)
    )
    actions = _actions(
        user,
        allocation,
        {
            "submit": (workflow.SUBMIT, permissions.can_submit),
            "approve": (workflow.APPROVE, permissions.can_approve),
            "return": (workflow.RETURN, permissions.can_return),
            "city": (workflow.CITY_APPROVAL, permissions.can_record_city_approval),
            "revise": (workflow.REVISE, permissions.can_revise),
        },
    )
    shown = {
        "submit": allocation.status == AllocationStatus.DRAFT,
        "approve": allocation.status == AllocationStatus.SUBMITTED,
        "return": allocation.status == AllocationStatus.SUBMITTED,
        "city": allocation.status == AllocationStatus.APPROVED,
        "revise": allocation.status in workflow.APPROVED,
    }
    actions = {name: decision for name, decision in actions.items() if shown[name]}
    params = services.scheme_for_year(year)
    context.update(
        {
            "group1": group1,
            "group2": group2,
            "actions": actions,
            "stale": stale,
            "stale_changes": services.inputs_changes(allocation) if stale else [],
            "pool_warning": services.pool_warning(params, allocation),
            # the units ``services.payable_lines`` gives, counted from the summary already read
            "pending_lines": sum(1 for row in money.rows if row.to_pay > 0)
            if allocation.status == AllocationStatus.CITY_APPROVED
            else None,
            "return_form": forms_override.get("return_form") or ReturnForm(initial=version),
            "city_form": forms_override.get("city_form") or CityApprovalForm(initial=version),
            "revise_form": forms_override.get("revise_form") or ReviseForm(),
            "can_whatif": has_role(user, Role.FGW_CLERK, Role.FGW_APPROVER),
            "notice": permissions.can_download_notice(user, allocation),
            "returned": selectors.return_note(allocation),
            "charts": {"group1": _money_chart(group1), "group2": _money_chart(group2)},
            # a revision waiting for 市政府批复, against what each unit holds: 补拨 or 收回 once approved
            "money": money,
            "changes": money.changes() if money.revision_pending and money.approved_revision else [],
            "changes_total": selectors.money_total("合计", money.changes()),
            **_totals(group1, group2),
        }
    )
    return context


def _totals(group1, group2) -> dict:
    """The 合计 rows: the whole table, then each group (the export's 合计 / 第一组 / 第二组 rows)."""
    return {
        "total": selectors.totals("合计", group1 + group2),
        "total1": selectors.totals("第一组合计", group1),
        "total2": selectors.totals("第二组合计", group2),
    }


def _money_chart(lines) -> dict:
    """The group's money by unit for ``static/js/charts.js`` (handed over through ``json_script``)."""
    series = [
        ("分配金额", [0 if x.disqualified else x.final_amount for x in lines]),
        ("取消资格", [x.final_amount if x.disqualified else 0 for x in lines]),
    ]
    return {
        "kind": "hbar",
        "stack": True,
        "unit": "万元",
        "categories": [x.entity.name for x in lines],
        "series": [{"name": name, "data": data} for name, data in series if any(data)],
    }


def line_context(request, line, **forms_override) -> dict:
    allocation = line.allocation
    user = request.user
    version = {"version": allocation.version}
    disqualification = Disqualification.objects.filter(line=line).select_related("by").first()
    balance = selectors.balance_of(allocation.year, line.entity_id)
    checks = {
        "adjust": (workflow.ADJUST, permissions.can_adjust),
        "disqualify": (workflow.DISQUALIFY, permissions.can_disqualify),
        "disburse": (workflow.DISBURSE, lambda u, x: permissions.can_disburse(u, x, to_pay=balance.to_pay)),
    }
    actions = _actions(user, line, checks)
    return {
        "allocation": allocation,
        "line": line,
        "rank": selectors.line_rank(line),
        "reads_allocation": has_role(user, *ALLOCATION_READERS),
        "balance": balance,
        "superseded": permissions.latest_only(allocation),
        "disqualification": disqualification,
        "clawbacks": list(
            Clawback.objects.filter(line__allocation__year=allocation.year, line__entity_id=line.entity_id)
            .select_related("line__allocation")
            .order_by("created_at")
        ),
        "actions": actions,
        "can_adjust": bool(actions.get("adjust")),
        "can_disqualify": bool(actions.get("disqualify")),
        "can_disburse": bool(actions.get("disburse")),
        "adjust_form": forms_override.get("adjust_form")
        or AdjustForm(initial={**version, "amount": line.final_amount, "reason": line.adjustment_reason}),
        "disqualify_form": forms_override.get("disqualify_form") or DisqualifyForm(initial=version),
        "disburse_form": forms_override.get("disburse_form") or DisburseForm(),
    }
