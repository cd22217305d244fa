"""Thin views: look the case up through orgs.access, ask the step's permission, call one service, redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from orgs.access import RoleRequiredMixin, get_for_user, user_organization, visible
from orgs.actions import ActionFormPage, ActionFormView, ActionView
from orgs.downloads import evidence_response
from orgs.exporting import export_request
from orgs.forms import attach_errors
from orgs.pagination import CappedPaginator
from orgs.roles import Role
from orgs.workflow import require_or_403

from . import permissions, selectors, services, workflow
from .choices import Status
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


#: a service's refusals of the step itself (not of what was entered): said on the case page.
REFUSALS = ("forbidden", "concurrent", "status")


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


class CaseCreateView(ActionFormPage):
    required_roles = permissions.SUPERVISING_ROLES
    template_name = "sprouts/case_form.html"
    form_class = CaseForm

    def decision(self, obj):
        return permissions.can_intake(self.request.user)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            decision = permissions.can_intake(request.user)
            if not decision:
                raise PermissionDenied(decision.reason)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        office = user_organization(self.request.user)
        return {"district": office.district_id} if office and office.district_id else {}

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        files = data.pop("files", [])
        try:
            case = services.case_create(by=self.request.user, files=files, **data)
        except ValidationError as exc:
            # a message without a field: an evidence file refused by orgs.uploads, or no applicable routing rule
            file_refused = not hasattr(exc, "error_dict") and files and "文件" in _errors(exc)
            attach_errors(form, exc, field="files" if file_refused else None)
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
        ctx["unavailable"] = _unavailable(ctx["can"])
        ctx["handovers"] = [(h, permissions.can_acknowledge(user, h)) for h in case.handovers.all()]
        ctx["waiting"] = _waiting(case, ctx["handovers"])
        ctx["note_form"] = NoteForm()
        ctx["evidence_form"] = EvidenceForm()
        return ctx


STEPS = {
    "hand_over": workflow.HAND_OVER,
    "police": workflow.REFER_TO_POLICE,
    "note": workflow.NOTE,
    "penalty": workflow.PENALTY,
    "close": workflow.CLOSE,
    "evidence": workflow.EVIDENCE,
}


def _unavailable(can: dict) -> list[str]:
    """Why each action is not offered: one line per reason, naming the actions it holds back."""
    held: dict[str, list[str]] = {}
    for key, decision in can.items():
        if not decision:
            held.setdefault(decision.reason, []).append(STEPS[key].label)
    return [f"{'、'.join(labels)}：{reason}" for reason, labels in held.items()]


def _waiting(case: Case, handovers) -> list[tuple[str, object]]:
    """Whose turn it is, from the workflow: each hand-over still waiting for its receiver, else the lead office."""
    waiting = [
        (workflow.waiting_for(case.status, h.to_office), h) for h, _ in handovers if not h.acknowledged_at
    ]
    if case.status == Status.PENDING and waiting:
        return waiting
    text = case.waiting_for
    return [(text, None)] if text else []


class StepMixin:
    """One step of ``workflow``: a user of none of its roles is refused with the reason the page gives."""

    required_roles = permissions.SUPERVISING_ROLES
    step = None
    done_text = ""  # set by ``perform`` when the step's message names what was done

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require_or_403(self.step.role_decision(request.user))
        return super().dispatch(request, *args, **kwargs)

    @property
    def done(self):
        return self.done_text or self.step.done


class CaseStepMixin(StepMixin):
    """A step on one case the office can see (404 for any other case): the decision is the step's
    ``permissions.can_*`` answer, and the case page is where the user returns."""

    permission = None  # staticmethod(permissions.can_*)

    def get_object(self, pk):
        return get_for_user(self.request.user, Case, pk=pk)

    def decision(self, case):
        return self.permission(self.request.user, case)

    def success_url(self, case) -> str:
        return reverse("sprouts:case_detail", args=[case.pk])

    def refused(self, case, decision):
        """A user whose office never works on cases is refused outright; an office whose page is out of date
        (the case moved on meanwhile) reads the reason on the case page."""
        if not permissions.acts_on_cases(self.request.user):
            raise PermissionDenied(decision.reason)
        return super().refused(case, decision)


class CaseFormStepView(CaseStepMixin, ActionFormView):
    """A step whose form is a page of its own (GET shows it and writes nothing)."""

    template_name = "sprouts/case_action.html"

    @property
    def title(self):
        return self.step.label

    def get_context_data(self, case, form, **kwargs):
        return super().get_context_data(case, form, case=case, **kwargs)


class CasePostStepView(CaseStepMixin, ActionView):
    """A step posted from the case page itself; a refused form is shown again on the step's page."""

    def render_invalid(self, case, form):
        context = {"object": case, "case": case, "form": form, "title": self.step.label}
        return render(self.request, "sprouts/case_action.html", context)


