from django.urls import path

from . import views
from .views.notice import NoticeView

app_name = "awards"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("projects/", views.ProjectListView.as_view(), name="project_list"),
    path("projects/new/", views.ProjectFormView.as_view(), name="project_create"),
    path("projects/<int:pk>/", views.ProjectFormView.as_view(), name="project_update"),
    path("targets/", views.TargetFormView.as_view(), name="target_edit"),
    path("import/", views.ImportView.as_view(), name="import"),
    path("import/confirm/", views.ImportConfirmView.as_view(), name="import_confirm"),
    path("import/template/", views.ImportTemplateView.as_view(), name="import_template"),
    path("statistics/", views.StatisticsImportView.as_view(), name="statistics_import"),
    path("statistics/confirm/", views.StatisticsConfirmView.as_view(), name="statistics_confirm"),
    path("reconcile/", views.ReconcileView.as_view(), name="reconcile"),
    path("clawbacks/", views.ClawbackListView.as_view(), name="clawbacks"),
    path("clawbacks/<int:pk>/recover/", views.RecoverView.as_view(), name="clawback_recover"),
    path("lines/<int:pk>/adjust/", views.AdjustView.as_view(), name="line_adjust"),
    path("lines/<int:pk>/disqualify/", views.DisqualifyView.as_view(), name="line_disqualify"),
    path("lines/<int:pk>/disburse/", views.DisburseView.as_view(), name="line_disburse"),
    path("disqualifications/<int:pk>/document/", views.DocumentView.as_view(), name="document"),
    path("<year:year>/scheme/", views.SchemeView.as_view(), name="scheme"),
    path("<year:year>/verify/", views.VerifyView.as_view(), name="verify"),
    path("<year:year>/compute/", views.ComputeView.as_view(), name="compute"),
    path("<year:year>/submit/", views.SubmitView.as_view(), name="submit"),
    path("<year:year>/approve/", views.ApproveView.as_view(), name="approve"),
    path("<year:year>/return/", views.ReturnView.as_view(), name="return"),
    path("<year:year>/city-approval/", views.CityApprovalView.as_view(), name="city_approval"),
    path("<year:year>/revise/", views.ReviseView.as_view(), name="revise"),
    path("<year:year>/history/", views.HistoryView.as_view(), name="history"),
    path("<year:year>/", views.AllocationView.as_view(), name="allocation"),
    path("<year:year>/entity/<int:entity>/", views.AllocationLineView.as_view(), name="allocation_line"),
    path("<year:year>/export/", views.ExportView.as_view(), name="export"),
    path("<year:year>/notice/", NoticeView.as_view(), name="notice"),
]
