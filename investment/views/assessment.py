"""The year-end assessment: self-evaluation, review by 考核组, spot checks (第七条(一)–(三))."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.views import View
from django.views.generic import FormView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin, SingleTableView

from orgs.access import RoleRequiredMixin, get_for_user, user_organization
from orgs.models import OrganizationKind
from orgs.roles import Role, has_role

from .. import forms, permissions, selectors, services
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
    ObjectActionView,
    ProjectWriteMixin,
    _errors,
    _evidence_saved,
    _year,
)

# ---------------------------------------------------------------- self-evaluation


class MyEvaluationView(ProjectWriteMixin, View):
    """The unit's self-evaluation of the query string's year (第七条(一)).

    A GET only reads: an existing self-evaluation opens its page; before the unit first saves, the page says
    "尚未开始" and offers the report form. Its POST (with CSRF) creates the self-evaluation with the report,
    after which evidence can be uploaded and the report submitted on the self-evaluation's page.
    """

    def get(self, request):
        year = _year(request)
        existing = SelfEvaluation.objects.filter(organization=self.organization(), year=year).first()
        if existing is not None:
            return redirect("investment:evaluation_detail", pk=existing.pk)
        return self.not_started(request, year, forms.ReportForm())

    def post(self, request):
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
                    for field, errors in exc.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
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


class EvaluationDetailView(RoleRequiredMixin, View):
    required_roles = UNIT_ROLES

    def get(self, request, pk, report_form=None, evidence_form=None, status=200):
        evaluation = get_for_user(request.user, SelfEvaluation.objects.select_related("organization"), pk=pk)
        is_owner = (
            has_role(request.user, Role.REPORTER)
            and user_organization(request.user) == evaluation.organization
        )
        is_assessor = has_role(request.user, Role.ASSESSOR, Role.ADMIN)
        editable = is_owner and evaluation.status == EvaluationStatus.DRAFT
        reviewing = is_assessor and evaluation.status == EvaluationStatus.SUBMITTED
        unit_score = selectors.unit_score(evaluation) if evaluation.status != EvaluationStatus.DRAFT else None
        preview = None
        if (
            evaluation.status == EvaluationStatus.DRAFT
            and evaluation.organization.kind == OrganizationKind.COUNTY
        ):
            _, preview = selectors.unit_indicators(evaluation.organization, evaluation.year)
        return render(
            request,
            "investment/evaluation_detail.html",
            {
                "evaluation": evaluation,
                "reviews": evaluation.reviews.select_related("reviewed_by"),
                "evidence": evaluation.evidence.all(),
                "editable": editable,
                "can_submit": permissions.can_submit_evaluation(request.user, evaluation),
                "reviewing": reviewing,
                "is_county": evaluation.organization.kind == OrganizationKind.COUNTY,
                "report_form": report_form or forms.ReportForm(instance=evaluation),
                "evidence_form": evidence_form or forms.EvidenceForm(),
                "kpb_form": forms.KpbForm(instance=evaluation),
                "unit_score": unit_score,
                "preview": preview,
            },
            status=status,
        )


class EvaluationReportView(EvaluationOwnerMixin, View):
    def post(self, request, pk):
        evaluation = self.evaluation(pk)
        form = forms.ReportForm(request.POST, instance=evaluation)
        if form.is_valid():
            try:
                services.evaluation_save_report(
                    evaluation=evaluation, report=form.cleaned_data["report"], by=request.user
                )
                if "submit" in request.POST:
                    evaluation.refresh_from_db()
                    evaluation = services.evaluation_submit(evaluation=evaluation, by=request.user)
                    messages.success(
                        request, "自评报告已申报" + ("（逾期申报）。" if evaluation.is_late else "。")
                    )
                else:
                    messages.success(request, "自评报告已保存。")
                return redirect("investment:evaluation_detail", pk=pk)
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    _errors(request, exc)
        return EvaluationDetailView().get(request, pk, report_form=form, status=400)


class EvaluationEvidenceView(EvaluationOwnerMixin, View):
    def post(self, request, pk):
        evaluation = self.evaluation(pk)
        form = forms.EvidenceForm(request.POST, request.FILES)
        if _evidence_saved(request, form, organization=evaluation.organization, evaluation=evaluation):
            return redirect("investment:evaluation_detail", pk=pk)
        return EvaluationDetailView().get(request, pk, evidence_form=form, status=400)


class ReviewView(RoleRequiredMixin, View):
    required_roles = (Role.ASSESSOR,)

    def post(self, request, pk):
        review = get_for_user(request.user, IndicatorReview, pk=pk)
        form = forms.ReviewForm(request.POST, review=review)
        if not form.is_valid():
            messages.error(request, "请选择审核结论并填写正确的核定值。")
        else:
            data = form.cleaned_data
            try:
                services.review_record(
                    review=review,
                    accept=data["decision"] == "accept",
                    corrected=data["corrected"],
                    comment=data["comment"],
                    by=request.user,
                )
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, f"已审核：{review.get_measure_display()}。")
        return redirect("investment:evaluation_detail", pk=review.evaluation_id)


class KpbView(RoleRequiredMixin, View):
    required_roles = (Role.ASSESSOR,)

    def post(self, request, pk):
        evaluation = get_for_user(request.user, SelfEvaluation, pk=pk)
        form = forms.KpbForm(request.POST, instance=SelfEvaluation.objects.get(pk=pk))
        if form.is_valid():
            try:
                services.evaluation_set_kpb(
                    evaluation=evaluation,
                    score=form.cleaned_data["kpb_score"],
                    result=form.cleaned_data["kpb_result"],
                    by=request.user,
                )
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, "已录入市委考评办考核结果。")
        else:
            messages.error(request, "请填写市委考评办考核得分。")
        return redirect("investment:evaluation_detail", pk=pk)


class ReviewCompleteView(ObjectActionView):
    required_roles = (Role.ASSESSOR,)
    model = SelfEvaluation
    success_message = "审核已完成。"
    redirect_to = "investment:evaluation_detail"

    def act(self, evaluation, user) -> None:
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


class SpotCheckCreateView(RoleRequiredMixin, FormView):
    """第七条(三) 实地抽查: the 考核组 records what it found, and who supplied falsified figures."""

    required_roles = (Role.ASSESSOR,)
    template_name = "investment/spotcheck_form.html"
    form_class = forms.SpotCheckForm

    def get_initial(self):
        return {"year": selectors.default_year()}

    def form_valid(self, form):
        try:
            services.spot_check_record(spot_check=form.save(commit=False), by=self.request.user)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)
        messages.success(self.request, "抽查记录已保存。")
        return redirect("investment:spotcheck_list")
