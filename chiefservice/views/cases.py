"""Accountability cases (第二十八条–第三十条): 营商办 and the dispatching unit only."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from orgs.access import RoleRequiredMixin, get_for_user
from orgs.roles import Role, has_role

from .. import filters, forms, permissions, selectors, services, tables
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

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"officers": selectors.officers(self.request.user)}

    def save(self, form):
        case = services.case_open(by=self.request.user, **form.cleaned_data)
        return reverse("chiefservice:case_detail", args=[case.pk])


class CaseObjectMixin:
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and has_role(request.user, *self.required_roles, Role.ADMIN):
            self.case = get_for_user(request.user, selectors.cases(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class CaseDetailView(CaseObjectMixin, RoleRequiredMixin, TemplateView):
    required_roles = CASE_READERS
    template_name = "chiefservice/case_detail.html"

    def get_context_data(self, **kwargs):
        user, case = self.request.user, self.case
        return super().get_context_data(
            case=case,
            can={
                "claim": permissions.can_claim_exemption(user, case),
                "decide_exemption": permissions.can_decide_exemption(user, case),
                "decide": permissions.can_decide_case(user, case),
            },
            **kwargs,
        )


class CaseClaimView(CaseObjectMixin, FormPage):
    required_roles = CASE_READERS
    form_class = forms.ExemptionClaimForm
    title = "申请免责（第二十九条）"

    def save(self, form):
        services.case_claim_exemption(
            case=self.case,
            by=self.request.user,
            ground=form.cleaned_data["exemption_ground"],
            claim=form.cleaned_data["exemption_claim"],
        )
        return reverse("chiefservice:case_detail", args=[self.case.pk])

    def get_form_kwargs(self):
        decision = permissions.can_claim_exemption(self.request.user, self.case)
        if not decision:
            raise PermissionDenied(decision.reason)
        return super().get_form_kwargs()


class CaseExemptionView(CaseObjectMixin, FormPage):
    required_roles = OFFICE
    form_class = forms.ExemptionDecisionForm
    title = "免责决定（第二十九条）"

    def get_form_kwargs(self):
        decision = permissions.can_decide_exemption(self.request.user, self.case)
        if not decision:
            raise PermissionDenied(decision.reason)
        return super().get_form_kwargs()

    def save(self, form):
        services.case_decide_exemption(
            case=self.case,
            by=self.request.user,
            decision=form.cleaned_data["exemption_decision"],
            reason=form.cleaned_data["exemption_reason"],
        )
        return reverse("chiefservice:case_detail", args=[self.case.pk])


class CaseDecideView(CaseObjectMixin, FormPage):
    required_roles = OFFICE
    form_class = forms.CaseDecisionForm
    title = "处理决定（第三十条）"

    def save(self, form):
        services.case_decide(
            case=self.case,
            by=self.request.user,
            decision=form.cleaned_data["decision"],
            reason=form.cleaned_data["decision_reason"],
        )
        return reverse("chiefservice:case_detail", args=[self.case.pk])


class CaseEvidenceView(CaseObjectMixin, RoleRequiredMixin, View):
    """Evidence leaves MEDIA_ROOT only through here, after the case's visibility check."""

    required_roles = CASE_READERS

    def get(self, request, pk):
        if not self.case.evidence:
            raise Http404
        return FileResponse(self.case.evidence.open("rb"), as_attachment=True)
