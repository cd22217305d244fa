from django.urls import path

from . import views

app_name = "sprouts"

urlpatterns = [
    path("", views.CaseListView.as_view(), name="index"),
    path("cases/new/", views.CaseCreateView.as_view(), name="case_create"),
    path("cases/<int:pk>/", views.CaseDetailView.as_view(), name="case_detail"),
    path("cases/<int:pk>/handover/", views.HandOverView.as_view(), name="case_handover"),
    path("cases/<int:pk>/police/", views.PoliceReferralView.as_view(), name="case_police"),
    path("cases/<int:pk>/note/", views.NoteView.as_view(), name="case_note"),
    path("cases/<int:pk>/penalty/", views.PenaltyView.as_view(), name="case_penalty"),
    path("cases/<int:pk>/close/", views.CloseView.as_view(), name="case_close"),
    path("cases/<int:pk>/evidence/", views.EvidenceUploadView.as_view(), name="evidence_upload"),
    path("evidence/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence_download"),
    path("handovers/<int:pk>/acknowledge/", views.AcknowledgeView.as_view(), name="handover_acknowledge"),
    path("statistics/", views.StatisticsView.as_view(), name="statistics"),
    path("statistics/export/", views.StatisticsExportView.as_view(), name="statistics_export"),
    path("rules/", views.RuleListView.as_view(), name="rules"),
]
