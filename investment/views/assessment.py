"""The year-end assessment: self-evaluation, review by 考核组, spot checks (第七条(一)–(三))."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin, SingleTableView

from orgs.access import RoleRequiredMixin, get_for_user
from orgs.actions import ActionFormView, ActionView
from orgs.forms import attach_errors
from orgs.models import OrganizationKind
from orgs.roles import Role

from .. import forms, permissions, selectors, services, workflow
from ..filters import EvaluationFilter
from ..models import (
    EvaluationStatus,
    IndicatorReview,
    SelfEvaluation,
)
from ..tables import EvaluationTable, SpotCheckTable
from .common import (
    UNIT_ROLES,
    EvaluationOwnerMixin,
    ProjectWriteMixin,
    StepView,
    _errors,
    _evidence_saved,
    _year,
    offered,
)

SUBMITTED_LATE = "自评报告已申报（逾期申报），已通知考核组审核。"

# ---------------------------------------------------------------- self-evaluation


class MyEvaluationView(ProjectWriteMixin, ActionView):
    """The unit's self-evaluation of the query string's year (第七条(一)).

    A GET only reads: an existing self-evaluation opens its page; before the unit first saves, the page says
    "尚未开始" and offers the report form. Its POST (with CSRF) creates the self-evaluation with the report,
    after which evidence can be uploaded and the report submitted on the self-evaluation's page.
    """

    http_method_names = ["get", "post"]

    def decision(self, obj):
        return permissions.can_open_evaluation(self.request.user, self.organization())

    def get(self, request):
        year = _year(request)
        existing = SelfEvaluation.objects.filter(organization=self.organization(), year=year).first()
        if existing is not None:
            return redirect("investment:evaluation_detail", pk=existing.pk)
        return self.not_started(request, year, forms.ReportForm())

    def act(self, request, obj):
        year = _year(request)
        form = forms.ReportForm(request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    evaluation = services.evaluation_open(
                        organization=self.organization(), year=year, by=request.user
                    )
                    services.evaluation_save_report(
                        evaluation=evaluation, report=form.cleaned_data["report"], by=request.user
                    )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    attach_errors(form, exc)
                else:
                    _errors(request, exc)
            else:
                messages.success(request, "自评报告已保存，可上传佐证材料后申报。")
                return redirect("investment:evaluation_detail", pk=evaluation.pk)
        return self.not_started(request, year, form, status=400)

    def not_started(self, request, year, report_form, status=200):
        return render(
            request,
            "investment/evaluation_start.html",
            {
                "organization": self.organization(),
                "year": year,
                "parameters": selectors.parameters(year),
                "report_form": report_form,
            },
            status=status,
        )


class EvaluationListView(RoleRequiredMixin, SingleTableMixin, FilterView):
    required_roles = UNIT_ROLES
    template_name = "investment/evaluation_list.html"
    table_class = EvaluationTable
    filterset_class = EvaluationFilter
    table_pagination = {"per_page": 25}  # the table paginates; the view must not count a second time

    def get_queryset(self):
        return selectors.evaluations(self.request.user)


def evaluation_page(request, pk, report_form=None, evidence_form=None, status=200, kpb_form=None):
    """The self-evaluation's page: the report, its evidence, the review, and the actions of this user — each
    shown where the workflow offers it, a refused one disabled with the reason."""
    user = request.user
    evaluation = get_for_user(user, SelfEvaluation.objects.select_related("organization"), pk=pk)
    draft = evaluation.status == EvaluationStatus.DRAFT
    is_county = evaluation.organization.kind == OrganizationKind.COUNTY
    review = offered(
        user, workflow.REVIEW_VALUE, evaluation, lambda: permissions.can_review(user, evaluation)
    )
    preview = None
    if draft and is_county:
        _, preview = selectors.unit_indicators(evaluation.organization, evaluation.year)
    return render(
        request,
        "investment/evaluation_detail.html",
        {
            "evaluation": evaluation,
            "reviews": evaluation.reviews.select_related("reviewed_by"),
            "evidence": evaluation.evidence.all(),
            "editable": bool(permissions.can_edit_evaluation(user, evaluation)),
            "submit": offered(
                user,
                workflow.SUBMIT_EVALUATION,
                evaluation,
                lambda: permissions.can_submit_evaluation(user, evaluation),
            ),
            "reviewing": bool(review),
            "kpb": None
            if is_county
            else offered(
                user, workflow.RECORD_KPB, evaluation, lambda: permissions.can_record_kpb(user, evaluation)
            ),
            "complete": offered(
                user,
                workflow.COMPLETE_REVIEW,
                evaluation,
                lambda: permissions.can_complete_review(user, evaluation),
            ),
            "is_county": is_county,
            "report_form": report_form or forms.ReportForm(instance=evaluation),
            "evidence_form": evidence_form or forms.EvidenceForm(),
            "kpb_form": kpb_form or forms.KpbForm(instance=evaluation),
            "unit_score": None if draft else selectors.unit_score(evaluation),
            # A published year shows the score as published (spec decision: frozen results).
            "published_row": selectors.published_row(evaluation.organization, evaluation.year),
            "left_out": selectors.left_out(evaluation.organization, evaluation.year) if is_county else [],
            "preview": preview,
        },
        status=status,
    )


class EvaluationDetailView(RoleRequiredMixin, View):
    required_roles = UNIT_ROLES

    def get(self, request, pk):
        return evaluation_page(request, pk)


class EvaluationActionView(StepView):
    """A step on one self-evaluation, back to its page."""

    def get_object(self, pk):
        return get_for_user(self.request.user, SelfEvaluation.objects.select_related("organization"), pk=pk)

    def success_url(self, evaluation):
        return reverse("investment:evaluation_detail", args=[evaluation.pk])


class EvaluationReportView(EvaluationActionView):
    """The unit's report: saved (保存), or saved and submitted (申报, 第七条(一)) with the same form."""

    form_class = forms.ReportForm

    def submitting(self) -> bool:
        return "submit" in self.request.POST

    def current_step(self):
        return workflow.SUBMIT_EVALUATION if self.submitting() else workflow.EDIT_EVALUATION

    def decision(self, evaluation):
        if self.submitting():
            return permissions.can_submit_evaluation(self.request.user, evaluation)
        return permissions.can_edit_evaluation(self.request.user, evaluation)

    def get_form(self, evaluation, data=None, files=None):
        return forms.ReportForm(data, instance=evaluation)

    def perform(self, evaluation, user, data):
        services.evaluation_save_report(evaluation=evaluation, report=data["report"], by=user)
        if self.submitting():
            evaluation.refresh_from_db()
            submitted = services.evaluation_submit(evaluation=evaluation, by=user)
            self.late = submitted.is_late

    @property
    def done(self):
        if not self.submitting():
            return workflow.EDIT_EVALUATION.done
        return SUBMITTED_LATE if getattr(self, "late", False) else workflow.SUBMIT_EVALUATION.done

    def render_invalid(self, evaluation, form):
        return evaluation_page(self.request, evaluation.pk, report_form=form, status=400)


