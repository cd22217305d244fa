"""综合评价, 通报 and the incentive-allocation proposal (第七条(四)), with the per-year parameters."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from orgs.access import RoleRequiredMixin, get_for_user
from orgs.actions import ActionView
from orgs.forms import attach_errors
from orgs.roles import Role, has_role

from .. import forms, permissions, rules, selectors, services, workflow
from ..exports import ResultsExport
from ..models import (
    IncentiveProposal,
    PreviousYearBase,
    Publication,
    PublicationStatus,
    ScoreWeight,
    YearParameters,
)
from .common import (
    OVERSIGHT,
    StepView,
    _errors,
    _xlsx,
    offered,
)

# ---------------------------------------------------------------- scores, publication, incentives


class ScoresView(RoleRequiredMixin, TemplateView):
    required_roles = OVERSIGHT
    template_name = "investment/scores.html"

    def get_context_data(self, year, **kwargs):
        user = self.request.user
        publication = selectors.publication_to_publish(year)
        in_force = selectors.published_version(year)
        weights = [
            (rules.INDICATOR_LABELS[code], weight, cap)
            for code, (weight, cap) in selectors.weights(year).items()
        ]
        scores = selectors.year_scores(year)
        unsubmitted = selectors.never_submitted(scores)
        return super().get_context_data(
            year=year,
            scores=scores,
            weights=weights,
            parameters=selectors.parameters(year),
            publication=publication,
            published=in_force is not None,
            # A published year shows the figures as published (spec decision: frozen results).
            published_rows=selectors.result_rows(in_force) if in_force else None,
            in_force=in_force,
            publish=offered(
                user, workflow.PUBLISH, publication, lambda: permissions.can_publish(user, publication)
            ),
            unsubmitted=unsubmitted,
            confirmation=services.unsubmitted_confirmation(unsubmitted) if unsubmitted else "",
            publish_form=forms.PublishForm(initial={"unsubmitted": unsubmitted}),
            **kwargs,
        )


class PublishView(StepView):
    """通报 of the year's results (第五条, 第七条(四)), with the publisher's confirmation of the units listed as
    未申报; back to the scores page when refused, on to the results once published."""

    step = workflow.PUBLISH
    form_class = forms.PublishForm

    def get_object(self, year):
        return selectors.publication_to_publish(year)

    def decision(self, publication):
        return permissions.can_publish(self.request.user, publication)

    def perform(self, publication, user, data):
        confirmed = [o.pk for o in data["unsubmitted"]] if data["confirm"] else []
        services.publication_publish(year=publication.year, by=user, confirmed_unsubmitted=confirmed)

    def success_url(self, publication):
        year = publication.year
        if Publication.objects.filter(year=year, status=PublicationStatus.PUBLISHED).exists():
            return reverse("investment:results", args=[year])
        return reverse("investment:scores", args=[year])


def _publication(user, year, edition=None) -> Publication:
    """The version of the year's 通报 named (else the one in force, else the latest withdrawn one)."""
    publication = selectors.readable_publication(user, year, edition)
    if publication is None:
        raise Http404
    return publication


class ResultsView(RoleRequiredMixin, TemplateView):
    """One version of the year's 通报, as published; the other versions are listed and stay readable."""

    template_name = "investment/results.html"

    def get_context_data(self, year, edition=None, **kwargs):
        user = self.request.user
        publication = _publication(user, year, edition)
        rows = selectors.result_rows(publication)
        return super().get_context_data(
            publication=publication,
            rows=rows,
            versions=selectors.publication_versions(user, year),
            withdraw=offered(
                user, workflow.WITHDRAW, publication, lambda: permissions.can_withdraw(user, publication)
            ),
            withdraw_form=forms.WithdrawForm(),
            **kwargs,
        )


class ResultsExportView(RoleRequiredMixin, View):
    def get(self, request, year, edition=None):
        export = ResultsExport(_publication(request.user, year, edition))
        return _xlsx(export.content(), export.filename)


class WithdrawView(StepView):
    """撤回 a published 通报 with a reason (spec decision: frozen results), back to that version's page."""

    step = workflow.WITHDRAW
    form_class = forms.WithdrawForm

    def get_object(self, year, edition):
        publication = Publication.objects.filter(year=year, edition=edition).first()
        if publication is None:
            raise Http404
        return publication

    def decision(self, publication):
        return permissions.can_withdraw(self.request.user, publication)

    def perform(self, publication, user, data):
        services.publication_withdraw(publication=publication, reason=data["reason"], by=user)

    def success_url(self, publication):
        return reverse("investment:results_version", args=[publication.year, publication.edition])


class BaseView(ActionView):
    """上年基数 (spec decision on 增幅): the 考核组 enters a unit's previous-year figures with their source."""

    required_roles = OVERSIGHT
    http_method_names = ["get", "post"]
    template_name = "investment/bases.html"

    def _render(self, request, year, form=None, status=200):
        decision = permissions.can_enter_base(request.user, year)
        return render(
            request,
            self.template_name,
            {
                "year": year,
                "bases": PreviousYearBase.objects.filter(year=year - 1).select_related("organization"),
                "form": form or forms.BaseForm(year=year),
                "can_enter": decision,
            },
            status=status,
        )

    def get(self, request, year):
        return self._render(request, year)

    def get_object(self, year):
        return year

    def decision(self, year):
        return permissions.can_enter_base(self.request.user, year)

    def act(self, request, obj, year):
        form = forms.BaseForm(request.POST, year=year)
        if form.is_valid():
            try:
                services.base_record(
                    organization=form.cleaned_data["organization"],
                    year=year,
                    foreign_musd=form.cleaned_data["foreign_musd"],
                    domestic_wan=form.cleaned_data["domestic_wan"],
                    source=form.cleaned_data["source"],
                    by=request.user,
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "上年基数已保存，增幅按该基数计分。")
                return redirect("investment:bases", year=year)
        return self._render(request, year, form, status=400)


