"""Thin views: look the case up through orgs.access, check the capability, call one service, redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from orgs.access import NO_CAPABILITY, RoleRequiredMixin, get_for_user, user_organization, visible
from orgs.exporting import export_request
from orgs.pagination import CappedPaginator
from orgs.roles import Role, has_role

from . import permissions, selectors, services
from .exports import CASES
from .filters import CaseFilter
from .forms import (
    CaseForm,
    CloseForm,
    EvidenceForm,
    HandOverForm,
    NoteForm,
    PenaltyForm,
    PeriodForm,
    PoliceReferralForm,
)
from .models import Case, Evidence, HandOver, RoutingRule
from .tables import CaseTable, RuleTable

READERS = (*permissions.SUPERVISING_ROLES, Role.LEADER)


def _errors(exc: ValidationError) -> str:
    return "；".join(exc.messages)


class CaseListView(LoginRequiredMixin, SingleTableMixin, FilterView):
    """Everyone logged in reaches the list; it shows only the cases their office may see."""

    template_name = "sprouts/index.html"
    table_class = CaseTable
    filterset_class = CaseFilter
    table_pagination = {"per_page": 25}
    paginator_class = CappedPaginator  # counts at most CAP rows, never every case of ten years

    def get_queryset(self):
        return selectors.case_list(self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_intake"] = permissions.can_intake(self.request.user)
        return ctx


class CaseCreateView(RoleRequiredMixin, FormView):
    required_roles = permissions.SUPERVISING_ROLES
    template_name = "sprouts/case_form.html"
    form_class = CaseForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            decision = permissions.can_intake(request.user)
            if not decision:
                raise PermissionDenied(decision.reason)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "on_behalf": permissions.records_on_behalf(self.request.user)}

    def get_initial(self):
        office = user_organization(self.request.user)
        return {"district": office.district_id} if office and office.district_id else {}

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        files = data.pop("files", [])
        try:
            case = services.case_create(by=self.request.user, files=files, **data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:  # an evidence file refused by orgs.uploads, or no applicable routing rule
                form.add_error("files" if files and "文件" in _errors(exc) else None, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"案件 {case.number} 已登记，承办单位：{case.lead_office}。")
        return redirect("sprouts:case_detail", pk=case.pk)


class CaseDetailView(RoleRequiredMixin, DetailView):
    required_roles = READERS
    template_name = "sprouts/case_detail.html"
    context_object_name = "case"

    def get_queryset(self):
        return selectors.case_detail_queryset(self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, case = self.request.user, self.object
        ctx["can"] = {
            "hand_over": permissions.can_hand_over(user, case),
            "police": permissions.can_refer_to_police(user, case),
            "note": permissions.can_add_note(user, case),
            "penalty": permissions.can_record_penalty(user, case),
            "close": permissions.can_close(user, case),
            "evidence": permissions.can_add_evidence(user, case),
        }
        ctx["handovers"] = [(h, permissions.can_acknowledge(user, h)) for h in case.handovers.all()]
        ctx["note_form"] = NoteForm()
        ctx["evidence_form"] = EvidenceForm()
        return ctx


class CaseActionMixin(RoleRequiredMixin):
    """A write on one visible case: 404 for a case the office cannot see, 403 with the reason otherwise."""

    required_roles = permissions.SUPERVISING_ROLES
    check = None  # a permissions.can_* function

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not has_role(request.user, *self.required_roles, Role.ADMIN):
            raise PermissionDenied(NO_CAPABILITY)
        self.case = get_for_user(request.user, Case, pk=kwargs["pk"])
        decision = type(self).check(request.user, self.case)
        if not decision:
            if request.method == "POST" and has_role(request.user, *permissions.SUPERVISING_ROLES):
                # A form posted after the case moved on: say why on the case page.
                messages.error(request, decision.reason)
                return redirect("sprouts:case_detail", pk=self.case.pk)
            raise PermissionDenied(decision.reason)
        return super().dispatch(request, *args, **kwargs)

    def done(self, text: str):
        messages.success(self.request, text)
        return redirect("sprouts:case_detail", pk=self.case.pk)


class CaseFormActionView(CaseActionMixin, FormView):
    template_name = "sprouts/case_action.html"
    title = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(case=self.case, title=self.title, **kwargs)

    def form_valid(self, form):
        try:
            return self.act(form)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):  # a model's clean(): next to the field when the form has it
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
            return self.form_invalid(form)


class HandOverView(CaseFormActionView):
    check = permissions.can_hand_over
    form_class = HandOverForm
    title = "移交案件"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "exclude_office": self.case.lead_office}

    def act(self, form):
        services.handover_create(case=self.case, by=self.request.user, **form.cleaned_data)
        return self.done(f"已移交{form.cleaned_data['to_office']}，等待其确认接收。")


class PoliceReferralView(CaseFormActionView):
    check = permissions.can_refer_to_police
    form_class = PoliceReferralForm
    title = "涉嫌犯罪，移交公安部门"

    def act(self, form):
        handover = services.case_refer_to_police(case=self.case, by=self.request.user, **form.cleaned_data)
        return self.done(f"已移交{handover.to_office}，等待其确认接收。")


class PenaltyView(CaseFormActionView):
    check = permissions.can_record_penalty
    form_class = PenaltyForm
    title = "录入处罚决定"

    def act(self, form):
        services.penalty_record(case=self.case, by=self.request.user, **form.cleaned_data)
        return self.done("处罚决定已保存。")


class CloseView(CaseFormActionView):
    check = permissions.can_close
    form_class = CloseForm
    title = "办结案件"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "case": self.case}

    def act(self, form):
        services.case_close(case=self.case, by=self.request.user, **form.cleaned_data)
        return self.done("案件已办结。")


class NoteView(CaseFormActionView):
    check = permissions.can_add_note
    form_class = NoteForm
    title = "办理记录"
    http_method_names = ["post"]

    def act(self, form):
        services.note_add(case=self.case, by=self.request.user, **form.cleaned_data)
        return self.done("记录已保存。")


class EvidenceUploadView(CaseFormActionView):
    check = permissions.can_add_evidence
    form_class = EvidenceForm
    title = "上传证据材料"
    http_method_names = ["post"]

    def act(self, form):
        for upload in form.cleaned_data["files"]:
            services.evidence_add(case=self.case, by=self.request.user, upload=upload)
        return self.done("证据材料已上传。")

    def form_valid(self, form):
        try:
            return self.act(form)
        except ValidationError as exc:
            form.add_error("files", exc)
            return self.form_invalid(form)


class AcknowledgeView(RoleRequiredMixin, View):
    required_roles = permissions.SUPERVISING_ROLES
    http_method_names = ["post"]

    def post(self, request, pk: int):
        case = get_for_user(request.user, Case, handovers__pk=pk)
        handover = get_object_or_404(HandOver, pk=pk, case=case)
        decision = permissions.can_acknowledge(request.user, handover)
        if not decision:
            raise PermissionDenied(decision.reason)
        try:
            services.handover_acknowledge(handover=handover, by=request.user)
            messages.success(request, "已确认接收。")
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        return redirect("sprouts:case_detail", pk=case.pk)


class EvidenceDownloadView(RoleRequiredMixin, View):
    required_roles = READERS

    def get(self, request, pk: int):
        evidence = get_for_user(request.user, Evidence, pk=pk)
        return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name)


class StatisticsView(RoleRequiredMixin, TemplateView):
    required_roles = READERS
    template_name = "sprouts/statistics.html"

    def get_context_data(self, **kwargs):
        period = PeriodForm(self.request.GET or None)
        start, end = period.period() if period.is_valid() else (None, None)
        stats = selectors.statistics(selectors.in_period(visible(self.request.user, Case), start, end))
        charts = []
        for title, rows in stats.items():
            top = max((n for _, n in rows), default=0) or 1
            charts.append(
                {
                    "title": title,
                    "rows": [
                        {"label": label, "n": n, "width": round(300 * n / top), "y": i * 24}
                        for i, (label, n) in enumerate(rows)
                    ],
                    "height": max(len(rows), 1) * 24,
                    "total": sum(n for _, n in rows),
                }
            )
        return super().get_context_data(
            charts=charts, period_form=period, start=start, end=end, export_params=period.params(), **kwargs
        )


class StatisticsExportView(RoleRequiredMixin, View):
    """Queues the Excel export (statistics and the visible cases); the worker builds it, the user downloads it."""

    required_roles = READERS
    http_method_names = ["post"]

    def post(self, request):
        job = export_request(kind=CASES.kind, params=PeriodForm(request.POST).params(), by=request.user)
        return redirect("orgs:export_detail", pk=job.pk)


class RuleListView(RoleRequiredMixin, SingleTableMixin, TemplateView):
    required_roles = READERS
    template_name = "sprouts/rules.html"
    table_class = RuleTable
    table_pagination = False

    def get_table_data(self):
        return RoutingRule.objects.order_by("priority", "code", "-version")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["admin_url"] = reverse("admin:sprouts_routingrule_changelist")
        return ctx
