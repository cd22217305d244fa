"""Thin views: look up through orgs.access, validate a form, call one service, redirect with a message."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views import View
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin, SingleTableView

from orgs.access import RoleRequiredMixin, get_for_user, user_organization
from orgs.excel import WorkbookErrors
from orgs.models import OrganizationKind
from orgs.roles import Role, has_role

from . import forms, imports, rules, selectors, services
from .exports import ResultsExport, TargetTablesExport
from .filters import EvaluationFilter, ProjectFilter
from .models import (
    EvaluationStatus,
    Evidence,
    IncentiveProposal,
    IndicatorReview,
    Project,
    ProposalStatus,
    Publication,
    PublicationStatus,
    ScoreWeight,
    SelfEvaluation,
    TargetSet,
    TargetStatus,
    YearParameters,
)
from .tables import EvaluationTable, ProjectTable, SpotCheckTable, TargetSetTable

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UNIT_ROLES = (Role.REPORTER, Role.ASSESSOR, Role.LEADER)
OVERSIGHT = (Role.ASSESSOR, Role.LEADER, Role.CITY_OFFICE)
NO_ORGANIZATION = "您的账号尚未关联单位。"


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


def _year(request) -> int:
    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        return selectors.default_year()


class IndexView(RoleRequiredMixin, TemplateView):
    template_name = "investment/index.html"

    def get_context_data(self, **kwargs):
        year = selectors.default_year()
        user = self.request.user
        return super().get_context_data(
            year=year,
            targets=selectors.current_targets(year),
            is_reporter=has_role(user, Role.REPORTER),
            is_assessor=has_role(user, Role.ASSESSOR, Role.ADMIN),
            is_city_office=has_role(user, Role.CITY_OFFICE, Role.ADMIN),
            oversees=has_role(user, *OVERSIGHT, Role.ADMIN),
            unit_role=has_role(user, *UNIT_ROLES, Role.ADMIN),
            **kwargs,
        )


# ---------------------------------------------------------------- targets


class TargetListView(RoleRequiredMixin, SingleTableView):
    template_name = "investment/target_list.html"
    table_class = TargetSetTable
    paginate_by = 25

    def get_queryset(self):
        return selectors.target_sets(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_draft=has_role(self.request.user, Role.CITY_OFFICE, Role.ADMIN),
            form=forms.TargetSetCreateForm(initial={"year": selectors.default_year()}),
            **kwargs,
        )


class TargetDetailView(RoleRequiredMixin, TemplateView):
    template_name = "investment/target_detail.html"

    def get_context_data(self, pk, **kwargs):
        target_set = get_for_user(self.request.user, TargetSet, pk=pk)
        rows = selectors.county_rows(target_set)
        can_edit = has_role(self.request.user, Role.CITY_OFFICE, Role.ADMIN)
        return super().get_context_data(
            target_set=target_set,
            county_rows=rows,
            totals=selectors.county_totals(rows),
            municipal=selectors.municipal_units(target_set),
            can_edit=can_edit and not target_set.is_issued,
            can_revise=can_edit and target_set.is_issued,
            issue_form=forms.TargetIssueForm(),
            revise_form=forms.TargetSetCreateForm(initial={"year": target_set.year}),
            **kwargs,
        )


class TargetCreateView(RoleRequiredMixin, View):
    required_roles = (Role.CITY_OFFICE,)

    def post(self, request):
        form = forms.TargetSetCreateForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请填写正确的年度。")
            return redirect("investment:target_list")
        try:
            target_set = services.target_set_create(
                year=form.cleaned_data["year"], reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as exc:
            _errors(request, exc)
            return redirect("investment:target_list")
        messages.success(request, f"已新建{target_set}。")
        return redirect("investment:target_edit", pk=target_set.pk)


class TargetEditView(RoleRequiredMixin, View):
    required_roles = (Role.CITY_OFFICE,)
    template_name = "investment/target_edit.html"

    def _formsets(self, target_set, data=None):
        county = forms.CountyTargetFormSet(
            data, prefix="county", queryset=target_set.county_targets.select_related("organization")
        )
        municipal = forms.MunicipalLineFormSet(
            data, prefix="municipal", queryset=target_set.municipal_lines.select_related("organization")
        )
        return county, municipal

    def _get(self, pk):
        target_set = get_for_user(self.request.user, TargetSet, pk=pk)
        if target_set.status != TargetStatus.DRAFT:
            raise PermissionDenied(services.TARGETS_READ_ONLY)
        return target_set

    def get(self, request, pk):
        target_set = self._get(pk)
        county, municipal = self._formsets(target_set)
        return render(
            request, self.template_name, {"target_set": target_set, "county": county, "municipal": municipal}
        )

    def post(self, request, pk):
        target_set = self._get(pk)
        county, municipal = self._formsets(target_set, request.POST)
        if county.is_valid() and municipal.is_valid():
            rows = county.save(commit=False)
            lines = municipal.save(commit=False)
            for line in lines:
                line.target_set = target_set
            try:
                services.target_rows_save(
                    target_set=target_set,
                    rows=[*rows, *lines],
                    deleted=municipal.deleted_objects,
                    by=request.user,
                )
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, "任务指标草稿已保存。")
                return redirect("investment:target_detail", pk=target_set.pk)
        return render(
            request, self.template_name, {"target_set": target_set, "county": county, "municipal": municipal}
        )


class TargetIssueView(RoleRequiredMixin, View):
    required_roles = (Role.CITY_OFFICE,)

    def post(self, request, pk):
        target_set = get_for_user(request.user, TargetSet, pk=pk)
        form = forms.TargetIssueForm(request.POST)
        if not form.is_valid():
            messages.error(request, services.DOCUMENT_REQUIRED)
            return redirect("investment:target_detail", pk=pk)
        try:
            services.target_set_issue(target_set=target_set, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, "任务指标已下达。")
        return redirect("investment:target_detail", pk=pk)


class TargetExportView(RoleRequiredMixin, View):
    def get(self, request, pk):
        target_set = get_for_user(request.user, TargetSet, pk=pk)
        return _xlsx(
            TargetTablesExport(target_set).content(), f"targets-{target_set.year}-v{target_set.version}.xlsx"
        )


# ---------------------------------------------------------------- projects


class ProjectListView(RoleRequiredMixin, SingleTableMixin, FilterView):
    required_roles = UNIT_ROLES
    template_name = "investment/project_list.html"
    table_class = ProjectTable
    filterset_class = ProjectFilter
    paginate_by = 25

    def get_queryset(self):
        return selectors.projects(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_write=has_role(self.request.user, Role.REPORTER),
            upload_form=forms.ProjectUploadForm(initial={"year": selectors.default_year()}),
            headers=imports.HEADERS,
            **kwargs,
        )


class ProjectWriteMixin(RoleRequiredMixin):
    required_roles = (Role.REPORTER,)

    def organization(self):
        organization = user_organization(self.request.user)
        if organization is None:
            raise PermissionDenied(NO_ORGANIZATION)
        return organization


class ProjectCreateView(ProjectWriteMixin, View):
    template_name = "investment/project_form.html"

    def get(self, request, pk=None):
        project = get_for_user(request.user, Project, pk=pk) if pk else None
        initial = {} if project else {"year": selectors.default_year()}
        form = forms.ProjectForm(instance=project, initial=initial)
        return render(request, self.template_name, {"form": form, "project": project})

    def post(self, request, pk=None):
        project = (
            get_for_user(request.user, Project, pk=pk) if pk else Project(organization=self.organization())
        )
        form = forms.ProjectForm(request.POST, instance=project)
        if form.is_valid():
            try:
                project = services.project_save(project=form.save(commit=False), by=request.user)
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, "项目已保存。")
                return redirect("investment:project_detail", pk=project.pk)
        return render(request, self.template_name, {"form": form, "project": project if pk else None})


class ProjectDeleteView(ProjectWriteMixin, View):
    def post(self, request, pk):
        project = get_for_user(request.user, Project, pk=pk)
        try:
            services.project_delete(project=project, by=request.user)
        except ValidationError as exc:
            _errors(request, exc)
            return redirect("investment:project_detail", pk=pk)
        messages.success(request, "项目已删除。")
        return redirect("investment:project_list")


class ProjectUploadView(ProjectWriteMixin, View):
    def post(self, request):
        form = forms.ProjectUploadForm(request.POST, request.FILES)
        row_errors = []
        if form.is_valid():
            try:
                parsed = imports.parse(form.cleaned_data["file"], year=form.cleaned_data["year"])
                count = services.projects_import(
                    organization=self.organization(),
                    year=form.cleaned_data["year"],
                    projects=parsed,
                    by=request.user,
                )
            except WorkbookErrors as exc:
                row_errors = [str(e) for e in exc.errors]
            except ValidationError as exc:
                row_errors = exc.messages
            else:
                messages.success(request, f"已导入 {count} 个项目。")
                return redirect("investment:project_list")
        else:
            row_errors = [m for errors in form.errors.values() for m in errors]
        return render(
            request,
            "investment/project_upload_errors.html",
            {"row_errors": row_errors, "headers": imports.HEADERS},
            status=400,
        )


class ProjectDetailView(RoleRequiredMixin, View):
    required_roles = UNIT_ROLES

    def get(self, request, pk, form=None):
        project = get_for_user(request.user, Project.objects.select_related("organization"), pk=pk)
        return render(
            request,
            "investment/project_detail.html",
            {
                "project": project,
                "evidence": selectors.evidence_for_project(request.user, project),
                "can_write": has_role(request.user, Role.REPORTER),
                "evidence_form": form or forms.EvidenceForm(),
                "major": rules.is_major(
                    received_foreign_musd=project.received_foreign_musd,
                    received_domestic_wan=project.received_domestic_wan,
                    foreign_threshold_musd=selectors.parameters(project.year).foreign_major_musd,
                    domestic_threshold_yi=selectors.parameters(project.year).domestic_major_yi,
                ),
            },
        )


class ProjectEvidenceView(ProjectWriteMixin, View):
    def post(self, request, pk):
        project = get_for_user(request.user, Project, pk=pk)
        form = forms.EvidenceForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.evidence_add(
                    upload=form.cleaned_data["file"],
                    by=request.user,
                    organization=project.organization,
                    project=project,
                )
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                messages.success(request, "佐证材料已上传。")
                return redirect("investment:project_detail", pk=pk)
        detail = ProjectDetailView()
        detail.request = request
        response = detail.get(request, pk, form=form)
        response.status_code = 400
        return response


class EvidenceDownloadView(RoleRequiredMixin, View):
    required_roles = UNIT_ROLES

    def get(self, request, pk):
        evidence = get_for_user(request.user, Evidence, pk=pk)
        try:
            handle = evidence.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        return FileResponse(handle, as_attachment=True, filename=evidence.original_name)


# ---------------------------------------------------------------- indicators


class IndicatorsView(RoleRequiredMixin, TemplateView):
    required_roles = (Role.REPORTER, *OVERSIGHT)
    template_name = "investment/indicators.html"

    def get_context_data(self, **kwargs):
        year = _year(self.request)
        user = self.request.user
        target_set = selectors.current_targets(year)
        units = []
        if target_set is not None:
            rows = selectors.county_rows(target_set)
            if not has_role(user, *OVERSIGHT, Role.ADMIN):
                rows = [r for r in rows if r.organization == user_organization(user)]
            table = selectors.weights(year)
            for row in rows:
                _, items = selectors.unit_indicators(row.organization, year)
                total, lines = rules.score(items, table)
                units.append({"organization": row.organization, "lines": lines, "total": total})
        return super().get_context_data(year=year, target_set=target_set, units=units, **kwargs)


# ---------------------------------------------------------------- self-evaluation


class MyEvaluationView(ProjectWriteMixin, View):
    def get(self, request):
        evaluation = services.evaluation_open(
            organization=self.organization(), year=_year(request), by=request.user
        )
        return redirect("investment:evaluation_detail", pk=evaluation.pk)


class EvaluationListView(RoleRequiredMixin, SingleTableMixin, FilterView):
    required_roles = UNIT_ROLES
    template_name = "investment/evaluation_list.html"
    table_class = EvaluationTable
    filterset_class = EvaluationFilter
    paginate_by = 25

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


class EvaluationOwnerMixin(ProjectWriteMixin):
    def evaluation(self, pk):
        evaluation = get_for_user(self.request.user, SelfEvaluation, pk=pk)
        if evaluation.organization != self.organization() and not has_role(self.request.user, Role.ADMIN):
            raise Http404
        return evaluation


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
        if form.is_valid():
            try:
                services.evidence_add(
                    upload=form.cleaned_data["file"],
                    by=request.user,
                    organization=evaluation.organization,
                    evaluation=evaluation,
                )
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                messages.success(request, "佐证材料已上传。")
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


class ReviewCompleteView(RoleRequiredMixin, View):
    required_roles = (Role.ASSESSOR,)

    def post(self, request, pk):
        evaluation = get_for_user(request.user, SelfEvaluation, pk=pk)
        try:
            services.evaluation_complete_review(evaluation=evaluation, by=request.user)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, "审核已完成。")
        return redirect("investment:evaluation_detail", pk=pk)


# ---------------------------------------------------------------- spot checks


class SpotCheckListView(RoleRequiredMixin, SingleTableView):
    required_roles = UNIT_ROLES
    template_name = "investment/spotcheck_list.html"
    table_class = SpotCheckTable
    paginate_by = 25

    def get_queryset(self):
        return selectors.spot_checks(self.request.user)

    def get_context_data(self, **kwargs):
        can_record = has_role(self.request.user, Role.ASSESSOR, Role.ADMIN)
        return super().get_context_data(
            can_record=can_record,
            form=forms.SpotCheckForm(initial={"year": selectors.default_year()}) if can_record else None,
            **kwargs,
        )


class SpotCheckCreateView(RoleRequiredMixin, View):
    required_roles = (Role.ASSESSOR,)

    def post(self, request):
        form = forms.SpotCheckForm(request.POST)
        if form.is_valid():
            try:
                services.spot_check_record(spot_check=form.save(commit=False), by=request.user)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, "抽查记录已保存。")
                return redirect("investment:spotcheck_list")
        view = SpotCheckListView()
        view.setup(request)
        view.object_list = view.get_queryset()
        context = view.get_context_data()
        context["form"] = form
        return render(request, "investment/spotcheck_list.html", context, status=400)


# ---------------------------------------------------------------- scores, publication, incentives


class ScoresView(RoleRequiredMixin, TemplateView):
    required_roles = OVERSIGHT
    template_name = "investment/scores.html"

    def get_context_data(self, year, **kwargs):
        publication = Publication.objects.filter(year=year).first()
        weights = [
            (rules.INDICATOR_LABELS[code], weight, cap)
            for code, (weight, cap) in selectors.weights(year).items()
        ]
        return super().get_context_data(
            year=year,
            scores=selectors.year_scores(year),
            weights=weights,
            parameters=selectors.parameters(year),
            published=publication is not None and publication.status == PublicationStatus.PUBLISHED,
            can_publish=has_role(self.request.user, Role.ASSESSOR, Role.ADMIN),
            **kwargs,
        )


class PublishView(RoleRequiredMixin, View):
    required_roles = (Role.ASSESSOR,)

    def post(self, request, year):
        try:
            services.publication_publish(year=year, by=request.user)
        except ValidationError as exc:
            _errors(request, exc)
            return redirect("investment:scores", year=year)
        messages.success(request, f"{year}年度考核结果已通报。")
        return redirect("investment:results", year=year)


class ResultsView(RoleRequiredMixin, TemplateView):
    template_name = "investment/results.html"

    def get_context_data(self, year, **kwargs):
        publication = get_for_user(self.request.user, Publication, year=year)
        rows = publication.rows.select_related("organization").order_by("group", "rank", "pk")
        return super().get_context_data(publication=publication, rows=rows, **kwargs)


class ResultsExportView(RoleRequiredMixin, View):
    def get(self, request, year):
        publication = get_for_user(request.user, Publication, year=year)
        return _xlsx(ResultsExport(publication).content(), f"results-{year}.xlsx")


class ParametersView(RoleRequiredMixin, View):
    required_roles = OVERSIGHT
    template_name = "investment/parameters.html"

    def _render(self, request, year, form=None, formset=None, status=200):
        can_edit = has_role(request.user, Role.ASSESSOR, Role.ADMIN)
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

    def post(self, request, year):
        if not has_role(request.user, Role.ASSESSOR, Role.ADMIN):
            raise PermissionDenied
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
        can_draft = has_role(self.request.user, Role.ASSESSOR, Role.ADMIN)
        return super().get_context_data(
            proposals=selectors.proposals(self.request.user)[:100],
            can_draft=can_draft,
            form=forms.ProposalForm(initial={"year": selectors.default_year()}),
            **kwargs,
        )


class ProposalCreateView(RoleRequiredMixin, View):
    required_roles = (Role.ASSESSOR,)

    def post(self, request):
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
            can_submit=has_role(user, Role.ASSESSOR, Role.ADMIN) and proposal.status == ProposalStatus.DRAFT,
            can_approve=has_role(user, Role.CITY_OFFICE, Role.ADMIN)
            and proposal.status == ProposalStatus.SUBMITTED,
            **kwargs,
        )


class ProposalSubmitView(RoleRequiredMixin, View):
    required_roles = (Role.ASSESSOR,)

    def post(self, request, pk):
        proposal = get_for_user(request.user, IncentiveProposal, pk=pk)
        try:
            services.proposal_submit(proposal=proposal, by=request.user)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, "已提交市政府办公室审批。")
        return redirect("investment:proposal_detail", pk=pk)


class ProposalApproveView(RoleRequiredMixin, View):
    required_roles = (Role.CITY_OFFICE,)

    def post(self, request, pk):
        proposal = get_for_user(request.user, IncentiveProposal, pk=pk)
        try:
            services.proposal_approve(proposal=proposal, by=request.user)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, "分配意见已批准。")
        return redirect("investment:proposal_detail", pk=pk)