class ParametersView(ActionView):
    required_roles = OVERSIGHT
    http_method_names = ["get", "post"]
    template_name = "investment/parameters.html"

    def _render(self, request, year, form=None, formset=None, status=200):
        can_edit = has_role(request.user, Role.ASSESSOR)
        stored = YearParameters.objects.filter(year=year).first()
        weights = ScoreWeight.objects.filter(year=year)
        if can_edit and stored is not None:
            form = form or forms.YearParametersForm(instance=stored, prefix="p")
            formset = formset or forms.WeightFormSet(queryset=weights, prefix="w")
        return render(
            request,
            self.template_name,
            {
                "year": year,
                "parameters": selectors.parameters(year),
                "weights": weights,
                "defaults": [
                    (rules.INDICATOR_LABELS[c], w, cap) for c, (w, cap) in rules.DEFAULT_WEIGHTS.items()
                ],
                "can_edit": can_edit,
                "stored": stored,
                "form": form,
                "formset": formset,
            },
            status=status,
        )

    def get(self, request, year):
        return self._render(request, year)

    def get_object(self, year):
        return year

    def decision(self, year):
        return permissions.can_edit_parameters(self.request.user, year)

    def refused(self, year, decision):
        if not has_role(self.request.user, Role.ASSESSOR):
            raise PermissionDenied(decision.reason)
        messages.error(self.request, decision.reason)
        return redirect("investment:parameters", year=year)

    def act(self, request, obj, year):
        stored = YearParameters.objects.filter(year=year).first()
        if stored is None:
            services.parameters_ensure(year=year, by=request.user)
            messages.success(request, f"已按默认值建立{year}年度考核参数。")
            return redirect("investment:parameters", year=year)
        form = forms.YearParametersForm(request.POST, instance=stored, prefix="p")
        formset = forms.WeightFormSet(
            request.POST, queryset=ScoreWeight.objects.filter(year=year), prefix="w"
        )
        if form.is_valid() and formset.is_valid():
            try:
                services.parameters_update(
                    parameters=form.save(commit=False), weights=formset.save(commit=False), by=request.user
                )
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, "考核参数已保存。")
                return redirect("investment:parameters", year=year)
        return self._render(request, year, form, formset, status=400)


class ProposalListView(RoleRequiredMixin, TemplateView):
    required_roles = OVERSIGHT
    template_name = "investment/proposal_list.html"

    def get_context_data(self, **kwargs):
        can_draft = has_role(self.request.user, Role.ASSESSOR)
        return super().get_context_data(
            proposals=selectors.proposals(self.request.user)[:100],
            can_draft=can_draft,
            form=forms.ProposalForm(initial={"year": selectors.default_year()}),
            **kwargs,
        )


class ProposalCreateView(ActionView):
    required_roles = (Role.ASSESSOR,)

    def decision(self, obj):
        return permissions.can_draft_proposal(self.request.user)

    def act(self, request, obj):
        form = forms.ProposalForm(request.POST)
        if form.is_valid():
            try:
                proposal = services.proposal_create(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, "激励资金分配意见已拟订。")
                return redirect("investment:proposal_detail", pk=proposal.pk)
        else:
            messages.error(request, "请填写正确的年度和激励资金总额。")
        return redirect("investment:proposal_list")


class ProposalDetailView(RoleRequiredMixin, TemplateView):
    required_roles = OVERSIGHT
    template_name = "investment/proposal_detail.html"

    def get_context_data(self, pk, **kwargs):
        proposal = get_for_user(self.request.user, IncentiveProposal, pk=pk)
        user = self.request.user
        return super().get_context_data(
            proposal=proposal,
            lines=proposal.lines.select_related("organization"),
            submit=offered(
                user,
                workflow.SUBMIT_PROPOSAL,
                proposal,
                lambda: permissions.can_submit_proposal(user, proposal),
            ),
            approve=offered(
                user,
                workflow.APPROVE_PROPOSAL,
                proposal,
                lambda: permissions.can_approve_proposal(user, proposal),
            ),
            **kwargs,
        )


class ProposalActionView(StepView):
    """A step on one 激励资金分配意见, back to its page."""

    def get_object(self, pk):
        return get_for_user(self.request.user, IncentiveProposal, pk=pk)

    def success_url(self, proposal):
        return reverse("investment:proposal_detail", args=[proposal.pk])


class ProposalSubmitView(ProposalActionView):
    step = workflow.SUBMIT_PROPOSAL

    def decision(self, proposal):
        return permissions.can_submit_proposal(self.request.user, proposal)

    def perform(self, proposal, user, data):
        services.proposal_submit(proposal=proposal, by=user)


class ProposalApproveView(ProposalActionView):
    step = workflow.APPROVE_PROPOSAL

    def decision(self, proposal):
        return permissions.can_approve_proposal(self.request.user, proposal)

    def perform(self, proposal, user, data):
        services.proposal_approve(proposal=proposal, by=user)
