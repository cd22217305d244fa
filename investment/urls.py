from django.urls import path

from . import views
from .views.notice import ResultsNoticeView

app_name = "investment"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("targets/", views.TargetListView.as_view(), name="target_list"),
    path("targets/new/", views.TargetCreateView.as_view(), name="target_create"),
    path("targets/<int:pk>/", views.TargetDetailView.as_view(), name="target_detail"),
    path("targets/<int:pk>/edit/", views.TargetEditView.as_view(), name="target_edit"),
    path("targets/<int:pk>/issue/", views.TargetIssueView.as_view(), name="target_issue"),
    path("targets/<int:pk>/export/", views.TargetExportView.as_view(), name="target_export"),
    path("projects/", views.ProjectListView.as_view(), name="project_list"),
    path("projects/new/", views.ProjectCreateView.as_view(), name="project_create"),
    path("projects/upload/", views.ProjectUploadView.as_view(), name="project_upload"),
    path("projects/<int:pk>/", views.ProjectDetailView.as_view(), name="project_detail"),
    path("projects/<int:pk>/edit/", views.ProjectCreateView.as_view(), name="project_edit"),
    path("projects/<int:pk>/delete/", views.ProjectDeleteView.as_view(), name="project_delete"),
    path("projects/<int:pk>/evidence/", views.ProjectEvidenceView.as_view(), name="project_evidence"),
    path("evidence/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence_download"),
    path("indicators/", views.IndicatorsView.as_view(), name="indicators"),
    path("evaluation/", views.MyEvaluationView.as_view(), name="my_evaluation"),
    path("evaluations/", views.EvaluationListView.as_view(), name="evaluation_list"),
    path("evaluations/<int:pk>/", views.EvaluationDetailView.as_view(), name="evaluation_detail"),
    path("evaluations/<int:pk>/report/", views.EvaluationReportView.as_view(), name="evaluation_report"),
    path(
        "evaluations/<int:pk>/evidence/", views.EvaluationEvidenceView.as_view(), name="evaluation_evidence"
    ),
    path("evaluations/<int:pk>/kpb/", views.KpbView.as_view(), name="evaluation_kpb"),
    path("evaluations/<int:pk>/complete/", views.ReviewCompleteView.as_view(), name="review_complete"),
    path("reviews/<int:pk>/", views.ReviewView.as_view(), name="review"),
    path("spotchecks/", views.SpotCheckListView.as_view(), name="spotcheck_list"),
    path("spotchecks/new/", views.SpotCheckCreateView.as_view(), name="spotcheck_create"),
    path("scores/<year:year>/", views.ScoresView.as_view(), name="scores"),
    path("scores/<year:year>/publish/", views.PublishView.as_view(), name="publish"),
    path("results/<year:year>/", views.ResultsView.as_view(), name="results"),
    path("results/<year:year>/export/", views.ResultsExportView.as_view(), name="results_export"),
    path("results/<year:year>/notice/", ResultsNoticeView.as_view(), name="results_notice"),
    path("results/<year:year>/v<int:edition>/", views.ResultsView.as_view(), name="results_version"),
    path(
        "results/<year:year>/v<int:edition>/export/",
        views.ResultsExportView.as_view(),
        name="results_version_export",
    ),
    path(
        "results/<year:year>/v<int:edition>/notice/",
        ResultsNoticeView.as_view(),
        name="results_version_notice",
    ),
    path("results/<year:year>/v<int:edition>/withdraw/", views.WithdrawView.as_view(), name="withdraw"),
    path("bases/<year:year>/", views.BaseView.as_view(), name="bases"),
    path("parameters/<year:year>/", views.ParametersView.as_view(), name="parameters"),
    path("proposals/", views.ProposalListView.as_view(), name="proposal_list"),
    path("proposals/new/", views.ProposalCreateView.as_view(), name="proposal_create"),
    path("proposals/<int:pk>/", views.ProposalDetailView.as_view(), name="proposal_detail"),
    path("proposals/<int:pk>/submit/", views.ProposalSubmitView.as_view(), name="proposal_submit"),
    path("proposals/<int:pk>/approve/", views.ProposalApproveView.as_view(), name="proposal_approve"),
]