class HandOverView(CaseFormStepView):
    step = workflow.HAND_OVER
    permission = staticmethod(permissions.can_hand_over)
    form_class = HandOverForm
    title = "移交案件"

    def get_form(self, case, data=None, files=None):
        return HandOverForm(data, files, exclude_office=case.lead_office)

    def perform(self, case, user, data):
        handover = services.handover_create(case=case, by=user, **data)
        self.done_text = self.step.done.format(office=handover.to_office)


class PoliceReferralView(CaseFormStepView):
    step = workflow.REFER_TO_POLICE
    permission = staticmethod(permissions.can_refer_to_police)
    form_class = PoliceReferralForm
    title = "涉嫌犯罪，移交公安部门"

    def perform(self, case, user, data):
        handover = services.case_refer_to_police(case=case, by=user, **data)
        self.done_text = self.step.done.format(office=handover.to_office)


class PenaltyView(CaseFormStepView):
    step = workflow.PENALTY
    permission = staticmethod(permissions.can_record_penalty)
    form_class = PenaltyForm

    def perform(self, case, user, data):
        services.penalty_record(case=case, by=user, **data)


class CloseView(CaseFormStepView):
    step = workflow.CLOSE
    permission = staticmethod(permissions.can_close)
    form_class = CloseForm
    title = "办结案件"

    def get_form(self, case, data=None, files=None):
        return CloseForm(data, files, case=case)

    def perform(self, case, user, data):
        services.case_close(case=case, by=user, **data)


class NoteView(CasePostStepView):
    step = workflow.NOTE
    permission = staticmethod(permissions.can_add_note)
    form_class = NoteForm

    def perform(self, case, user, data):
        services.note_add(case=case, by=user, **data)


class EvidenceUploadView(CasePostStepView):
    step = workflow.EVIDENCE
    permission = staticmethod(permissions.can_add_evidence)
    form_class = EvidenceForm

    def perform(self, case, user, data):
        for upload in data["files"]:
            try:
                services.evidence_add(case=case, by=user, upload=upload)
            except ValidationError as exc:
                if hasattr(exc, "error_dict") or getattr(exc, "code", None) in REFUSALS:
                    raise
                raise ValidationError({"files": exc.messages}) from exc  # the file itself: next to the field


class AcknowledgeView(StepMixin, ActionView):
    """The receiving office acknowledges a hand-over of a case it can see."""

    step = workflow.ACKNOWLEDGE

    def get_object(self, pk):
        case = get_for_user(self.request.user, Case, handovers__pk=pk)
        return get_object_or_404(HandOver.objects.select_related("to_office"), pk=pk, case=case)

    def decision(self, handover):
        return permissions.can_acknowledge(self.request.user, handover)

    def success_url(self, handover) -> str:
        return reverse("sprouts:case_detail", args=[handover.case_id])

    def refused(self, handover, decision):
        """Only the receiving office acknowledges (anyone else: 403); one already acknowledged (the page was
        out of date) says so on the case page."""
        receives = permissions.receives(self.request.user, handover)
        if not receives:
            raise PermissionDenied(receives.reason)
        return super().refused(handover, decision)

    def perform(self, handover, user, data):
        services.handover_acknowledge(handover=handover, by=user)


class EvidenceDownloadView(RoleRequiredMixin, View):
    required_roles = READERS

    def get(self, request, pk: int):
        evidence = get_for_user(request.user, Evidence, pk=pk)
        return evidence_response(evidence.file, evidence.original_name)


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


class StatisticsExportView(ActionView):
    """Queues the Excel export (statistics and the visible cases); the worker builds it, the user downloads it."""

    required_roles = READERS

    def decision(self, obj):
        return permissions.can_export(self.request.user)

    def act(self, request, obj):
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