class EvaluationEvidenceView(EvaluationOwnerMixin, ActionView):
    def get_object(self, pk):
        return self.evaluation(pk)

    def decision(self, evaluation):
        return permissions.can_edit_evaluation(self.request.user, evaluation)

    def refused(self, evaluation, decision):
        form = forms.EvidenceForm()
        form.add_error("file", decision.reason)
        return evaluation_page(self.request, evaluation.pk, evidence_form=form, status=400)

    def act(self, request, evaluation, pk):
        form = forms.EvidenceForm(request.POST, request.FILES)
        if _evidence_saved(request, form, organization=evaluation.organization, evaluation=evaluation):
            return redirect("investment:evaluation_detail", pk=pk)
        return evaluation_page(request, pk, evidence_form=form, status=400)


class ReviewView(StepView):
    """自评审核 of one value: 认可, or 核减/更正 with the value and a comment (第七条(二))."""

    step = workflow.REVIEW_VALUE

    def get_object(self, pk):
        return get_for_user(
            self.request.user, IndicatorReview.objects.select_related("evaluation__organization"), pk=pk
        )

    def decision(self, review):
        return permissions.can_review(self.request.user, review.evaluation)

    def get_form(self, review, data=None, files=None):
        return forms.ReviewForm(data, review=review)

    def perform(self, review, user, data):
        services.review_record(
            review=review,
            accept=data["decision"] == "accept",
            corrected=data["corrected"],
            comment=data["comment"],
            by=user,
        )
        self.measure = review.get_measure_display()

    @property
    def done(self):
        return f"已审核：{self.measure}。"

    def success_url(self, review):
        return reverse("investment:evaluation_detail", args=[review.evaluation_id])


class KpbView(EvaluationActionView):
    """第七条(五): the 市委考评办 result of a 市直承标单位, entered as given."""

    step = workflow.RECORD_KPB

    def decision(self, evaluation):
        return permissions.can_record_kpb(self.request.user, evaluation)

    def get_form(self, evaluation, data=None, files=None):
        # A copy: a form that validates writes its values onto its instance.
        return forms.KpbForm(data, instance=SelfEvaluation.objects.get(pk=evaluation.pk))

    def render_invalid(self, evaluation, form):
        # The refusal (the 0–100 range, the document's number and date) next to its field.
        return evaluation_page(self.request, evaluation.pk, kpb_form=form, status=400)

    def perform(self, evaluation, user, data):
        services.evaluation_set_kpb(
            evaluation=evaluation,
            score=data["kpb_score"],
            result=data["kpb_result"],
            document_number=data["kpb_document_number"],
            document_date=data["kpb_document_date"],
            by=user,
        )


class ReviewCompleteView(EvaluationActionView):
    step = workflow.COMPLETE_REVIEW

    def decision(self, evaluation):
        return permissions.can_complete_review(self.request.user, evaluation)

    def perform(self, evaluation, user, data):
        services.evaluation_complete_review(evaluation=evaluation, by=user)


# ---------------------------------------------------------------- spot checks


class SpotCheckListView(RoleRequiredMixin, SingleTableView):
    required_roles = UNIT_ROLES
    template_name = "investment/spotcheck_list.html"
    table_class = SpotCheckTable
    table_pagination = {"per_page": 25}  # the table paginates; the ListView must not count a second time

    def get_queryset(self):
        return selectors.spot_checks(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_record=permissions.can_record_spot_check(self.request.user), **kwargs
        )


class SpotCheckCreateView(ActionFormView):
    """第七条(三) 实地抽查: the 考核组 records what it found, and who supplied falsified figures."""

    required_roles = (Role.ASSESSOR,)
    template_name = "investment/spotcheck_form.html"
    done_message = "抽查记录已保存。"

    def decision(self, obj):
        return permissions.can_record_spot_check(self.request.user)

    def get_form(self, obj, data=None, files=None):
        return forms.SpotCheckForm(data, files, initial={"year": selectors.default_year()})

    def perform(self, obj, user, data):
        services.spot_check_record(spot_check=self.form.save(commit=False), by=user)

    def success_url(self, obj):
        return reverse("investment:spotcheck_list")
