"""Accountability cases (第二十八条–第三十条): 营商办 and the dispatching unit only."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from orgs.access import RoleRequiredMixin, get_for_user
from orgs.actions import ActionFormView
from orgs.downloads import evidence_response
from orgs.roles import has_role

from .. import filters, forms, permissions, selectors, services, tables, workflow
from .base import (
    CASE_READERS,
    OFFICE,
    FormPage,
    ListPage,
)


# ---------------------------------------------------------------------------------------------------------
# Accountability (第二十八条–第三十条)
# ---------------------------------------------------------------------------------------------------------
class CaseListView(ListPage):
    required_roles = CASE_READERS
    table_class = tables.CaseTable
    filterset_class = filters.CaseFilter
    title = "问责案件"
    actions = (("chiefservice:case_create", "立案"),)
    action_roles = OFFICE

    def get_queryset(self):
        return selectors.cases(self.request.user)


class CaseCreateView(FormPage):
    required_roles = OFFICE
    form_class = forms.CaseForm
    title = "问责立案（负面清单、禁止情形）"

    def decision(self, obj):
        return permissions.can_open_case(self.request.user)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"officers": selectors.officers(self.request.user)}

    def save(self, form):
        case = services.case_open(by=self.request.user, **form.cleaned_data)
        return reverse("chiefservice:case_detail", args=[case.pk])


class CaseObjectMixin:
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and has_role(request.user, *self.required_roles):
            self.case = get_for_user(request.user, selectors.cases(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


def case_actions(user, case) -> list[tuple[str, str, object, str]]:
    """The steps the case's state allows, each with the user's decision: (url name, label, decision, style)."""
    steps = (
        (workflow.CLAIM, "chiefservice:case_claim", "申请免责（派出单位）", "outline-primary"),
        (workflow.DECIDE_EXEMPTION, "chiefservice:case_exemption", "免责决定（营商办）", "outline-primary"),
        (workflow.DECIDE, "chiefservice:case_decide", "处理决定", "primary"),
    )
    decisions = {
        workflow.CLAIM: permissions.can_claim_exemption,
        workflow.DECIDE_EXEMPTION: permissions.can_decide_exemption,
        workflow.DECIDE: permissions.can_decide_case,
    }
    return [
        (url_name, label, decisions[step](user, case), style)
        for step, url_name, label, style in steps
        if case.status in step.source
    ]


class CaseDetailView(CaseObjectMixin, RoleRequiredMixin, TemplateView):
    required_roles = CASE_READERS
    template_name = "chiefservice/case_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            case=self.case, actions=case_actions(self.request.user, self.case), **kwargs
        )


class CaseActionView(ActionFormView):
    """One step of a visible case: GET shows the step's form, POST carries the step out."""

    # Whoever reads the case reaches the step; its permission refuses the others with the page's reason.
    required_roles = CASE_READERS
    template_name = "chiefservice/form.html"

    def get_object(self, pk):
        return get_for_user(self.request.user, selectors.cases(self.request.user), pk=pk)

    def get_form(self, case, data=None, files=None):
        return self.form_class(data, files)

    def success_url(self, case):
        return reverse("chiefservice:case_detail", args=[case.pk])


class CaseClaimView(CaseActionView):
    form_class = forms.ExemptionClaimForm
    title = "申请免责（第二十九条）"
    done = workflow.CLAIM.done

    def decision(self, case):
        return permissions.can_claim_exemption(self.request.user, case)

    def perform(self, case, user, data):
        services.case_claim_exemption(
            case=case, by=user, ground=data["exemption_ground"], claim=data["exemption_claim"]
        )


class CaseExemptionView(CaseActionView):
    form_class = forms.ExemptionDecisionForm
    title = "免责决定（第二十九条）"
    done = workflow.DECIDE_EXEMPTION.done

    def decision(self, case):
        return permissions.can_decide_exemption(self.request.user, case)

    def perform(self, case, user, data):
        current = services.case_decide_exemption(
            case=case, by=user, decision=data["exemption_decision"], reason=data["exemption_reason"]
        )
        if current.status == workflow.EXEMPT.target:
            self.done = workflow.EXEMPT.done


class CaseDecideView(CaseActionView):
    form_class = forms.CaseDecisionForm
    title = "处理决定（第三十条）"
    done = workflow.DECIDE.done

    def decision(self, case):
        return permissions.can_decide_case(self.request.user, case)

    def perform(self, case, user, data):
        services.case_decide(case=case, by=user, decision=data["decision"], reason=data["decision_reason"])


class CaseEvidenceView(CaseObjectMixin, RoleRequiredMixin, View):
    """Evidence leaves MEDIA_ROOT only through here, after the case's visibility check."""

    required_roles = CASE_READERS

    def get(self, request, pk):
        if not self.case.evidence:
            raise Http404
        return evidence_response(self.case.evidence)
